package org.jamwire.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.function.Consumer;

/**
 * A credentials file that is read again when it changes, as jacktrip does: each check first looks
 * at the file's modification time and size, and reads it anew if either moved. A new version that
 * cannot be read is reported and the last good one stays in force. Called on the hub's handshake
 * thread only.
 */
final class CredentialsFile {

    private final Path path;
    private final Clock clock;
    private final Consumer<String> report;
    private Credentials current;
    private long modified;
    private long size;

    private CredentialsFile(Path path, Clock clock, Consumer<String> report) {
        this.path = path;
        this.clock = clock;
        this.report = report;
    }

    /**
     * Reads the file.
     *
     * @param report told when a changed file was read again, or could not be
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException naming the line that is not right
     */
    static CredentialsFile open(Path path, Clock clock, Consumer<String> report) throws IOException {
        final CredentialsFile f = new CredentialsFile(path, clock, report);
        final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        f.current = Credentials.parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString());
        f.modified = a.lastModifiedTime().toMillis();
        f.size = a.size();
        return f;
    }

    /** The users now in force. */
    Credentials current() {
        reloadIfChanged();
        return current;
    }

    /** As {@link Credentials#check}, at the clock's local time. */
    int check(String user, String password) {
        return current().check(user, password, LocalDateTime.now(clock));
    }

    private void reloadIfChanged() {
        final BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return; // Being replaced by an editor: the next check sees the new one.
        }
        if (a.lastModifiedTime().toMillis() == modified && a.size() == size) {
            return;
        }
        modified = a.lastModifiedTime().toMillis();
        size = a.size();
        try {
            current = Credentials.parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString());
            report.accept("read the changed credentials file " + path + ": " + current.size() + " users");
        } catch (IOException | IllegalArgumentException e) {
            report.accept("the changed credentials file cannot be used, so the previous one stays in force: "
                    + e.getMessage());
        }
    }
}
