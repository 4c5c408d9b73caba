package org.jamwire.coordinator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One OpenSSH known_hosts file, read as ssh reads it (host patterns with {@code *}, {@code ?} and
 * {@code !}, hashed names, {@code [host]:port}, {@code @revoked} lines; a line ssh would skip is
 * skipped), and appended to without touching what is there: a missing file is made readable by its
 * owner only, in a directory only its owner may enter. Reading is a snapshot; called on the main
 * thread of {@code jamwire lab trust} and on the control thread that records a key the user accepted.
 */
public final class KnownHostsFile {

    private static final FileAttribute<java.util.Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<java.util.Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final String HASH_MAGIC = "|1|";

    /** One usable line: its marker ({@code @revoked}, {@code @cert-authority} or ""), its hosts, its key. */
    private record Line(String marker, String hosts, SshHostKey key) {
    }

    private final Path file;
    private final List<Line> lines;

    private KnownHostsFile(Path file, List<Line> lines) {
        this.file = file;
        this.lines = List.copyOf(lines);
    }

    /**
     * The file as it is now; a missing file holds nothing.
     *
     * @throws IOException when it exists but cannot be read, or is over 16 MiB
     */
    public static KnownHostsFile read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new KnownHostsFile(file, List.of());
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is over 16 MiB: is it a known_hosts file?");
        }
        final List<Line> lines = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            final Line line = parse(text);
            if (line != null) {
                lines.add(line);
            }
        }
        return new KnownHostsFile(file, lines);
    }

    private static Line parse(String text) {
        final String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        final String[] f = trimmed.split("[ \t]+");
        final boolean marked = f[0].startsWith("@");
        final int at = marked ? 1 : 0;
        if (f.length < at + 3) {
            return null;
        }
        try {
            return new Line(marked ? f[0] : "", f[at], SshHostKey.parse(f[at + 1], f[at + 2]));
        } catch (IllegalArgumentException e) {
            return null; // as ssh does: a line it cannot read is passed over
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The keys recorded for {@code name} ({@code host} or {@code [host]:port}), without markers. */
    public List<SshHostKey> keysFor(String name) {
        final List<SshHostKey> out = new ArrayList<>();
        for (Line line : lines) {
            if (line.marker().isEmpty() && matches(line.hosts(), name)) {
                out.add(line.key());
            }
        }
        return out;
    }

    /** Whether an {@code @revoked} line names this key, for whatever host. */
    public boolean revokes(SshHostKey key) {
        return lines.stream().anyMatch(l -> l.marker().equals("@revoked") && l.key().equals(key));
    }

    /**
     * Appends {@code name key} on a line of its own, creating the file (0600) and its directory
     * (0700) when missing.
     *
     * @param hashName write the name hashed, as ssh does with {@code HashKnownHosts yes}
     */
    public static void append(Path file, String name, SshHostKey key, boolean hashName) throws IOException {
        final Path path = file.toAbsolutePath();
        final Path dir = path.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
        }
        try {
            Files.createFile(path, OWNER_ONLY_FILE);
        } catch (FileAlreadyExistsException e) {
            // Appended to as it is.
        }
        final String hosts = hashName ? hashed(name, salt()) : name;
        final String line = (endsOpen(path) ? "\n" : "") + hosts + " " + key.type() + " " + key.base64() + "\n";
        Files.writeString(path, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    /** True when the file's last line has no newline yet. */
    private static boolean endsOpen(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                return false;
            }
            final ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) != '\n';
        }
    }

    /** Whether a line's host field names {@code name}, as ssh matches it (names compared in lower case). */
    static boolean matches(String hosts, String name) {
        final String host = name.toLowerCase(Locale.ROOT);
        if (hosts.startsWith(HASH_MAGIC)) {
            final String[] parts = hosts.substring(HASH_MAGIC.length()).split("\\|", -1);
            if (parts.length != 2) {
                return false;
            }
            try {
                return hashed(host, Base64.getDecoder().decode(parts[0])).equals(hosts);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        boolean matched = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            final boolean negated = pattern.startsWith("!");
            if (glob(negated ? pattern.substring(1) : pattern, 0, host, 0)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean glob(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            final char c = pattern.charAt(p);
            if (c == '*') {
                for (int from = t; from <= text.length(); from++) {
                    if (glob(pattern, p + 1, text, from)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }

    /** {@code |1|salt|hash}: the name hashed as ssh-keygen -H does (HMAC-SHA1 keyed with the salt). */
    static String hashed(String name, byte[] salt) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            final byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.US_ASCII));
            final Base64.Encoder b64 = Base64.getEncoder();
            return HASH_MAGIC + b64.encodeToString(salt) + "|" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    private static byte[] salt() {
        final byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        return salt;
    }
}
