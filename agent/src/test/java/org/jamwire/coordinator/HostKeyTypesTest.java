package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host key algorithms proposed to a host, in OpenSSH's order, with the types already known first. */
class HostKeyTypesTest {

    @Test
    void a_host_nobody_knows_is_asked_for_ed25519_first_as_openssh_asks() {
        assertEquals(List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                "rsa-sha2-512", "rsa-sha2-256"), HostKeyTypes.preferring(Set.of()));
    }

    @Test
    void a_known_ecdsa_key_goes_first() {
        assertEquals(List.of("ecdsa-sha2-nistp256", "ssh-ed25519", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                "rsa-sha2-512", "rsa-sha2-256"), HostKeyTypes.preferring(Set.of("ecdsa-sha2-nistp256")));
    }

    @Test
    void a_known_rsa_key_brings_both_rsa_signature_algorithms_forward() {
        assertEquals("rsa-sha2-512,rsa-sha2-256,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
                + "ecdsa-sha2-nistp521", HostKeyTypes.proposal(Set.of("ssh-rsa")));
    }

    @Test
    void several_known_types_keep_openssh_order_among_themselves() {
        assertEquals(List.of("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256",
                "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"), HostKeyTypes.preferring(Set.of("ssh-rsa", "ssh-ed25519",
                "ssh-dss")));
    }
}
