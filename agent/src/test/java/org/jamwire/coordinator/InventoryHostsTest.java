package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab group's hosts as ansible-inventory lists them, and where ssh reaches each. */
class InventoryHostsTest {

    @TempDir
    Path dir;

    private static String list(String hostvars, String groups) {
        return "{\"_meta\": {\"hostvars\": {" + hostvars + "}}, \"all\": {\"children\": [\"ungrouped\", \"lab\"]}, "
                + groups + "}";
    }

    @Test
    void hosts_of_the_group_and_its_children_with_their_address_and_port() throws Exception {
        final List<InventoryHosts.Host> hosts = InventoryHosts.parse(list(
                "\"studio-a\": {\"ansible_host\": \"192.0.2.10\", \"ansible_port\": 2222},"
                        + " \"studio-b\": {\"ansible_user\": \"admin\"}, \"room\": {\"ansible_port\": \"2200\"},"
                        + " \"other\": {}",
                "\"lab\": {\"hosts\": [\"studio-a\", \"studio-b\"], \"children\": [\"rooms\"]},"
                        + " \"rooms\": {\"hosts\": [\"room\"]}, \"elsewhere\": {\"hosts\": [\"other\"]}"), "inv.yml");
        assertEquals(List.of(new InventoryHosts.Host("studio-a", "192.0.2.10", 2222, null),
                new InventoryHosts.Host("studio-b", "studio-b", 22, null),
                new InventoryHosts.Host("room", "room", 2200, null)), hosts);
        assertEquals("[192.0.2.10]:2222", hosts.get(0).knownHostsName());
        assertEquals("studio-b", hosts.get(1).knownHostsName());
    }

    @Test
    void a_user_known_hosts_file_in_the_hosts_ssh_arguments_is_kept() throws Exception {
        final List<InventoryHosts.Host> hosts = InventoryHosts.parse(list(
                "\"a\": {\"ansible_ssh_common_args\": \"-o StrictHostKeyChecking=yes -o UserKnownHostsFile=~/lab/kh\"},"
                        + " \"b\": {\"ansible_ssh_extra_args\": \"-o 'UserKnownHostsFile /srv/kh'\"}",
                "\"lab\": {\"hosts\": [\"a\", \"b\"]}"), "inv.yml");
        assertEquals("~/lab/kh", hosts.get(0).knownHostsFile());
        assertEquals("/srv/kh", hosts.get(1).knownHostsFile());
    }

    @Test
    void a_missing_or_empty_lab_group_says_so() {
        assertTrue(assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse(list("",
                "\"ungrouped\": {\"hosts\": [\"a\"]}"), "inv.yml")).getMessage()
                .startsWith("inv.yml has no group 'lab'"));
        assertEquals("the group 'lab' of inv.yml has no hosts", assertThrows(InventoryHosts.Unusable.class,
                () -> InventoryHosts.parse(list("", "\"lab\": {}"), "inv.yml")).getMessage());
    }

    @Test
    void an_unusable_address_or_port_names_the_host_and_the_variable() {
        assertEquals("host a: ansible_host '{{ x }}' is not a host name or IP address (a template, which"
                + " ansible-inventory does not evaluate; give the address itself)",
                assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse(list(
                        "\"a\": {\"ansible_host\": \"{{ x }}\"}", "\"lab\": {\"hosts\": [\"a\"]}"), "i")).getMessage());
        assertEquals("host a: ansible_host '-oProxyCommand=x' is not a host name or IP address",
                assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse(list(
                        "\"a\": {\"ansible_host\": \"-oProxyCommand=x\"}", "\"lab\": {\"hosts\": [\"a\"]}"), "i"))
                        .getMessage());
        assertEquals("host a: ansible_port '70000' is not a port from 1 to 65535",
                assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse(list(
                        "\"a\": {\"ansible_port\": 70000}", "\"lab\": {\"hosts\": [\"a\"]}"), "i")).getMessage());
        assertTrue(assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse(list(
                "\"a\": {\"ansible_host\": {\"__ansible_vault\": \"x\"}}", "\"lab\": {\"hosts\": [\"a\"]}"), "i"))
                .getMessage().startsWith("host a: ansible_host must be a plain value, not object"));
    }

    @Test
    void output_that_is_not_json_is_refused() {
        assertTrue(assertThrows(InventoryHosts.Unusable.class, () -> InventoryHosts.parse("[WARNING]: x", "i"))
                .getMessage().startsWith("ansible-inventory printed no JSON for i"));
    }

    @Test
    void a_real_inventory_is_read_through_ansible_inventory() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible-inventory")),
                "needs ansible-inventory: apt install ansible");
        final Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, """
                lab:
                  vars:
                    ansible_user: lab-admin
                  hosts:
                    studio-a:
                      ansible_host: 192.0.2.10
                      ansible_port: 2222
                    studio-b:
                      ansible_host: 192.0.2.11
                """);
        assertEquals(List.of(new InventoryHosts.Host("studio-a", "192.0.2.10", 2222, null),
                new InventoryHosts.Host("studio-b", "192.0.2.11", 22, null)),
                InventoryHosts.read(inventory));
        final String missing = assertThrows(InventoryHosts.Unusable.class,
                () -> InventoryHosts.read(dir.resolve("none.yml"))).getMessage();
        assertTrue(missing.contains("none.yml does not exist"), missing);
    }
}
