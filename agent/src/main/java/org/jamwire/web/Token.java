package org.jamwire.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The agent's secret: 256 random bits as 64 hex digits, kept in a file only its owner can read.
 * Created on the control thread at start; {@link #matches} is called on HTTP and WebSocket threads.
 */
public final class Token {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** Fewest hex digits accepted in a token file: 128 bits. */
    static final int MIN_HEX_DIGITS = 32;
    private static final int BYTES = 32;

    private final byte[] value;
    private final boolean created;

    private Token(String value, boolean created) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
        this.created = created;
    }

    /**
     * Reads the token from {@code file}, or creates the file with a new token, readable and writable
     * by its owner only.
     *
     * @throws IOException when the file cannot be read or written, is readable by others, or holds
     *     something other than a token of at least 128 bits; the message says how to fix it
     */
    public static Token loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            final Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir, OWNER_ONLY_DIR);
            }
            final byte[] random = new byte[BYTES];
            new SecureRandom().nextBytes(random);
            final String hex = HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, OWNER_ONLY_FILE);
                Files.writeString(file, hex + "\n", StandardCharsets.US_ASCII);
                return new Token(hex, true);
            } catch (FileAlreadyExistsException raced) {
                // Another agent made it first: read theirs.
            }
        }
        final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("token file " + file + " can be read or written by others ("
                    + PosixFilePermissions.toString(perms) + "): run `chmod 600 " + file + "`");
        }
        final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (text.length() < MIN_HEX_DIGITS || !text.matches("[0-9a-fA-F]+")) {
            throw new IOException("token file " + file + " must hold at least " + MIN_HEX_DIGITS
                    + " hex digits (128 bits): delete it and the agent will write a new one");
        }
        return new Token(text, false);
    }

    /** Whether the agent wrote the file just now. */
    public boolean created() {
        return created;
    }

    /** The token, for the URL printed at start. */
    public String value() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    /** Compares in time independent of where the first difference is; null never matches. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.US_ASCII));
    }
}
