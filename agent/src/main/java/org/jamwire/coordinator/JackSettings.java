package org.jamwire.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of a peer's JACK service as its settings file holds them ({@value #FILE}, in the
 * login user's home, written by the lab's {@code jack_service} role and read by the unit
 * {@value #UNIT}): the server it runs, its driver, rate and period. The file comes from the peer,
 * so every value is checked before it is believed. Immutable.
 *
 * @param server the JACK server name the service runs ({@code JAMWIRE_JACK_SERVER})
 * @param driver its driver, e.g. {@code alsa} ({@code JAMWIRE_JACK_DRIVER})
 * @param sampleRate the rate in Hz it starts jackd at ({@code JAMWIRE_JACK_RATE})
 * @param bufferSize the period in frames it starts jackd with ({@code JAMWIRE_JACK_PERIOD})
 */
public record JackSettings(String server, String driver, int sampleRate, int bufferSize) {

    /** Where the settings file is, as people write it: in the ssh login user's home. */
    public static final String FILE = "~/jackd.env";

    /** The systemd unit that runs jackd from the file, restarting it whenever it exits. */
    public static final String UNIT = "jamwire-jackd.service";

    /** Where to look when the service does not run: its status and its log, on the peer. */
    static final String LOOK = "see `systemctl status " + UNIT + "` and `journalctl -u jamwire-jackd` there";

    private static final Pattern LINE = Pattern.compile("(JAMWIRE_JACK_[A-Z_]{1,30})=(.{0,200})");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");

    /** Checks the values, naming the setting that is wrong. */
    public JackSettings {
        if (server == null || !server.matches(PeerPrograms.SERVER_NAME)) {
            throw new IllegalArgumentException(FILE + ": JAMWIRE_JACK_SERVER must be a JACK server name (1 to 63"
                    + " letters, digits, _ . -)");
        }
        if (driver != null && !driver.matches(PeerPrograms.SERVER_NAME)) {
            throw new IllegalArgumentException(FILE + ": JAMWIRE_JACK_DRIVER must be a driver's name, e.g. alsa");
        }
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw new IllegalArgumentException(FILE + ": JAMWIRE_JACK_RATE must be a rate in Hz, 1000 to 384000");
        }
        if (bufferSize < 1 || bufferSize > 65_536) {
            throw new IllegalArgumentException(FILE + ": JAMWIRE_JACK_PERIOD must be a period in frames, 1 to 65536");
        }
    }

    /**
     * The settings in a file's text: {@code KEY=VALUE} lines, as systemd's {@code EnvironmentFile=}
     * reads them; blank lines and {@code #} comments are skipped, and so are keys this does not use.
     *
     * @throws IllegalArgumentException naming the line or setting that is missing or wrong, and how to fix it
     */
    static JackSettings parse(String text) {
        final Map<String, String> values = new HashMap<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            final String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            final var m = LINE.matcher(l);
            if (m.matches()) {
                values.put(m.group(1), m.group(2).strip());
            } else if (l.startsWith("JAMWIRE_JACK_")) {
                throw new IllegalArgumentException(FILE + " line " + number + " is not KEY=VALUE: '"
                        + PeerProbe.printable(l, 60) + "'" + RERUN);
            }
        }
        for (String key : new String[] {"JAMWIRE_JACK_SERVER", "JAMWIRE_JACK_RATE", "JAMWIRE_JACK_PERIOD"}) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(FILE + " has no " + key + " line" + RERUN);
            }
        }
        final String driver = values.get("JAMWIRE_JACK_DRIVER");
        try {
            return new JackSettings(values.get("JAMWIRE_JACK_SERVER"), driver == null || driver.isEmpty() ? null
                    : driver, number(values, "JAMWIRE_JACK_RATE"), number(values, "JAMWIRE_JACK_PERIOD"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + RERUN, e);
        }
    }

    private static final String RERUN = " (re-run the lab's playbook to write it again)";

    private static int number(Map<String, String> values, String key) {
        final String v = values.get(key);
        if (!NUMBER.matcher(v).matches()) {
            throw new IllegalArgumentException(FILE + ": " + key + " is '" + PeerProbe.printable(v, 20)
                    + "', not a whole number");
        }
        return Integer.parseInt(v);
    }

    /** How people read them, e.g. {@code default at 48000 Hz, 128 frames}. */
    String describe() {
        return "'" + server + "' at " + sampleRate + " Hz, " + bufferSize + " frames";
    }
}
