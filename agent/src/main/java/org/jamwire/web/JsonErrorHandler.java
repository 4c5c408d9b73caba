package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jamwire.text.Printable;

/**
 * Jetty's own error answers, for requests it refuses before any handler of ours runs (a malformed
 * request line or Host header, a URI or headers too large, a body that is not valid chunked
 * encoding), in the API's JSON like every other error, never an HTML page or a stack trace. Jetty
 * threads.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final ObjectMapper json;
    private final Consumer<String> refused;

    /**
     * @param json writes the body
     * @param refused told each refusal's error word, to count it
     */
    JsonErrorHandler(ObjectMapper json, Consumer<String> refused) {
        this.json = json;
        this.refused = refused;
        setShowStacks(false);
        setShowCauses(false);
    }

    /** The API's error word for a status Jetty answers with. */
    static String word(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 413, 414, 431 -> "too_large";
            default -> status >= 500 ? "internal" : "invalid";
        };
    }

    /** Words for the refusal: what Jetty found, and what to do. */
    static String message(int status, String reason) {
        final String why = reason == null || reason.isBlank() ? "" : ": " + Printable.escape(reason);
        return switch (status) {
            case 414 -> "the request's URI is too long" + why + "; the agent takes at most 8 KiB of request line";
            case 431 -> "the request's headers are too large" + why + "; the agent takes at most 8 KiB of them";
            case 413 -> "the request body is too large" + why;
            default -> status >= 500 ? "the agent failed to handle this request" + why
                    : "the request is not valid HTTP" + why;
        };
    }

    private byte[] body(int status, String reason) {
        final String word = word(status);
        refused.accept(word);
        try {
            return json.writeValueAsBytes(new ApiException.ApiError(word, null, null, message(status, reason)));
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"" + word + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Every error Jetty answers itself, written as JSON. */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }
}
