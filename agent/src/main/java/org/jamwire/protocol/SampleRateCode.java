package org.jamwire.protocol;

/**
 * Maps sample rates to the header's rate code (byte 12) the way jacktrip does. {@link #codeFor}
 * and {@link #hzFor} are called from the network packet loop; {@link #describe} from the control
 * thread.
 *
 * <p>Peers only compare codes, so we must produce the code jacktrip would: each standard rate
 * matches within 99 Hz, and 192 kHz gets {@link #OTHER} because jacktrip compares it against 19200
 * by mistake (1.7.0 to 2.7.2). That typo also maps 19101..19299 Hz to code 6; we do not copy that,
 * since no audio interface runs there and code 6 has never been seen on the wire.
 */
public final class SampleRateCode {

    /** 22050 Hz. */
    public static final int SR22 = 0;
    /** 32000 Hz. */
    public static final int SR32 = 1;
    /** 44100 Hz. */
    public static final int SR44 = 2;
    /** 48000 Hz. */
    public static final int SR48 = 3;
    /** 88200 Hz. */
    public static final int SR88 = 4;
    /** 96000 Hz. */
    public static final int SR96 = 5;
    /** Any other rate, 192000 Hz included. */
    public static final int OTHER = 7;

    /** Rates of codes 0..5, in code order. */
    private static final int[] RATES = {22050, 32000, 44100, 48000, 88200, 96000};

    /** jacktrip accepts a rate when it is strictly closer than this to a standard one. */
    private static final int TOLERANCE_HZ = 100;

    private SampleRateCode() {}

    /** Returns the code jacktrip sends for a local rate of {@code hz}. */
    public static int codeFor(int hz) {
        for (int code = 0; code < RATES.length; code++) {
            if (Math.abs((long) hz - RATES[code]) < TOLERANCE_HZ) {
                return code;
            }
        }
        return OTHER;
    }

    /** Returns the rate a code stands for, or -1 for {@link #OTHER} and any unknown code. */
    public static int hzFor(int code) {
        return code >= 0 && code < RATES.length ? RATES[code] : -1;
    }

    /** Returns a phrase for messages, such as "48000 Hz" or "other (code 7)"; allocates. */
    public static String describe(int code) {
        return Text.describe(code);
    }

    /** Messages, in a class of their own: the packet loop's classes hold no string constants. */
    private static final class Text {
        static String describe(int code) {
            final int hz = hzFor(code);
            if (hz > 0) {
                return hz + " Hz";
            }
            return (code == OTHER ? "other" : "unknown") + " (code " + code + ")";
        }
    }
}
