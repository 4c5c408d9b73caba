package org.jamwire.provision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's ansible-playbook and ansible-lint on the repository's ansible/ directory, with its
 * ansible.cfg, each run's output (stdout and stderr) kept in a file under a work directory. Test thread.
 */
final class Ansible {

    /**
     * How long one run may take at most: a hung run fails the test. A converge takes about a minute
     * on an idle machine, and several on a busy one shared with other builds.
     */
    static final Duration RUN_LIMIT = Duration.ofSeconds(600);

    /** What a run printed and how it ended. */
    record Run(List<String> command, int exit, String output) {

        /** The PLAY RECAP's count {@code key} (ok, changed, failed, ...) for {@code host}. */
        int recap(String host, String key) {
            final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s*:.*\\b" + key + "=(\\d+)")
                    .matcher(output);
            if (!m.find()) {
                throw new AssertionError("no PLAY RECAP line for " + host + " in the output of "
                        + String.join(" ", command) + ":\n" + tail());
            }
            return Integer.parseInt(m.group(1));
        }

        /** The last lines of the output, for failure messages. */
        String tail() {
            final String[] lines = output.split("\n");
            return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
        }
    }

    private final Path directory;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger();

    private Ansible(Path directory, Path work) {
        this.directory = directory;
        this.work = work;
    }

    /**
     * The repository's ansible/ directory (system property {@code jamwire.ansible}), with runs'
     * output and Ansible's temporary files under {@code work}. Outside CI, skips the calling test
     * when ansible-playbook or ansible-lint is missing; in CI, where scripts/install-test-deps
     * installs them, fails instead.
     */
    static Ansible in(Path work) throws IOException {
        for (String program : List.of("ansible-playbook", "ansible-lint")) {
            final boolean there = Files.isExecutable(Path.of("/usr/bin", program));
            final String message = program + " is not installed: run scripts/install-test-deps";
            if (System.getenv("CI") == null) {
                Assumptions.assumeTrue(there, message);
            }
            assertTrue(there, message);
        }
        final String dir = System.getProperty("jamwire.ansible");
        if (dir == null || !Files.isRegularFile(Path.of(dir, "site.yml"))) {
            throw new IllegalStateException("system property jamwire.ansible does not name ansible/: " + dir
                    + " (run the integration tests with 'mvn verify')");
        }
        Files.createDirectories(work);
        return new Ansible(Path.of(dir), work);
    }

    /** The ansible/ directory. */
    Path directory() {
        return directory;
    }

    /** Runs {@code ansible-playbook ARGS... site.yml}. */
    Run playbook(String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("ansible-playbook"));
        command.addAll(List.of(args));
        command.add("site.yml");
        return run(command);
    }

    /** Runs {@code command} in the ansible/ directory; runs may go on at once, from several threads. */
    Run run(List<String> command) throws IOException, InterruptedException {
        final Path log = work.resolve("run-" + runs.incrementAndGet() + ".log");
        final ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ANSIBLE_CONFIG", directory.resolve("ansible.cfg").toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", work.resolve("local-tmp").toString());
        pb.environment().put("ANSIBLE_REMOTE_TMP", work.resolve("remote-tmp").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("NO_COLOR", "1");
        pb.environment().remove("ANSIBLE_FORCE_COLOR");
        final Process p = pb.start();
        if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " took longer than " + RUN_LIMIT + ":\n"
                    + Files.readString(log));
        }
        return new Run(command, p.exitValue(), Files.readString(log));
    }
}
