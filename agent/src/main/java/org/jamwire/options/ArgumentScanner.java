package org.jamwire.options;

import java.util.List;

/**
 * Walks the options of one command, hands each to its {@link OptionSpec.Handler} and reports
 * anything it does not recognise. An option's value follows it ({@code --queue 4}) or is joined
 * to a long name with '=' ({@code --queue=4}). Called on the control thread.
 */
final class ArgumentScanner {

    private final OptionTable table;
    private final UnknownOption unknown;

    /**
     * A scanner for {@code table}, the options of the command that {@code here} names (null for a
     * link); a name found {@code elsewhere} is reported as belonging there.
     */
    ArgumentScanner(OptionTable table, String here, List<UnknownOption.Elsewhere> elsewhere) {
        this.table = table;
        this.unknown = new UnknownOption(table, here, elsewhere);
    }

    /** The values the arguments give, or an error naming the first bad one. */
    OptionValues scan(List<String> args) throws UsageException {
        final OptionValues values = new OptionValues();
        String previous = null;
        boolean previousWasFlag = false;
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (!looksLikeOption(arg)) {
                throw unexpected(arg, previous, previousWasFlag);
            }
            String name = arg;
            String inline = null;
            final int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            final OptionSpec spec = table.find(name);
            if (spec == null) {
                throw unknown.explain(arg, name);
            }
            final String label = spec.label(name);
            String raw = null;
            if (spec.takesValue()) {
                if (inline != null) {
                    raw = inline;
                } else if (i + 1 < args.size() && !looksLikeOption(args.get(i + 1))) {
                    raw = args.get(++i);
                } else {
                    throw missingValue(spec, name, label);
                }
            } else if (inline != null) {
                throw new UsageException(label + ": takes no value, but '" + inline
                        + "' was given");
            }
            final Given given = new Given(name, label, raw);
            spec.handler().apply(values, given);
            previous = given.asTyped();
            previousWasFlag = !spec.takesValue();
        }
        return values;
    }

    /** True for {@code -x} and {@code --xyz}, false for values such as {@code -5} or {@code -}. */
    static boolean looksLikeOption(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && !arg.matches("-[0-9].*");
    }

    private static UsageException missingValue(OptionSpec spec, String name, String label) {
        final SeedFlag seed = SeedFlag.named(name);
        final String hint = seed == null ? "" : ": " + seed.hint();
        return new UsageException(label + ": needs a value " + spec.valueName() + ", "
                + spec.rangeText() + hint);
    }

    private static UsageException unexpected(String arg, String previous, boolean afterFlag) {
        final StringBuilder message = new StringBuilder("unexpected argument '").append(arg)
                .append('\'');
        if (previous != null) {
            message.append(" after ").append(previous);
        }
        if (afterFlag) {
            message.append(", which takes no value");
            final SeedFlag seed = SeedFlag.named(previous);
            if (seed != null) {
                message.append(": ").append(seed.hint());
            }
        }
        return new UsageException(message.toString());
    }
}
