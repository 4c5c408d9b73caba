package org.jamwire.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roles and the site playbook pass ansible-lint's default rules and Ansible's own syntax check. */
@Tag("integration")
@Tag("concurrent")
class AnsibleLintTest {

    @TempDir
    Path dir;

    @Test
    void roles_and_playbook_pass_ansible_lint() throws Exception {
        // --offline: no schema refresh or requirements download; the lab may have no Internet.
        final Ansible.Run lint = Ansible.in(dir).run(List.of("ansible-lint", "--offline", "--nocolor"));
        assertEquals(0, lint.exit(), "ansible-lint failed:\n" + lint.tail());
    }

    @Test
    void site_playbook_passes_the_syntax_check() throws Exception {
        final Ansible.Run syntax = Ansible.in(dir).playbook("-i", "inventory.example.yml", "--syntax-check");
        assertEquals(0, syntax.exit(), "ansible-playbook --syntax-check failed:\n" + syntax.tail());
    }
}
