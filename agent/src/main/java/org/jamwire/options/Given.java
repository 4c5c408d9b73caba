package org.jamwire.options;

import org.jamwire.options.OptionValues.HostPort;
import org.jamwire.text.Printable;

/**
 * One option as it appeared on the command line.
 *
 * @param typed the name as typed, e.g. {@code -a}
 * @param label the name for messages, short and long, e.g. {@code -a/--numchannels}
 * @param raw the value as typed, or null for a flag
 */
record Given(String typed, String label, String raw) {

    /** The option and its value as the user typed them, e.g. {@code "-a 8"} or {@code "-r"}. */
    String asTyped() {
        return raw == null ? typed : typed + " " + shown(raw);
    }

    /** "LABEL: 'RAW' is not allowed: " followed by what is. */
    UsageException notAllowed(String allowed) {
        return new UsageException(label + ": '" + shown(raw) + "' is not allowed: " + allowed);
    }

    /** A value as a message may show it: control and format characters escaped (see ClientNames). */
    static String shown(String value) {
        return Printable.escape(value);
    }

    /** The value as a whole number from {@code min} to {@code max}, or an error saying so. */
    int whole(int min, int max) throws UsageException {
        if (raw.matches("-?[0-9]{1,9}")) {
            final int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        }
        throw notAllowed("use a whole number from " + min + " to " + max);
    }

    /**
     * The value as a decimal number from {@code min} to {@code max} (digits, optionally a point and
     * up to 6 more digits), or an error saying so; {@code what} names the number, e.g.
     * "a percentage".
     */
    double decimal(double min, double max, String what) throws UsageException {
        if (raw.matches("[0-9]{1,9}(\\.[0-9]{1,6})?")) {
            final double v = Double.parseDouble(raw);
            if (v >= min && v <= max) {
                return v;
            }
        }
        throw notAllowed("use " + what + " from " + plain(min) + " to " + plain(max)
                + " (decimals allowed)");
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The value if it is one of {@code allowed} (exactly as listed), or an error listing them. */
    String choice(String... allowed) throws UsageException {
        for (String a : allowed) {
            if (a.equals(raw)) {
                return a;
            }
        }
        throw notAllowed("use one of " + String.join(", ", allowed));
    }

    /** The value if it is not blank, or an error asking for a name. */
    String nonBlank() throws UsageException {
        if (raw.isBlank()) {
            throw notAllowed("give a name");
        }
        return raw;
    }

    /** The value if it holds no control or format character, or an error naming the first one. */
    String printable() throws UsageException {
        final String problem = Printable.problem(raw);
        if (problem != null) {
            throw notAllowed(problem);
        }
        return raw;
    }

    /** The value as {@code HOST:PORT}, or an error showing the form. */
    HostPort hostPort() throws UsageException {
        final int colon = raw.lastIndexOf(':');
        final String host = colon < 0 ? "" : raw.substring(0, colon);
        if (host.isBlank() || host.contains(":")
                || host.chars().anyMatch(Character::isWhitespace)) {
            throw notAllowed("give the server as HOST:PORT, e.g. 192.0.2.10:4464");
        }
        final Given port = new Given(typed, label, raw.substring(colon + 1));
        try {
            return new HostPort(host, port.whole(1, 65535));
        } catch (UsageException e) {
            throw notAllowed("the port after ':' must be a whole number from 1 to 65535");
        }
    }
}
