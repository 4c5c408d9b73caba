package org.jamwire.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jamwire.text.Printable;

/**
 * Reads an Ansible inventory file as Ansible itself does, by running {@code ansible-inventory -i
 * FILE --list} (a fixed argv, no shell) and parsing the JSON it prints: groups, hosts and each
 * host's variables with group variables and {@code group_vars/} merged in. Only the YAML and INI
 * inventory plugins are enabled, so an executable file is read, never run as an inventory script.
 * Called on an HTTP thread or the main thread; blocks until ansible-inventory ends or its time is up.
 */
public final class AnsibleInventory {

    /** How long ansible-inventory may take. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(30);
    private static final long MAX_OUTPUT_BYTES = 8L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why an inventory could not be read. */
    public enum Failure {
        /** The path names no regular, readable file; the user can fix the path. */
        BAD_PATH,
        /** ansible-inventory refused the file or printed no inventory; the user can fix the file. */
        BAD_INVENTORY,
        /** ansible-inventory is missing, or did not finish: this machine needs fixing. */
        UNAVAILABLE
    }

    /** An inventory that could not be read, with what to do about it. */
    public static final class InventoryException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        InventoryException(Failure failure, String message) {
            super(message);
            this.failure = failure;
        }

        /** Whose fault it is. */
        public Failure failure() {
            return failure;
        }
    }

    private AnsibleInventory() {
    }

    /**
     * Checks that {@code path} is a readable regular file.
     *
     * @return its absolute, normalized path (which never starts with '-', so no argv takes it for an option)
     */
    public static Path checkFile(String path) throws InventoryException {
        if (path == null || path.isBlank()) {
            throw new InventoryException(Failure.BAD_PATH, "path: give the inventory file's path on the agent's"
                    + " machine, e.g. ~/jamwire-lab/inventory.yml");
        }
        if (path.indexOf('\0') >= 0 || path.length() > 4096) {
            throw new InventoryException(Failure.BAD_PATH, "path: not a file path");
        }
        final Path p;
        try {
            p = expandHome(path.strip(), System.getProperty("user.home")).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new InventoryException(Failure.BAD_PATH, "path: " + e.getMessage());
        }
        final String shown = clip(p.toString());
        if (!Files.exists(p)) {
            throw new InventoryException(Failure.BAD_PATH, "path: " + shown + " does not exist on the agent's machine"
                    + " (the path is read there, not in the browser's)");
        }
        if (Files.isDirectory(p)) {
            throw new InventoryException(Failure.BAD_PATH, "path: " + shown + " is a directory: give the inventory"
                    + " file in it, e.g. " + clip(p.resolve("inventory.yml").toString()));
        }
        if (!Files.isRegularFile(p)) {
            throw new InventoryException(Failure.BAD_PATH, "path: " + shown + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new InventoryException(Failure.BAD_PATH, "path: " + shown + " is not readable by the agent's user ("
                    + System.getProperty("user.name") + ")");
        }
        return p;
    }

    /**
     * {@code ~} or {@code ~/...} with the home directory put in; any other path as it is.
     *
     * @throws IllegalArgumentException for {@code ~user/...}, whose home this agent does not look up
     */
    static Path expandHome(String path, String home) {
        if (path.equals("~")) {
            return Path.of(home);
        }
        if (path.startsWith("~/")) {
            return Path.of(home, path.substring(2));
        }
        if (path.startsWith("~")) {
            throw new IllegalArgumentException("'" + clip(path) + "': only ~/ (this agent's user's home) is expanded;"
                    + " give the full path");
        }
        return Path.of(path);
    }

    /**
     * Runs {@code ansible-inventory -i FILE --list} on a file {@link #checkFile} accepted.
     *
     * @return what it printed, parsed: a JSON object of groups and {@code _meta.hostvars}
     */
    public static JsonNode list(Path file) throws InventoryException {
        final Path program = onPath("ansible-inventory");
        if (program == null) {
            throw new InventoryException(Failure.UNAVAILABLE, "ansible-inventory is not installed on this machine,"
                    + " which reads the inventory with it: apt install ansible");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jamwire-inventory",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return run(List.of(program.toString(), "-i", file.toString(), "--list"), dir, file);
        } catch (IOException e) {
            throw new InventoryException(Failure.UNAVAILABLE, "could not run ansible-inventory: " + e.getMessage());
        } finally {
            delete(dir);
        }
    }

    private static JsonNode run(List<String> argv, Path dir, Path file) throws IOException, InventoryException {
        final Path out = dir.resolve("out.json");
        final Path err = dir.resolve("err.txt");
        final ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        final Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        // Files only: no inventory script is run, no cloud plugin called.
        env.put("ANSIBLE_INVENTORY_ENABLED", "yaml,ini");
        env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true");
        env.put("ANSIBLE_LOCAL_TEMP", dir.toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("NO_COLOR", "1");
        final Process p = pb.start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                stop(p);
                throw new InventoryException(Failure.UNAVAILABLE, "ansible-inventory did not finish reading "
                        + clip(file.toString()) + " within " + TIME_LIMIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new InventoryException(Failure.UNAVAILABLE, "interrupted while ansible-inventory ran");
        }
        if (p.exitValue() != 0) {
            throw new InventoryException(Failure.BAD_INVENTORY, "ansible-inventory could not read "
                    + clip(file.toString()) + " (exit " + p.exitValue() + "): " + said(err));
        }
        if (Files.size(out) > MAX_OUTPUT_BYTES) {
            throw new InventoryException(Failure.BAD_INVENTORY, "ansible-inventory printed over 8 MiB for "
                    + clip(file.toString()) + ": is it the lab's inventory?");
        }
        try {
            final JsonNode root = JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new InventoryException(Failure.BAD_INVENTORY, "ansible-inventory printed no inventory for "
                        + clip(file.toString()) + ": " + said(err));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InventoryException(Failure.BAD_INVENTORY, "ansible-inventory printed something other than"
                    + " JSON for " + clip(file.toString()) + ": " + said(err));
        }
    }

    /** The last lines of what ansible-inventory said on stderr, without its colour codes. */
    private static String said(Path err) throws IOException {
        final String text = new String(Files.readAllBytes(err), StandardCharsets.UTF_8)
                .replaceAll("\u001b\\[[0-9;]*m", "").strip();
        if (text.isEmpty()) {
            return "it said nothing";
        }
        // Ansible wraps its lines at 80 columns, breaking after a hyphen too (a path's "jamwire-lab"):
        // joined again, without a space after such a hyphen. YAML errors quote the file's lines, which
        // may hold a secret (a token): those quotes are left out.
        final String words = text.replaceAll("-\\n", "-").replaceAll("\\s+", " ")
                .replaceAll("The offending line appears to be:.*?(?=\\[WARNING]|ERROR!|$)",
                        "(its line left out here) ");
        final String tail = words.length() > 600 ? "…" + words.substring(words.length() - 600) : words;
        return Printable.escapeControls(tail);
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Left behind, it is still readable by this user only (0700), like the inventory's own directory.
        }
    }

    private static Path onPath(String program) {
        final String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!d.isEmpty()) {
                final Path p = Path.of(d, program);
                if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                    return p.toAbsolutePath();
                }
            }
        }
        return null;
    }

    static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
