package org.jamwire.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The built jar carries the lab's roles for the coordinator and nothing a user keeps beside them:
 * no inventory, no token, no key.
 */
@Tag("integration")
@Tag("concurrent")
class JarSecretsTest {

    private static final String BUNDLE = "org/jamwire/provision/ansible/";
    /** An agent token: 32 random bytes in hex. */
    private static final Pattern TOKEN = Pattern.compile("(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

    private static ZipFile jar() throws IOException {
        return new ZipFile(Path.of(System.getProperty("jamwire.jar")).toFile());
    }

    @Test
    void the_bundled_ansible_tree_is_the_playbook_its_config_and_the_roles_only() throws IOException {
        final List<String> others = new ArrayList<>();
        int roles = 0;
        try (ZipFile zip = jar()) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory() || !e.getName().startsWith(BUNDLE)) {
                    continue;
                }
                final String name = e.getName().substring(BUNDLE.length());
                if (name.startsWith("roles/")) {
                    roles++;
                } else if (!name.equals("site.yml") && !name.equals("ansible.cfg")) {
                    others.add(name);
                }
            }
        }
        assertEquals(List.of(), others, "files of ansible/ that are not the playbook, its config or a role");
        assertTrue(roles > 10, "the roles are bundled: " + roles + " files");
    }

    @Test
    void no_resource_of_ours_holds_a_token_or_a_private_key() throws IOException {
        final List<String> found = new ArrayList<>();
        try (ZipFile zip = jar()) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory() || !e.getName().startsWith("org/jamwire/") || e.getName().endsWith(".class")) {
                    continue;
                }
                final String text;
                try (InputStream in = zip.getInputStream(e)) {
                    text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                if (TOKEN.matcher(text).find() || PRIVATE_KEY.matcher(text).find()) {
                    found.add(e.getName());
                }
            }
        }
        assertEquals(List.of(), found, "resources holding what looks like a token or a private key");
    }
}
