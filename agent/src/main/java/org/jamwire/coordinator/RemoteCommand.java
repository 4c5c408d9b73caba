package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command to run on a peer over ssh, as a fixed argv: a program from an allow-list and arguments
 * each checked against that program's rule. ssh hands the far side a single string, which its
 * login shell splits; {@link #line()} builds that string by single-quoting every word, so the far
 * side sees exactly this argv whatever the words contain. Nothing a user typed is ever pasted into
 * a shell string any other way. Immutable; built on control threads.
 */
public final class RemoteCommand {

    /** What an argument may look like; a rule refuses by returning what it allows. */
    @FunctionalInterface
    public interface Rule {
        /** Null when {@code arg} is acceptable, or what is allowed. */
        String refuse(String arg);
    }

    /** A rule from a regular expression and a description of it. */
    public static Rule matching(String regex, String allowed) {
        final Pattern p = Pattern.compile(regex);
        return arg -> p.matcher(arg).matches() ? null : allowed;
    }

    /** Words of plain letters, digits and {@code . _ : / = , + @ -}, not starting with '-', at most 255 characters. */
    public static final Rule PLAIN = matching("[A-Za-z0-9._:/=,+@][A-Za-z0-9._:/=,+@-]{0,254}",
            "letters, digits and . _ : / = , + @ - (not starting with -), at most 255 characters");

    /** Only exactly {@code value}. */
    public static Rule exactly(String value) {
        return arg -> arg.equals(value) ? null : "'" + value + "'";
    }

    /** One of {@code values}. */
    public static Rule oneOf(String... values) {
        final List<String> allowed = List.of(values);
        return arg -> allowed.contains(arg) ? null : "one of " + String.join(", ", values);
    }

    /** Refuses any argument: for positions past the last one a program takes. */
    public static final Rule NONE = arg -> "no further arguments";

    /**
     * A program that may run on a peer, with a rule for each argument position and one for the
     * arguments after those.
     *
     * @param name the program, found on the peer's PATH
     * @param positions rules for the first arguments, in order
     * @param rest the rule for every later argument
     */
    public record Program(String name, List<Rule> positions, Rule rest) {
        /** Checks the name is a bare program name. */
        public Program {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("not a program name: " + name);
            }
            positions = List.copyOf(positions);
        }

        /** A program whose every argument follows {@code arguments}. */
        public Program(String name, Rule arguments) {
            this(name, List.of(), arguments);
        }

        /** A program taking exactly these arguments, each by its own rule. */
        public static Program fixed(String name, Rule... positions) {
            return new Program(name, List.of(positions), NONE);
        }

        Rule rule(int index) {
            return index < positions.size() ? positions.get(index) : rest;
        }
    }

    /** Refused: names the argument and what is allowed. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Program program;
    private final List<String> args;

    private RemoteCommand(Program program, List<String> args) {
        this.program = program;
        this.args = List.copyOf(args);
    }

    /**
     * The command {@code program args...}.
     *
     * @throws Refused naming the first argument the program's rule refuses, or one holding a NUL,
     *     newline or other control character (which no rule allows)
     */
    public static RemoteCommand of(Program program, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            final String a = args.get(i);
            if (a.chars().anyMatch(Character::isISOControl)) {
                throw new Refused(program.name() + ": argument " + (i + 1) + " holds a control character");
            }
            final String allowed = program.rule(i).refuse(a);
            if (allowed != null) {
                throw new Refused(program.name() + ": argument " + (i + 1) + " '" + clip(a) + "' is not allowed: use "
                        + allowed);
            }
        }
        return new RemoteCommand(program, args);
    }

    /**
     * The command {@code program args... inner...}: a fixed wrapper around a command already
     * checked by its own program's rules, e.g. a script that starts it detached. {@code args} are
     * checked by {@code program}'s rules, {@code inner}'s words were by its own.
     *
     * @throws Refused as {@link #of(Program, List)} does, for {@code args}
     */
    public static RemoteCommand around(Program program, List<String> args, RemoteCommand inner) {
        final RemoteCommand wrapper = of(program, args);
        final List<String> all = new ArrayList<>(wrapper.args);
        all.addAll(inner.argv());
        return new RemoteCommand(program, all);
    }

    /** The same, from varargs. */
    public static RemoteCommand of(Program program, String... args) {
        return of(program, List.of(args));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** The argv, program first. */
    public List<String> argv() {
        final List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(program.name());
        argv.addAll(args);
        return argv;
    }

    /** The string ssh sends: every word single-quoted, so the far shell splits it back into {@link #argv()}. */
    public String line() {
        final StringBuilder s = new StringBuilder();
        for (String w : argv()) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(quote(w));
        }
        return s.toString();
    }

    /** One word for a POSIX shell: inside single quotes nothing is special but the quote itself. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return line();
    }
}
