package org.jamwire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a systemd unit file's {@code [Service]} section says about running its process, read by
 * systemd's rules: continuation lines, quoting, {@code Environment=} and {@code EnvironmentFile=},
 * and {@code ExecStart=}'s variable expansion ({@code ${VAR}} is replaced whole, a word {@code $VAR}
 * is split at whitespace into zero or more words). {@link ServiceUnit} runs it. Test thread.
 */
public record UnitFile(String user, String group, List<String> supplementaryGroups, List<String> environment,
        List<String> environmentFiles, String execStart, String restart, Duration restartSec) {

    private static final Pattern SPLIT_VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$\\$");
    /** systemd's PATH for services. */
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern TIME_SPAN = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|)");

    /** Reads and parses a unit file. */
    public static UnitFile read(Path unit) throws IOException {
        return parse(Files.readString(unit, StandardCharsets.UTF_8));
    }

    /** Parses a unit file's text; a {@code \} at a line's end joins the next line, as in systemd. */
    public static UnitFile parse(String unit) {
        final Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : unit.replace("\\\n", " ").split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]") && line.contains("=")) {
                final String[] kv = line.split("=", 2);
                keys.computeIfAbsent(kv[0].strip(), k -> new ArrayList<>()).add(kv[1].strip());
            }
        }
        final String exec = last(keys, "ExecStart", "");
        if (exec.isEmpty()) {
            throw new IllegalArgumentException("no ExecStart= in the unit's [Service] section:\n" + unit);
        }
        final String restart = last(keys, "Restart", "no");
        if (!List.of("no", "always", "on-failure").contains(restart)) {
            throw new IllegalArgumentException("Restart=" + restart + " is not run by this stand-in for systemd:"
                    + " no, always and on-failure are");
        }
        final List<String> groups = new ArrayList<>();
        keys.getOrDefault("SupplementaryGroups", List.of()).forEach(g -> groups.addAll(words(g)));
        final List<String> environment = new ArrayList<>();
        keys.getOrDefault("Environment", List.of()).forEach(e -> environment.addAll(words(e)));
        return new UnitFile(last(keys, "User", ""), last(keys, "Group", ""), List.copyOf(groups),
                List.copyOf(environment), List.copyOf(keys.getOrDefault("EnvironmentFile", List.of())), exec, restart,
                timeSpan(last(keys, "RestartSec", "100ms")));
    }

    /**
     * The environment the process gets, from nothing but systemd's PATH: the user's HOME, USER,
     * LOGNAME and SHELL when the unit names a user, {@code Environment=}, then each
     * {@code EnvironmentFile=} in order (one whose path starts with {@code -} may be missing),
     * found on this machine through {@code here}.
     */
    public Map<String, String> environment(UnaryOperator<Path> here) throws IOException {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        if (!user.isEmpty()) {
            final String[] passwd = output(List.of("getent", "passwd", user)).strip().split(":");
            if (passwd.length < 7) {
                throw new IOException("User=" + user + " of the unit is not an account here (getent passwd)");
            }
            env.putAll(Map.of("HOME", passwd[5], "USER", user, "LOGNAME", user, "SHELL", passwd[6]));
        }
        for (String assignment : environment) {
            final String[] kv = assignment.split("=", 2);
            env.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        for (String file : environmentFiles) {
            final boolean optional = file.startsWith("-");
            final Path path = here.apply(Path.of(optional ? file.substring(1) : file));
            if (!optional || Files.exists(path)) {
                env.putAll(environmentFile(Files.readString(path, StandardCharsets.UTF_8)));
            }
        }
        return env;
    }

    /**
     * The command line {@code ExecStart=} gives in {@code env}: its prefixes ({@code - + ! :}) taken
     * off, split into words, and variables expanded unless {@code :} said not to.
     */
    public List<String> command(Map<String, String> env) {
        String line = execStart;
        boolean expand = true;
        while (!line.isEmpty() && "-+!:@".indexOf(line.charAt(0)) >= 0) {
            if (line.charAt(0) == '@') {
                throw new IllegalArgumentException("ExecStart=@... (a separate argv[0]) is not run by this stand-in");
            }
            expand &= line.charAt(0) != ':';
            line = line.substring(1);
        }
        final List<String> command = new ArrayList<>();
        for (String word : words(line)) {
            final Matcher split = SPLIT_VARIABLE.matcher(word);
            if (expand && split.matches()) {
                final String value = env.getOrDefault(split.group(1), "").strip();
                if (!value.isEmpty()) {
                    command.addAll(List.of(value.split("\\s+")));
                }
            } else if (expand) {
                command.add(VARIABLE.matcher(word).replaceAll(m -> Matcher.quoteReplacement(
                        m.group(1) == null ? "$" : env.getOrDefault(m.group(1), ""))));
            } else {
                command.add(word);
            }
        }
        return command;
    }

    /** An environment file's {@code KEY=VALUE} lines, without {@code #} and {@code ;} comments, quotes taken off. */
    public static Map<String, String> environmentFile(String text) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.replace("\\\n", "").split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || !line.contains("=")) {
                continue;
            }
            final String[] kv = line.split("=", 2);
            String value = kv[1].strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(kv[0].strip(), value);
        }
        return env;
    }

    /** Splits a line into words as systemd does: quotes group (and are taken off), a backslash escapes. */
    static List<String> words(String line) {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && quote != '\'') {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced " + quote + " in: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String last(Map<String, List<String>> keys, String key, String otherwise) {
        final List<String> values = keys.getOrDefault(key, List.of());
        return values.isEmpty() ? otherwise : values.get(values.size() - 1);
    }

    /** A systemd time span as units here write them: seconds ({@code 1}, {@code 0.5}, {@code 2s}) or {@code 100ms}. */
    private static Duration timeSpan(String span) {
        final Matcher m = TIME_SPAN.matcher(span);
        if (!m.matches()) {
            throw new IllegalArgumentException("RestartSec=" + span + " is not a time span this stand-in reads"
                    + " (e.g. 1, 0.5s or 100ms)");
        }
        final double value = Double.parseDouble(m.group(1));
        return Duration.ofNanos((long) (value * (m.group(2).equals("ms") ? 1e6 : 1e9)));
    }

    /** What {@code command} prints; fails unless it exits with 0 within 10 s. */
    static String output(List<String> command) throws IOException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return out;
    }
}
