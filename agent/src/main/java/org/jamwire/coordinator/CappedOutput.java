package org.jamwire.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A command's stdout or stderr, kept up to {@link #MAX_BYTES} so that a peer cannot fill the
 * agent's memory; the rest is dropped. Written by JSch's channel thread, read by control threads.
 */
final class CappedOutput extends OutputStream {
    /** Output kept per stream. */
    static final int MAX_BYTES = 1 << 20;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        if (bytes.size() < MAX_BYTES) {
            bytes.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, Math.max(0, Math.min(len, MAX_BYTES - bytes.size())));
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
