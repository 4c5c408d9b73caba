package org.jamwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's staleness check, run as the launcher defines it, on a tree of its own: a source
 * newer than the jar rebuilds, an inventory or token the user keeps in ansible/ does not (the jar
 * does not bundle it).
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of(System.getProperty("jamwire.launcher", "../jamwire"));

    @TempDir
    Path root;

    private void file(String path, Instant at) throws IOException {
        final Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        Files.setLastModifiedTime(p, FileTime.from(at));
    }

    /** Whether the launcher's needs_build says the jar in {@link #root} is stale. */
    private boolean needsBuild() throws IOException, InterruptedException {
        final String script = Files.readString(LAUNCHER, StandardCharsets.UTF_8);
        final int from = script.indexOf("needs_build() {");
        final int to = script.indexOf("\n}\n", from) + 3;
        final Process p = new ProcessBuilder("bash", "-c", "root=\"$1\"; jar=\"$1/agent/target/jamwire.jar\"; "
                + script.substring(from, to) + "needs_build", "launcher", root.toString())
                .redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the check did not finish");
        }
        return p.exitValue() == 0;
    }

    private void tree(Instant sources) throws IOException {
        for (String f : List.of("pom.xml", "agent/pom.xml", "agent/src/main/java/A.java", "web/pom.xml",
                "web/package.json", "web/index.html", "web/src/main.js", "ansible/site.yml", "ansible/ansible.cfg",
                "ansible/roles/r/tasks/main.yml")) {
            file(f, sources);
        }
        // Directories count too (a new file changes its directory): the tree's are as old as its files.
        try (var dirs = Files.walk(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(d, FileTime.from(sources));
            }
        }
    }

    @Test
    void a_fresh_jar_is_not_rebuilt() throws Exception {
        final Instant then = Instant.now().minusSeconds(3600);
        tree(then);
        file("agent/target/jamwire.jar", then.plusSeconds(60));
        assertEquals(false, needsBuild());
    }

    @Test
    void an_inventory_or_token_in_ansible_does_not_rebuild_the_jar() throws Exception {
        final Instant then = Instant.now().minusSeconds(3600);
        tree(then);
        file("agent/target/jamwire.jar", then.plusSeconds(60));
        file("ansible/inventory.yml", then.plusSeconds(120));
        file("ansible/agent.token", then.plusSeconds(120));
        file("ansible/host_vars/studio-a.yml", then.plusSeconds(120));
        assertEquals(false, needsBuild());
    }

    @Test
    void a_changed_role_or_source_rebuilds_it() throws Exception {
        final Instant then = Instant.now().minusSeconds(3600);
        tree(then);
        file("agent/target/jamwire.jar", then.plusSeconds(60));
        file("ansible/roles/r/tasks/main.yml", then.plusSeconds(120));
        assertEquals(true, needsBuild());
        file("ansible/roles/r/tasks/main.yml", then);
        file("agent/src/main/java/A.java", then.plusSeconds(120));
        assertEquals(true, needsBuild());
    }
}
