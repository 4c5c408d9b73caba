package org.jamwire.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of one command, looked up by any of their names. Immutable. */
final class OptionTable {

    private final List<OptionSpec> options;
    private final Map<String, OptionSpec> byName = new LinkedHashMap<>();

    OptionTable(List<OptionSpec> options) {
        this.options = List.copyOf(options);
        for (OptionSpec o : this.options) {
            for (String name : o.names()) {
                if (byName.put(name, o) != null) {
                    throw new IllegalArgumentException("option name used twice: " + name);
                }
            }
        }
    }

    /** The options, in help order within each section. */
    List<OptionSpec> options() {
        return options;
    }

    /** The option with this name, or null. */
    OptionSpec find(String name) {
        return byName.get(name);
    }

    /** Every name of every option. */
    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }

    /** A flag: an option without a value. {@code names} are separated by spaces. */
    static OptionSpec flag(OptionSpec.Section section, String names, String defaultText,
            String description, OptionSpec.Handler handler) {
        return new OptionSpec(split(names), null, defaultText, null, description, section, handler);
    }

    /** An option with a value. {@code names} are separated by spaces. */
    static OptionSpec valued(OptionSpec.Section section, String names, String valueName,
            String defaultText, String rangeText, String description, OptionSpec.Handler handler) {
        return new OptionSpec(split(names), valueName, defaultText, rangeText, description, section,
                handler);
    }

    private static List<String> split(String names) {
        return Arrays.asList(names.split(" "));
    }
}
