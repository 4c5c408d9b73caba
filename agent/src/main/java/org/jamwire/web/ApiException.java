package org.jamwire.web;

/**
 * A request the API refuses, with the status, the error word, and the field and rule at fault when
 * one field is. Thrown by controllers on HTTP threads and turned into a JSON body by
 * {@link AgentServer}.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String field;
    private final String rule;

    ApiException(int status, String error, String field, String rule, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
        this.rule = rule;
    }

    static ApiException invalid(String field, String rule, String message) {
        return new ApiException(400, "invalid", field, rule, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, null, message);
    }

    /** The body a client gets. */
    ApiError body() {
        return new ApiError(error, field, rule, getMessage(), null, null);
    }

    int status() {
        return status;
    }

    /**
     * The JSON body of every error.
     *
     * @param error {@code invalid}, {@code unauthorized}, {@code forbidden}, {@code not_found},
     *     {@code too_large}, {@code conflict}, {@code no_echo}, {@code unavailable} or {@code internal}
     * @param field the field at fault, or null
     * @param rule what the field allows, or null
     * @param message what is wrong and how to fix it
     * @param kind for ssh failures, what kind (e.g. {@code connect_timeout}); otherwise absent
     * @param fingerprint for host-key refusals, the key the host presented; otherwise absent
     */
    public record ApiError(String error, String field, String rule, String message,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String kind,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String fingerprint) {

        /** An error without ssh details. */
        public ApiError(String error, String field, String rule, String message) {
            this(error, field, rule, message, null, null);
        }
    }
}
