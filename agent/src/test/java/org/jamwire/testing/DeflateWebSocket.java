package org.jamwire.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A WebSocket client (RFC 6455) over a plain socket that offers permessage-deflate (RFC 7692) the
 * way browsers do, which java.net.http cannot (it may not set Sec-WebSocket-Extensions): a server
 * that accepts then compresses what it sends. Only what a feed client needs: text messages both
 * ways (its own sent uncompressed, as a browser may), ping, pong and close. {@link #open} runs on
 * the caller's thread; each socket reads on a thread of its own, which calls the listener.
 */
final class DeflateWebSocket implements AutoCloseable {

    /** What the reading thread reports. */
    interface Listener {
        /** A whole text message, and the bytes its frames' payloads took on the wire (compressed). */
        void onText(String text, long wireBytes);

        /** The socket closed, with the server's status (-1 if it broke off). */
        void onClose(int status);
    }

    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Listener listener;
    private final boolean resetEachMessage;
    private final Inflater inflater = new Inflater(true);
    private volatile boolean closing;

    private DeflateWebSocket(Socket socket, DataInputStream in, boolean resetEachMessage, Listener listener)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.resetEachMessage = resetEachMessage;
        this.listener = listener;
    }

    /**
     * Opens {@code ws://127.0.0.1:PORT/PATH} with this Origin, offering permessage-deflate as Chrome
     * does; fails if the upgrade is refused or the server does not take the extension.
     */
    static DeflateWebSocket open(int port, String path, String origin, Listener listener, String threadName)
            throws IOException {
        final Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        final byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        final String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "Origin: " + origin + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        final DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        final String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        final String extensions = head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
                .findFirst().orElse("").toLowerCase(Locale.ROOT);
        if (!extensions.contains("permessage-deflate")) {
            s.close();
            throw new IOException("the server did not take permessage-deflate");
        }
        final DeflateWebSocket ws = new DeflateWebSocket(s, in, extensions.contains("server_no_context_takeover"),
                listener);
        final Thread reader = new Thread(ws::read, threadName);
        reader.setDaemon(true);
        reader.start();
        return ws;
    }

    private static String readHead(DataInputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the upgrade");
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends a text message, masked and uncompressed. */
    void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        final ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift));
            }
        }
        final byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    private void read() {
        int status = -1;
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean compressed = false;
        long wire = 0;
        try {
            while (true) {
                final int b0 = in.readUnsignedByte();
                final int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if ((b1 & 0x80) != 0 || length > 16 << 20) {
                    throw new IOException("bad frame from the server (masked, or " + length + " bytes)");
                }
                final byte[] payload = new byte[(int) length];
                in.readFully(payload);
                final int opcode = b0 & 0x0f;
                final boolean fin = (b0 & 0x80) != 0;
                if (opcode == 0x1 || opcode == 0x0) {
                    if (opcode == 0x1) {
                        compressed = (b0 & 0x40) != 0;
                        message.reset();
                        wire = 0;
                    }
                    message.write(payload);
                    wire += payload.length;
                    if (fin) {
                        final byte[] data = compressed ? inflate(message.toByteArray()) : message.toByteArray();
                        listener.onText(new String(data, StandardCharsets.UTF_8), wire);
                    }
                } else if (opcode == 0x9) {
                    send(0xA, payload);
                } else if (opcode == 0x8) {
                    status = payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
                    if (!closing) {
                        send(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    }
                    break;
                }
            }
        } catch (IOException | DataFormatException e) {
            if (!closing) {
                System.err.println("socket error: " + e);
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            listener.onClose(status);
        }
    }

    private byte[] inflate(byte[] data) throws DataFormatException {
        final byte[] input = new byte[data.length + DEFLATE_TAIL.length];
        System.arraycopy(data, 0, input, 0, data.length);
        System.arraycopy(DEFLATE_TAIL, 0, input, data.length, DEFLATE_TAIL.length);
        inflater.setInput(input);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
        final byte[] chunk = new byte[16384];
        while (true) {
            final int n = inflater.inflate(chunk);
            if (n > 0) {
                out.write(chunk, 0, n);
            } else if (inflater.needsInput() || inflater.finished()) {
                break;
            }
        }
        if (resetEachMessage) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    /** Sends a close frame (normal closure); the reading thread ends when the server answers. */
    @Override
    public void close() {
        closing = true;
        try {
            send(0x8, new byte[] {0x03, (byte) 0xe8});
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** Closes the socket without a close handshake. */
    void abort() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
