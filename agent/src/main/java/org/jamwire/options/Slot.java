package org.jamwire.options;

/**
 * One setting as given on the command line: its value and the option that gave it. Giving a
 * setting twice with the same value is fine; with a different value it is an error, because
 * the last one silently winning hides typing mistakes. Used on the control thread while parsing.
 *
 * @param <T> the value's type
 */
final class Slot<T> {

    private final String resolution;
    private T value;
    private Given givenBy;

    /**
     * Creates an empty slot; {@code resolution} ends the conflict message, e.g. "give the channel
     * count once".
     */
    Slot(String resolution) {
        this.resolution = resolution;
    }

    /** A slot whose conflict message ends "give WHAT once". */
    static <T> Slot<T> once(String what) {
        return new Slot<>("give " + what + " once");
    }

    /** Records the value, or throws when a different one was given before. */
    void set(Given given, T newValue) throws UsageException {
        if (value == null) {
            value = newValue;
            givenBy = given;
            return;
        }
        if (!value.equals(newValue)) {
            // A seed flag in conflict may have been meant in jacktrip's sense: say so if that
            // sense exists here under another name.
            final SeedFlag seed = SeedFlag.named(given.typed());
            final boolean hint = seed != null && seed.jacktripHere() != null;
            throw new UsageException(given.asTyped() + " conflicts with " + givenBy.asTyped()
                    + " given earlier: " + resolution + (hint ? "; " + seed.hint() : ""));
        }
    }

    boolean isSet() {
        return value != null;
    }

    /** The value, or {@code fallback} when the option was not given. */
    T orElse(T fallback) {
        return value == null ? fallback : value;
    }

    /** The option that gave the value, or null when none did. */
    Given givenBy() {
        return givenBy;
    }
}
