package org.jamwire.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.hub.Credentials;
import org.jamwire.protocol.HubHandshake;

/**
 * A hub's credentials file ({@code --credsfile}) of any text, its lines built from the pieces a real
 * one has and from anything else: it is read, or refused with an {@link IllegalArgumentException}
 * naming the file and line and holding no control character; a file that is read answers a login
 * with one of jacktrip's three codes.
 */
class CredentialsFuzzTest {

    /** openssl passwd -6 -salt saltsalt secret1 */
    private static final String HASH = "$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5NfAlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0";
    private static final String[] PIECES = {"alice", "bob", ":", "::", HASH, "$6$rounds=5000$saltsalt$"
        + HASH.substring(HASH.lastIndexOf('$') + 1), "$6$rounds=999999999$s$" + HASH.substring(HASH.lastIndexOf('$') + 1),
        "*", "Mo*", "Tu0900-1700", "Su2300-0100", "We2400-2500", ",", "#", " ", "\t", "\r", "\u001b", "é"};

    @FuzzTest(maxDuration = "10s")
    void file(FuzzedDataProvider data) {
        final List<String> lines = new ArrayList<>();
        final int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            final StringBuilder line = new StringBuilder();
            final int parts = data.consumeInt(0, 8);
            for (int k = 0; k < parts; k++) {
                line.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(10));
            }
            lines.add(line.toString());
        }
        final Credentials c;
        try {
            c = Credentials.parse(lines, "creds");
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().startsWith("creds line "), refused.getMessage());
            assertFalse(refused.getMessage().chars().anyMatch(Character::isISOControl), refused.getMessage());
            return;
        }
        if (data.consumeBoolean()) {
            final int code = c.check(data.consumeBoolean() ? "alice" : data.consumeString(8),
                    data.consumeBoolean() ? "secret1" : data.consumeString(8), LocalDateTime.of(2026, 12, 7, 12, 0));
            assertTrue(code == HubHandshake.AUTH_OK || code == HubHandshake.AUTH_WRONG_CREDENTIALS
                    || code == HubHandshake.AUTH_WRONG_TIME, "code " + code);
        }
    }
}
