package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.jamwire.protocol.HubHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** jacktrip's credentials file: SHA-512 crypt, access times, and lines that are not right. */
class CredentialsTest {

    /** openssl passwd -6 -salt saltsalt secret1 */
    private static final String SECRET1 = "$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5NfAlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0";
    /** openssl passwd -6 -salt 0WAJA8Zvyz2SK3G5 'pässwörd' (UTF-8) */
    private static final String UMLAUTS = "$6$0WAJA8Zvyz2SK3G5$u1DU/x9mQP..EUB8OxQeple9qIlsLODFXRkOrb0qz2T2FZ.gsEsW0Iv01k3kfgVOkkaylWTOpYFK57yc0S3Iw0";
    /** A Wednesday. */
    private static final LocalDateTime WED_1000 = LocalDateTime.of(2026, 11, 25, 10, 0);

    private static Credentials users(String... lines) {
        return Credentials.parse(List.of(lines), "creds");
    }

    @Test
    void sha512_crypt_matches_openssl_passwd_6() {
        assertTrue(Credentials.matches("secret1", SECRET1));
        assertTrue(Credentials.matches("pässwörd", UMLAUTS));
        assertFalse(Credentials.matches("secret2", SECRET1));
        assertFalse(Credentials.matches("passwörd", UMLAUTS));
    }

    @Test
    void sha512_crypt_matches_drepper_vectors_with_rounds() {
        // From Ulrich Drepper's SHA-crypt specification's test vectors.
        assertTrue(Credentials.matches("Hello world!",
                "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"));
        assertTrue(Credentials.matches("Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sb"
                + "HbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."));
    }

    @Test
    void good_credentials_at_any_time_with_a_star() {
        assertEquals(HubHandshake.AUTH_OK, users("alice:" + SECRET1 + ":*").check("alice", "secret1", WED_1000));
    }

    @Test
    void a_wrong_password_an_unknown_user_and_empty_ones_are_wrong_credentials() {
        final Credentials c = users("alice:" + SECRET1 + ":*");
        assertEquals(HubHandshake.AUTH_WRONG_CREDENTIALS, c.check("alice", "secret2", WED_1000));
        assertEquals(HubHandshake.AUTH_WRONG_CREDENTIALS, c.check("mallory", "secret1", WED_1000));
        assertEquals(HubHandshake.AUTH_WRONG_CREDENTIALS, c.check("alice", "", WED_1000));
        assertEquals(HubHandshake.AUTH_WRONG_CREDENTIALS, c.check("", "secret1", WED_1000));
    }

    @Test
    void an_empty_times_field_never_lets_in() {
        assertEquals(HubHandshake.AUTH_WRONG_TIME, users("bob:" + SECRET1 + ":").check("bob", "secret1", WED_1000));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
        "We*, 2026-11-25T00:00, true",
        "We*, 2026-11-25T23:59:59.999, true",
        "We*, 2026-11-26T10:00, false",
        "'Tu*,We0900-1700', 2026-11-25T09:00, true",
        "'Tu*,We0900-1700', 2026-11-25T17:00, true",
        "'Tu*,We0900-1700', 2026-11-25T17:00:00.001, false",
        "'Tu*,We0900-1700', 2026-11-25T08:59:59, false",
        "'Tu*,We0900-1700', 2026-11-24T03:00, true",
        "'Mo0000-0001,Su*', 2026-11-25T00:00, false",
        "'Su*,*', 2026-11-25T12:00, true",
    })
    void access_times_as_jacktrip_reads_them(String times, LocalDateTime at, boolean allowed) {
        final Credentials c = users("carol:" + SECRET1 + ":" + times);
        assertEquals(allowed ? HubHandshake.AUTH_OK : HubHandshake.AUTH_WRONG_TIME, c.check("carol", "secret1", at));
    }

    @Test
    void blank_lines_and_comments_are_skipped() {
        assertEquals(1, users("", "# the band", "alice:" + SECRET1 + ":*", "   ").size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            alice                                   | creds line 2: has 1 fields separated by ':', not 3
            alice:$6$saltsalt$short:*               | creds line 2: the password hash is not SHA-512 crypt
            alice:$5$saltsalt$x:*                   | creds line 2: the password hash is not SHA-512 crypt
            :HASH:*                                 | creds line 2: the user name is empty
            alice:HASH:*:extra                      | creds line 2: has 4 fields
            alice:HASH:Xy*                          | creds line 2: the access time 'Xy*' does not start with a day
            alice:HASH:Mo9-17                       | creds line 2: the access time 'Mo9-17' is neither Mo* nor Mohhmm-hhmm
            alice:HASH:Mo2400-2401                  | creds line 2: the access time 'Mo2400-2401' is neither
            alice:HASH:Mo1700-0900                  | creds line 2: the access time 'Mo1700-0900' ends before it starts
            dave:HASH:*                             | creds line 2: the user 'dave' is also on line 1
            """)
    void a_line_that_is_not_right_is_an_error_naming_it(String line, String expected) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> users("dave:" + SECRET1 + ":*", line.replace("HASH", SECRET1)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
