package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Host keys described as {@code ssh-keygen -lf} describes them: each expected line below is what
 * OpenSSH 9.2's ssh-keygen printed for the public key beside it.
 */
class SshHostKeyTest {

    static final String ED25519 =
            "AAAAC3NzaC1lZDI1NTE5AAAAIAyNczfLxUv+uha5BLexdR06V66WTW4TX1gzkRGHG3Uj";
    static final String ECDSA_256 =
            "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIwqVoahYmIXM58eznKr3DNIT7PNU7LnLJZO"
            + "fs5iVhgJiySLjUPEaW62C8KUtTEy8lYw4TvS4MV0lxnimBLox2c=";
    static final String ECDSA_384 =
            "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBMLrHu3rvcaJNLQC9c/cFAm8SZWVxdfTvbHj"
            + "9XmnJM1gwSKHqMeXCDdKkSZ9RIqCzIdgnlTqHHMGJmf/GgBTjNQtkTMZJ1dkOMZFHwlPmGjS6MZOaACA6ti67yYO"
            + "V0pLfA==";
    static final String ECDSA_521 =
            "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAHiqzDsD9cR7tVTOAVO8nkJA0W+vq5pkV+m"
            + "8kAs1yewuh/6yW26P7KV0wixCHjNZCUHudlnfqDUtx/qDf/SD504/ABWID0BhtcKntZFehDlVSQc48DUOvhlX4a3"
            + "+f/6v/2XQB8WpiC+4dxsEZCDsUie3B7ou65bkLWHAJn/iYKoCTPpmw==";
    static final String RSA_3072 =
            "AAAAB3NzaC1yc2EAAAADAQABAAABgQCdYpJqk2Pkn/8c2G9Yp/7kUBGv0koNaGGiTSh8yT+qcFRGbNF/1814PcxX"
            + "e1jrxCs+eORlg4NFIEGKJeO8rR73tCno5gBB0GHPbNE/N4coz5T2gH9XJpZawf3b9BiaIEo/HHrQGZdvXZwXIb+c"
            + "HyMeTFxt42bqAg8VA3nxsb5ZE9OaxsYp4Qne+jK5GURN2WrV4s1FyHPbmoubcjvX+QplUkzav9dflSGvqtb8ezd4"
            + "Pdk7aC3/O8xfNKp/HGN+DqYDfW+FEe3tN4Jk5aAk7vIhqbKVxYCqJx59tPA2Yv/ARR12en11XOs6JvIQyWOi9TR0"
            + "N0aRHYlRXoiP8mnhibK6XrIVkeBo4Zyi+PH59wcrTaLPbBp7TepXjtwhvGqiI4/Z5MYoJ+9vSTxie7a7N+Eept+c"
            + "UxNI6N4Inz7WTao1tpo8W3gIXB9BSDKN6Ys586/5PieZVc6+GhZgjGRFSUq45/bYRPEDhoXGxDxg09nWrjoPBZ+l"
            + "MsbjTse8Ou9BXBc=";
    static final String RSA_1024 =
            "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBioIEkBcioxO+D7UQxvos6GNbP7GznmQalKugnQO5jrMGycKOjql0jwH7"
            + "wOQWo28S2OBsJNrzwru5ar/3Hi2Xo36o2QoQ5DgVt+jC1VCesF38RUzZoPqIqjztHzY747nd66ufeqIkhxu6x60/"
            + "waWoHstDbhq7XktPkyRbeO61mQ==";

    @Test
    void an_ed25519_key_is_described_as_ssh_keygen_describes_it() {
        assertEquals("256 SHA256:FzXgMBQAHFkZZe6xUqipzEgFua5KySJnT9ES1qGU+uk host (ED25519)",
                SshHostKey.parse("ssh-ed25519", ED25519).describe("host"));
    }

    @Test
    void ecdsa_keys_are_described_with_their_curves_size() {
        assertEquals("256 SHA256:BR49ZTvLDobDp3CvCMVs8EF0bWuyWQVgMCyj8ZYPkaE host (ECDSA)",
                SshHostKey.parse("ecdsa-sha2-nistp256", ECDSA_256).describe("host"));
        assertEquals("384 SHA256:wU9FZP+Hl9WrB6dr3Cjz78I/+WpSS2JgZBDy3T4WRe0 host (ECDSA)",
                SshHostKey.parse("ecdsa-sha2-nistp384", ECDSA_384).describe("host"));
        assertEquals("521 SHA256:MrJ80Qs5rgOTzZVWNNQWSfGIz87P4KrK30OSXQXryl4 host (ECDSA)",
                SshHostKey.parse("ecdsa-sha2-nistp521", ECDSA_521).describe("host"));
    }

    @Test
    void rsa_keys_are_described_with_their_modulus_size() {
        assertEquals("3072 SHA256:uduDMZGrKp59Dy3f9KhxGXMc4SEqzG+GQnZIXe1w3g0 [192.0.2.10]:2222 (RSA)",
                SshHostKey.parse("ssh-rsa", RSA_3072).describe("[192.0.2.10]:2222"));
        assertEquals("1024 SHA256:nE/p7vG77EDDIlRqINbqne79Su7hhMsLh0i6Yc4Adho host (RSA)",
                SshHostKey.parse("ssh-rsa", RSA_1024).describe("host"));
    }

    @Test
    void the_type_is_read_from_the_blob() {
        final SshHostKey key = SshHostKey.of(Base64.getDecoder().decode(ECDSA_384));
        assertEquals("ecdsa-sha2-nistp384", key.type());
        assertEquals(SshHostKey.parse("ecdsa-sha2-nistp384", ECDSA_384), key);
        assertEquals(ECDSA_384, key.base64());
    }

    @Test
    void each_kind_names_the_file_a_debian_host_keeps_it_in() {
        assertEquals("/etc/ssh/ssh_host_ed25519_key.pub", SshHostKey.parse("ssh-ed25519", ED25519).hostKeyFile());
        assertEquals("/etc/ssh/ssh_host_ecdsa_key.pub",
                SshHostKey.parse("ecdsa-sha2-nistp256", ECDSA_256).hostKeyFile());
        assertEquals("/etc/ssh/ssh_host_rsa_key.pub", SshHostKey.parse("ssh-rsa", RSA_3072).hostKeyFile());
    }

    @Test
    void keys_are_equal_by_content() {
        assertEquals(SshHostKey.parse("ssh-ed25519", ED25519), SshHostKey.parse("ssh-ed25519", ED25519));
        assertNotEquals(SshHostKey.parse("ssh-rsa", RSA_1024), SshHostKey.parse("ssh-rsa", RSA_3072));
    }

    @Test
    void a_key_whose_data_is_not_of_its_type_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ssh-rsa", ED25519));
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ecdsa-sha2-nistp384", ECDSA_256));
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ssh-ed25519", "not base64!"));
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ssh-ed25519", ED25519.substring(0, 40)));
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ssh ed25519", ED25519));
    }
}
