package org.jamwire.jack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that a client just opened will be woken by the server.
 *
 * <p>jackd2's libjack on Linux keeps one table per process that maps, for each client refnum, the
 * futex the server signals to run that client. Every client of the process shares it: a client
 * waits on its own entry and wakes the clients after it in the graph through theirs. Each client's
 * notification thread maps an entry when the server says a client (of any process) arrived and
 * unmaps it when the server says it left, and opening a client maps its own entry, unless the
 * entry is still mapped, which it then keeps. So when a client leaves and the next client takes its
 * refnum before this process has handled the departure (a notification thread that is busy or not
 * yet scheduled, or a client that was still opening and skips it), the new client keeps the old
 * client's futex: the server signals the new one, the client waits on the old one, and jackd
 * reports it {@code not finished, state = Triggered} every period while it never runs. Short-lived
 * clients such as {@code jack_lsp} coming and going beside a hub's clients cause this.
 *
 * <p>{@link #ready} first lets every active client of the process catch up with the notifications
 * sent so far (the server's latency recomputation waits for each one's answer), which maps the
 * right futex whenever a late departure was the cause, and then checks in {@code /proc/self/maps}
 * that the process maps the very futex file the server made for the new client. Called from control
 * threads, between opening a client and activating it.
 */
final class ClientSynchro {

    private static final Path SHM = Path.of("/dev/shm");
    private static final Path MAPS = Path.of("/proc/self/maps");

    private ClientSynchro() {}

    /**
     * True when the client may be activated: this process maps the futex the server signals for it,
     * or the server is not jackd2 on Linux (it made no futex file to check).
     */
    static boolean ready(long client, String server) {
        JackLibrary.jack_recompute_total_latencies(client);
        final String name = JackLibrary.jack_get_client_name(client);
        try {
            return mapsCurrent(SHM.resolve(futexFileName(server, name)), Files.readAllLines(MAPS));
        } catch (IOException e) {
            return true; // nothing to check against: not jackd2's futexes, or no /proc
        }
    }

    /** The name of the file in /dev/shm that jackd2 makes for a client's futex. */
    static String futexFileName(String server, String client) throws IOException {
        final String rewritten = client.replace('/', '_').replace('\\', '_');
        if (System.getenv("JACK_PROMISCUOUS_SERVER") != null) {
            return "jack_sem." + server + "_" + rewritten;
        }
        return "jack_sem." + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + "_" + server + "_" + rewritten;
    }

    /**
     * True when one of the {@code maps} lines maps {@code file} as it is now (its inode), or the
     * file does not exist.
     *
     * @throws IOException when the file cannot be read
     */
    static boolean mapsCurrent(Path file, List<String> maps) throws IOException {
        final long inode;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            return true;
        }
        final String path = file.toString();
        for (String line : maps) {
            // address perms offset dev inode path
            final String[] fields = line.trim().split("\\s+", 6);
            if (fields.length == 6 && fields[5].equals(path) && fields[4].equals(Long.toString(inode))) {
                return true;
            }
        }
        return false;
    }
}
