package org.jamwire.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jamwire.text.Printable;

/**
 * Names that come from outside (a hub client's handshake, a user name before login, a client name
 * on the command line or in a request) and end up in a log, a JACK client name or the UI. Control
 * characters and invisible format characters (among them the right-to-left override) are refused
 * where a person typed the name, replaced where a peer sent it, and escaped wherever one is shown
 * ({@link Printable}).
 * A JACK client must also not be named like a JACK server: its socket would replace the server's.
 * Control threads; allocates.
 */
public final class ClientNames {

    /** Where libjack (jackd2) keeps its servers' and clients' sockets. */
    static final Path JACK_SOCKET_DIR = Path.of("/dev/shm");

    private ClientNames() {
    }

    /** Whether {@code cp} would change how a line of text reads: a control or format character. */
    private static boolean unsafe(int cp) {
        return Printable.unsafe(cp);
    }

    /**
     * {@code name} with every control or format character, ':' (which separates a JACK port's
     * client from its port) and '/' (a path in the socket's name) replaced by '_'.
     */
    public static String sanitize(String name) {
        final StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            final int cp = name.codePointAt(i);
            s.appendCodePoint(unsafe(cp) || cp == ':' || cp == '/' ? '_' : cp);
            i += Character.charCount(cp);
        }
        return s.toString();
    }

    /**
     * A JACK client name for {@code requested} that no JACK socket on this machine has yet (a
     * server's, or a client's of any server): {@code requested} itself, or the first free of
     * {@code requested-01}, {@code -02} and so on, as jackd numbers duplicates. Never
     * {@code serverName}, the server the client joins.
     */
    public static String freeJackName(String requested, String serverName) {
        return freeJackName(requested, serverName, JACK_SOCKET_DIR);
    }

    static String freeJackName(String requested, String serverName, Path socketDir) {
        final String base = sanitize(requested);
        for (int n = 0; n < 100; n++) {
            final String candidate = n == 0 ? base : clip(base, 60) + String.format("-%02d", n);
            if (!candidate.equals(serverName) && !socketExists(candidate, socketDir)) {
                return candidate;
            }
        }
        return clip(base, 50) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private static boolean socketExists(String name, Path dir) {
        final Pattern socket = Pattern.compile("jack_" + Pattern.quote(name) + "_[0-9]+_0");
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> socket.matcher(p.getFileName().toString()).matches());
        } catch (IOException e) {
            return false; // no socket directory: no server runs here to collide with
        }
    }

    /** The longest prefix of {@code s} of at most {@code bytes} UTF-8 bytes, whole characters only. */
    private static String clip(String s, int bytes) {
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            final int cp = s.codePointAt(i);
            final int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > bytes) {
                return s.substring(0, i);
            }
            used += len;
            i += Character.charCount(cp);
        }
        return s;
    }
}
