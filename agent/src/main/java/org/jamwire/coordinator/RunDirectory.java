package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files one provisioning run works from, in a temporary directory only this agent's user can
 * read: the playbook and roles taken from the jar, the inventory written for the run, and the
 * variables with the token. Closing it ends the ssh connections the run kept open and deletes it
 * all. The job's own thread.
 */
final class RunDirectory implements AutoCloseable {

    /** Where the ansible/ directory is in the jar. */
    static final String BUNDLE = "org/jamwire/provision/ansible/";
    private static final String IP_ADDRESS = "[0-9.]{7,15}|[0-9A-Fa-f:]{2,39}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    RunDirectory() throws IOException {
        dir = Files.createTempDirectory("jamwire-provision-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** The directory itself; ansible-playbook keeps its temporary files under it. */
    Path path() {
        return dir;
    }

    /** The playbook and roles from the jar, to {@code ansible/}; the directory the playbook runs in. */
    Path extract(Path jar) throws IOException {
        final Path to = dir.resolve("ansible");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().startsWith(BUNDLE) || e.getName().contains("..")) {
                    continue;
                }
                final Path target = to.resolve(e.getName().substring(BUNDLE.length()));
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (!Files.isRegularFile(to.resolve("site.yml"))) {
            throw new IOException(jar + " holds no playbook under " + BUNDLE + ": it was built without ansible/");
        }
        return to;
    }

    /** Writes the run's inventory; its path. */
    Path inventory(Provisioning.Plan plan) throws IOException {
        return write(dir.resolve("inventory.yml"), inventory(plan, dir));
    }

    /** Writes the run's variables; its path. */
    Path vars(Provisioning.Plan plan) throws IOException {
        return write(dir.resolve("vars.yml"), extraVars(plan));
    }

    /**
     * The run's inventory: the peer with how to reach it, in group {@code lab} with every other
     * peer whose host is an IP address (named, not contacted: {@code lab_network} writes them all
     * into /etc/hosts).
     */
    private static ObjectNode inventory(Provisioning.Plan plan, Path dir) throws IOException {
        final Peer peer = plan.peer();
        final ObjectNode hosts = JSON.createObjectNode();
        for (Peer other : plan.lab()) {
            if (!other.name().equals(peer.name()) && other.host().matches(IP_ADDRESS)) {
                hosts.putObject(other.name()).put("ansible_host", other.host());
            }
        }
        final ObjectNode h = hosts.putObject(peer.name());
        h.put("ansible_host", peer.host());
        h.put("ansible_port", peer.port());
        h.put("ansible_user", peer.user());
        h.put("ansible_ssh_private_key_file", peer.key().toAbsolutePath().toString());
        h.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + plan.knownHosts()
                + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes");
        // One ssh connection for all the run's tasks, ended when the run ends.
        h.put("ansible_ssh_args", "-o ControlMaster=auto -o ControlPersist=60s -o ControlPath="
                + Files.createDirectories(dir.resolve("cp")) + "/%C");
        if (!"root".equals(peer.user())) {
            h.put("ansible_become", true);
        }
        if (!peer.host().matches(IP_ADDRESS)) {
            // Its name resolves already; lab_network's /etc/hosts block needs addresses.
            h.put("lab_network_hosts", false);
        }
        final ObjectNode inventory = JSON.createObjectNode();
        inventory.putObject("lab").set("hosts", hosts);
        return inventory;
    }

    private static ObjectNode extraVars(Provisioning.Plan plan) {
        final ObjectNode vars = JSON.valueToTree(plan.settings().vars());
        vars.put("jamwire_agent_jar_src", plan.jar().toString());
        // A peer whose agent has a token keeps it; one without gets this one.
        vars.put("jamwire_agent_token", plan.token());
        vars.put("jamwire_agent_token_keep", true);
        return vars;
    }

    /** Writes JSON (which YAML reads too) to a file only the agent's user can read. */
    private static Path write(Path file, ObjectNode content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), content);
        return file;
    }

    /** Ends the ssh connections the run kept open for its tasks, and deletes the files. */
    @Override
    public void close() {
        endMasters(dir.resolve("cp"));
        delete(dir);
    }

    /** Ends the ssh connections the run kept open for its tasks. */
    private static void endMasters(Path cp) {
        if (!Files.isDirectory(cp)) {
            return;
        }
        try (var sockets = Files.list(cp)) {
            for (Path socket : sockets.toList()) {
                final Process exit = new ProcessBuilder("ssh", "-O", "exit", "-o", "ControlPath=" + socket, "peer")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!exit.waitFor(10, TimeUnit.SECONDS)) {
                    exit.destroyForcibly();
                }
            }
        } catch (IOException e) {
            // The master ends by itself after ControlPersist.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Left in the temporary directory, readable by this user only.
        }
    }
}
