package org.jamwire.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * jacktrip's hub handshake over TCP: the client sends 68 bytes (its UDP bind port as a
 * little-endian int32, then its name in 64 NUL-padded bytes), the hub answers with 4 bytes (the UDP
 * port of the client's worker, or an authentication code above 65535) and closes. With
 * authentication ({@code -A}) the client first sends {@link #AUTH_OK} in plain, the hub echoes it,
 * both switch to TLS on the same socket, and the request inside TLS carries a user name and a
 * password after the name (see {@link #authRequest}). Pure functions over buffers; any thread.
 *
 * <pre>
 *  client -> hub (68 bytes)                      hub -> client (4 bytes)
 *  +--------------+----------------------------+  +--------------------------+
 *  | u32 LE port  | name, UTF-8, NUL-padded (64)|  | u32 LE worker port / code |
 *  +--------------+----------------------------+  +--------------------------+
 * </pre>
 */
public final class HubHandshake {

    /** Bytes of the client's request. */
    public static final int REQUEST_LENGTH = 68;
    /** Bytes of the hub's answer. */
    public static final int RESPONSE_LENGTH = 4;
    /** Bytes of the name field. */
    public static final int NAME_FIELD = 64;
    /** The longest name: the field keeps one NUL. */
    public static final int MAX_NAME_BYTES = NAME_FIELD - 1;

    /** Authentication answer codes; any answer above 65535 is one of these. */
    public static final int AUTH_OK = 65536;
    public static final int AUTH_REQUIRED = 131072;
    public static final int AUTH_NOT_REQUIRED = 196608;
    public static final int AUTH_WRONG_CREDENTIALS = 262144;
    public static final int AUTH_WRONG_TIME = 327680;

    /** Bytes of an authenticated request before the user name: port, name, and the two lengths. */
    public static final int AUTH_HEADER_LENGTH = REQUEST_LENGTH + 8;
    /** The longest user name or password a hub takes, in UTF-8 bytes; jacktrip sets no limit. */
    public static final int MAX_CREDENTIAL_BYTES = 1024;

    /** A parsed request: the client's UDP bind port and its name ("" when it sent none). */
    public record Request(int udpPort, String name) {
    }

    /** A parsed authenticated request: the plain request and the credentials that came with it. */
    public record AuthRequest(Request request, String user, String password) {

        /** Leaves the password out, so that a log line or a failed assertion never shows it. */
        @Override
        public String toString() {
            return "AuthRequest[" + request + ", user=" + user + "]";
        }
    }

    private HubHandshake() {
    }

    /**
     * The 68-byte request.
     *
     * @throws IllegalArgumentException when the port is outside 0..65535 or the name is over
     *     {@value #MAX_NAME_BYTES} bytes in UTF-8
     */
    public static byte[] request(int udpPort, String name) {
        if (udpPort < 0 || udpPort > 65535) {
            throw new IllegalArgumentException("UDP port " + udpPort + " is outside 0 to 65535");
        }
        final byte[] n = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        if (n.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("the name is " + n.length + " bytes in UTF-8; the hub takes at most "
                    + MAX_NAME_BYTES);
        }
        final ByteBuffer b = ByteBuffer.allocate(REQUEST_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(udpPort).put(n);
        return b.array();
    }

    /**
     * The request an authenticating client sends inside TLS:
     *
     * <pre>
     *  +-------------+-------------------+-------------+-------------+-----------+-----------+
     *  | u32 LE port | name (64, as plain)| u32 LE ulen | u32 LE plen | user, NUL | pass, NUL |
     *  +-------------+-------------------+-------------+-------------+-----------+-----------+
     * </pre>
     *
     * The lengths leave out the NULs.
     *
     * @throws IllegalArgumentException as {@link #request}, or when the user name or password is
     *     over {@value #MAX_CREDENTIAL_BYTES} bytes in UTF-8
     */
    public static byte[] authRequest(int udpPort, String name, String user, char[] password) {
        final byte[] plain = request(udpPort, name);
        final byte[] u = user.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        final byte[] p = new byte[encoded.remaining()];
        encoded.get(p);
        java.util.Arrays.fill(encoded.array(), (byte) 0);
        if (u.length > MAX_CREDENTIAL_BYTES || p.length > MAX_CREDENTIAL_BYTES) {
            throw new IllegalArgumentException("the user name and the password may each be at most "
                    + MAX_CREDENTIAL_BYTES + " bytes in UTF-8");
        }
        final ByteBuffer b = ByteBuffer.allocate(AUTH_HEADER_LENGTH + u.length + p.length + 2)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(plain).putInt(u.length).putInt(p.length).put(u).put((byte) 0).put(p).put((byte) 0);
        java.util.Arrays.fill(p, (byte) 0);
        return b.array();
    }

    /**
     * Parses an authenticated request at the buffer's position, or returns null when more bytes
     * are needed.
     *
     * @throws IllegalArgumentException as {@link #parseRequest}, or when a length is negative or over
     *     {@value #MAX_CREDENTIAL_BYTES}, a field lacks its NUL, or is not UTF-8
     */
    public static AuthRequest parseAuthRequest(ByteBuffer in) {
        if (in.remaining() < AUTH_HEADER_LENGTH) {
            return null;
        }
        final ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final int start = b.position();
        final int userLength = b.getInt(start + REQUEST_LENGTH);
        final int passwordLength = b.getInt(start + REQUEST_LENGTH + 4);
        if (userLength < 0 || userLength > MAX_CREDENTIAL_BYTES || passwordLength < 0
                || passwordLength > MAX_CREDENTIAL_BYTES) {
            throw new IllegalArgumentException("the request's user name or password length ("
                    + Integer.toUnsignedString(userLength) + ", " + Integer.toUnsignedString(passwordLength)
                    + ") is outside 0 to " + MAX_CREDENTIAL_BYTES);
        }
        if (in.remaining() < AUTH_HEADER_LENGTH + userLength + passwordLength + 2) {
            return null;
        }
        final Request request = parseRequest(b);
        b.position(start + AUTH_HEADER_LENGTH);
        final String user = terminated(b, userLength, "user name");
        final String password = terminated(b, passwordLength, "password");
        return new AuthRequest(request, user, password);
    }

    private static String terminated(ByteBuffer b, int length, String what) {
        final byte[] field = new byte[length];
        b.get(field);
        if (b.get() != 0) {
            throw new IllegalArgumentException("the request's " + what + " does not end with a NUL after its "
                    + length + " bytes");
        }
        final String s = new String(field, StandardCharsets.UTF_8);
        java.util.Arrays.fill(field, (byte) 0);
        if (s.indexOf('\uFFFD') >= 0 || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the request's " + what + " is not valid UTF-8 without NULs");
        }
        return s;
    }

    /**
     * Parses a complete 68-byte request at the buffer's position.
     *
     * @throws IllegalArgumentException naming what is wrong: fewer than 68 bytes, a port outside
     *     0..65535, or a name that is not NUL-terminated UTF-8
     */
    public static Request parseRequest(ByteBuffer in) {
        if (in.remaining() < REQUEST_LENGTH) {
            throw new IllegalArgumentException("the request has " + in.remaining() + " bytes, not "
                    + REQUEST_LENGTH);
        }
        final ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final int port = b.getInt();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the request's UDP port " + Integer.toUnsignedString(port)
                    + " is outside 0 to 65535");
        }
        final byte[] field = new byte[NAME_FIELD];
        b.get(field);
        int len = 0;
        while (len < NAME_FIELD && field[len] != 0) {
            len++;
        }
        if (len == NAME_FIELD) {
            throw new IllegalArgumentException("the request's name is not NUL-terminated within its 64 bytes");
        }
        final String name = new String(field, 0, len, StandardCharsets.UTF_8);
        if (name.indexOf('\uFFFD') >= 0) {
            throw new IllegalArgumentException("the request's name is not valid UTF-8");
        }
        return new Request(port, name);
    }

    /** The 4-byte answer. */
    public static byte[] response(int portOrCode) {
        return ByteBuffer.allocate(RESPONSE_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putInt(portOrCode).array();
    }

    /** Reads a 4-byte answer (a port, or a code above 65535). */
    public static int parseResponse(byte[] four) {
        if (four.length != RESPONSE_LENGTH) {
            throw new IllegalArgumentException("the answer has " + four.length + " bytes, not " + RESPONSE_LENGTH);
        }
        return ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** What an answer above 65535 means, for messages. */
    public static String describeCode(int code) {
        return switch (code) {
            case AUTH_OK -> "authentication accepted";
            case AUTH_REQUIRED -> "the hub requires authentication (jacktrip -A)";
            case AUTH_NOT_REQUIRED -> "the hub does not use authentication";
            case AUTH_WRONG_CREDENTIALS -> "the hub refused the user name or password";
            case AUTH_WRONG_TIME -> "the hub refused this user at this time of day";
            default -> "the hub answered with the unknown code " + Integer.toUnsignedString(code);
        };
    }
}
