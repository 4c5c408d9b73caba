package org.jamwire.options;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One option the parser accepts: its names, its value, what it does and how it stores what it
 * was given. The parser, the help and the README's option table are all made from these, so an
 * option cannot be accepted without being documented.
 *
 * @param names every name, short ones first, the long one last (e.g. {@code -n -a --numchannels})
 * @param valueName placeholder of the value in the help (e.g. {@code N}), or null for a flag
 * @param defaultText the default, as the help says it
 * @param rangeText the values allowed, as the help says it, or null for a flag
 * @param description what it does, one or two sentences
 * @param section where the help lists it
 * @param handler stores the given value into the {@link OptionValues}
 */
record OptionSpec(List<String> names, String valueName, String defaultText, String rangeText,
        String description, Section section, Handler handler) {

    /** Headings of the help, in the order it prints them. */
    enum Section {
        MODE("Mode (give exactly one)"),
        AUDIO("Channels, samples and buffering"),
        NETWORK("Network"),
        HUB("Hub"),
        BACKEND("Audio backend"),
        MONITOR("Monitoring"),
        DEMO("Demo"),
        NETSIM("Network simulation"),
        AGENT("Agent"),
        LINKTEST("Link test"),
        LAB("Lab"),
        GENERAL("General");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    /** Stores one given option. */
    @FunctionalInterface
    interface Handler {
        void apply(OptionValues values, Given given) throws UsageException;
    }

    OptionSpec {
        names = List.copyOf(names);
        if (names.isEmpty() || !longName(names).startsWith("--")) {
            throw new IllegalArgumentException("an option needs a long name last: " + names);
        }
    }

    private static String longName(List<String> names) {
        return names.get(names.size() - 1);
    }

    String longName() {
        return longName(names);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** The name for messages: the name as typed (or the first short name) and the long name. */
    String label(String typed) {
        final String shortName = typed.startsWith("--") ? firstShortName() : typed;
        return shortName == null ? longName() : shortName + "/" + longName();
    }

    private String firstShortName() {
        return names.size() > 1 ? names.get(0) : null;
    }

    /** The names as the help lists them, e.g. {@code -n, -a, --numchannels N}. */
    String synopsis() {
        final String joined = names.stream().collect(Collectors.joining(", "));
        return takesValue() ? joined + " " + valueName : joined;
    }
}
