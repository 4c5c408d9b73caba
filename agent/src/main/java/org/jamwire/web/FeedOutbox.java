package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One live feed socket's messages of a tick, kept as UTF-8 JSON until the tick ends and then
 * handed to the socket in one write. A message shared by many sockets is written to JSON once and
 * added here already written. Called with the socket's lock held: on the feed's thread, and on
 * Jetty's threads for the replies that do not wait for a tick.
 */
final class FeedOutbox {

    private final WsContext ctx;
    private final ObjectMapper json;
    /** Messages handed to any socket so far, shared by all outboxes of the feed. */
    private final AtomicLong sent;
    private final List<byte[]> pending = new ArrayList<>();

    FeedOutbox(WsContext ctx, ObjectMapper json, AtomicLong sent) {
        this.ctx = ctx;
        this.json = json;
        this.sent = sent;
    }

    /** A message as UTF-8 JSON, or null if it cannot be written (then it is not sent). */
    static byte[] write(ObjectMapper json, Object message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Keeps {@code message} for this tick's write. */
    void add(Object message) {
        addWritten(write(json, message));
    }

    /** Keeps a message already written to JSON for this tick's write; null is nothing to send. */
    void addWritten(byte[] message) {
        if (message != null) {
            pending.add(message);
        }
    }

    /**
     * Hands the socket what this tick kept as one write rather than one a message: every frame but
     * the last is sent as a batch, which Jetty holds until the last one comes. The frames are the
     * text frames {@code WsContext.send} makes, through the same Jetty session.
     */
    void flush() {
        final int n = pending.size();
        try {
            for (int i = 0; i < n; i++) {
                final byte[] message = pending.get(i);
                if (ctx.session instanceof WebSocketSession session) {
                    session.getCoreSession().sendFrame(new Frame(OpCode.TEXT).setPayload(ByteBuffer.wrap(message)),
                            Callback.NOOP, i < n - 1);
                } else {
                    ctx.send(new String(message, StandardCharsets.UTF_8));
                }
                sent.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // The socket is closing; its close callback forgets it.
        } finally {
            pending.clear();
        }
    }

    /** Sends {@code message} now, ahead of any tick: the feed's replies to what the socket said. */
    void sendNow(Object message) {
        try {
            ctx.send(json.writeValueAsString(message));
            sent.incrementAndGet();
        } catch (JsonProcessingException | RuntimeException e) {
            // The socket is closing; its close callback forgets it.
        }
    }
}
