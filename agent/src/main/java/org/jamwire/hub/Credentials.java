package org.jamwire.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.text.Printable;

/**
 * The users of an authenticating hub, as jacktrip's {@code --credsfile} lists them: one line per
 * user, {@code user:$6$salt$hash:times}, where the hash is SHA-512 crypt (what
 * {@code openssl passwd -6} prints) and the times are {@link AccessTimes}. Blank lines and lines
 * starting with {@code #} are skipped. Unlike jacktrip, which skips a line it cannot read with a
 * warning, a line that is not right is an error naming it, so that a user is never locked out
 * silently. Immutable; any thread (the hub's handshake thread checks credentials).
 */
public final class Credentials {

    private static final Pattern HASH = Pattern.compile(
            "\\$6\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}");
    /** The most SHA-512 crypt rounds a hash may ask for: 200 times openssl's default, a few tenths of a second. */
    static final long MAX_ROUNDS = 1_000_000;
    /** Hashed for an unknown user, so that the answer takes as long as for a known one. */
    private static final String DECOY = "$6$decoydecoydecoy$";

    private record User(String hash, AccessTimes times) {
    }

    private final Map<String, User> users;

    private Credentials(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * Reads the lines of a credentials file.
     *
     * @param source how messages name the file
     * @throws IllegalArgumentException naming the source, the line and what is wrong with it
     */
    public static Credentials parse(List<String> lines, String source) {
        final Map<String, User> users = new HashMap<>();
        final Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String where = source + " line " + (i + 1) + ": ";
            final String[] parts = line.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + "has " + parts.length + " fields separated by ':', not 3"
                        + " (user:$6$salt$hash:times, e.g. alice:" + "$6$...:*)");
            }
            final String user = parts[0];
            if (user.isEmpty()) {
                throw new IllegalArgumentException(where + "the user name is empty");
            }
            if (!HASH.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException(where + "the password hash is not SHA-512 crypt ($6$, a salt of 1 to"
                        + " 16 characters, $, 86 characters): make it with 'openssl passwd -6'");
            }
            final long rounds = parts[1].startsWith("$6$rounds=")
                    ? Long.parseLong(parts[1].substring(10, parts[1].indexOf('$', 10))) : 0;
            if (rounds > MAX_ROUNDS) {
                // The hub checks logins on one thread: a hash this slow would let anyone stall it.
                throw new IllegalArgumentException(where + "the password hash asks for " + rounds + " rounds, more than"
                        + " the " + MAX_ROUNDS + " a hub checks (each login would take seconds): make it with"
                        + " 'openssl passwd -6' and its default rounds");
            }
            final AccessTimes times;
            try {
                times = AccessTimes.parse(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            final Integer earlier = lineOf.putIfAbsent(user, i + 1);
            if (earlier != null) {
                throw new IllegalArgumentException(where + "the user '" + Printable.escape(user)
                        + "' is also on line " + earlier);
            }
            users.put(user, new User(parts[1], times));
        }
        return new Credentials(users);
    }

    /** How many users it lists. */
    public int size() {
        return users.size();
    }

    /**
     * Checks a user's password and access times at {@code now} (the hub's local time).
     *
     * @return {@link HubHandshake#AUTH_OK}, {@link HubHandshake#AUTH_WRONG_CREDENTIALS} (unknown user,
     *     empty user or password, wrong password) or {@link HubHandshake#AUTH_WRONG_TIME} (right
     *     password outside the user's times), as jacktrip answers
     */
    public int check(String user, String password, LocalDateTime now) {
        final User u = users.get(user);
        final boolean matches = matches(password, u == null ? null : u.hash());
        if (u == null || user.isEmpty() || password.isEmpty() || !matches) {
            return HubHandshake.AUTH_WRONG_CREDENTIALS;
        }
        return u.times().allows(now) ? HubHandshake.AUTH_OK : HubHandshake.AUTH_WRONG_TIME;
    }

    /** True when {@code password} gives {@code hash}; with a null hash, takes as long and is false. */
    static boolean matches(String password, String hash) {
        final byte[] key = password.getBytes(StandardCharsets.UTF_8);
        final String computed = Sha2Crypt.sha512Crypt(key, hash == null ? DECOY : hash);
        java.util.Arrays.fill(key, (byte) 0);
        return hash != null && MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }
}
