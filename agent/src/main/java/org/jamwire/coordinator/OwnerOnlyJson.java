package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A JSON file of the coordinator's (peers, ensembles) that only this agent's user may read,
 * replaced whole and atomically: written beside it, then moved over it. Called by its owner, under
 * its owner's lock.
 */
final class OwnerOnlyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OwnerOnlyJson() {
    }

    /**
     * The JSON list in {@code file}, or null when there is no file yet.
     *
     * @throws IOException when it cannot be read, or holds something other than a list of
     *     {@code what}; the message names the file
     */
    static JsonNode readList(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        final JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": must be a JSON list of " + what);
        }
        return root;
    }

    /** Writes {@code value} in place of what {@code file} held, readable by its owner only. */
    static void replace(Path file, JsonNode value) throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
