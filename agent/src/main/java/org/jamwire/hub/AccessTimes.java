package org.jamwire.hub;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.text.Printable;

/**
 * When a user of an authenticating hub may connect: the third field of a line of jacktrip's
 * credentials file. {@code *} is always; an empty field is never; otherwise a comma-separated list
 * of days ({@code Mo Tu We Th Fr Sa Su}), each followed by {@code *} (all day) or by
 * {@code hhmm-hhmm}, a range of local time including both ends, as jacktrip 1.7 reads it
 * ({@code Mo*,Tu0900-1700}). Immutable; any thread.
 */
final class AccessTimes {

    private static final List<String> DAYS = List.of("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su");
    private static final Pattern RANGE = Pattern.compile(
            "([01][0-9]|2[0-3])([0-5][0-9])-([01][0-9]|2[0-3])([0-5][0-9])");

    /** One day's window; a whole day is 00:00 to {@link LocalTime#MAX}. */
    private record Window(DayOfWeek day, LocalTime from, LocalTime to) {
    }

    private final boolean always;
    private final List<Window> windows;

    private AccessTimes(boolean always, List<Window> windows) {
        this.always = always;
        this.windows = List.copyOf(windows);
    }

    /**
     * Reads the field.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code *}, a day with {@code *},
     *     or a day with a range whose start is not after its end
     */
    static AccessTimes parse(String field) {
        if (field.isEmpty()) {
            return new AccessTimes(false, List.of());
        }
        final List<Window> windows = new ArrayList<>();
        boolean always = false;
        for (String entry : field.split(",", -1)) {
            if (entry.equals("*")) {
                always = true;
                continue;
            }
            final int day = entry.length() >= 2 ? DAYS.indexOf(entry.substring(0, 2)) : -1;
            if (day < 0) {
                throw new IllegalArgumentException("the access time '" + Printable.escape(entry)
                        + "' does not start with a day ("
                        + String.join(", ", DAYS) + ") and is not '*'");
            }
            final DayOfWeek dow = DayOfWeek.of(day + 1);
            final String rest = entry.substring(2);
            if (rest.equals("*")) {
                windows.add(new Window(dow, LocalTime.MIN, LocalTime.MAX));
                continue;
            }
            final Matcher m = RANGE.matcher(rest);
            if (!m.matches()) {
                throw new IllegalArgumentException("the access time '" + Printable.escape(entry)
                        + "' is neither " + DAYS.get(day)
                        + "* nor " + DAYS.get(day) + "hhmm-hhmm (e.g. " + DAYS.get(day) + "0900-1700)");
            }
            final LocalTime from = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            final LocalTime to = LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("the access time '" + Printable.escape(entry)
                        + "' ends before it starts; a range"
                        + " over midnight is two entries, one on each day");
            }
            windows.add(new Window(dow, from, to));
        }
        return new AccessTimes(always, windows);
    }

    /** True when {@code now}, in the hub's local time, is inside a window. */
    boolean allows(LocalDateTime now) {
        if (always) {
            return true;
        }
        final LocalTime t = now.toLocalTime();
        for (Window w : windows) {
            // jacktrip compares with millisecond precision: a range ending at 1700 ends at 17:00:00.000.
            if (w.day() == now.getDayOfWeek() && !t.isBefore(w.from()) && !t.isAfter(w.to())) {
                return true;
            }
        }
        return false;
    }
}
