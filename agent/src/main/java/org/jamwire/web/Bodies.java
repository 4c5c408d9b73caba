package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and checks a request's JSON body for every endpoint: each refusal names the field, the rule
 * and what was wrong. HTTP threads.
 */
final class Bodies {

    /** Longest piece of a request shown back in a message. */
    static final int SHOWN = 40;

    private Bodies() {
    }

    /** The body as a JSON object, or a 400 saying why it is not one. */
    static JsonNode object(ObjectMapper json, Context ctx) {
        final JsonNode node;
        try {
            node = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            final String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("body", "a JSON object", "body: not valid JSON" + where);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "a JSON object", "body: must be a JSON object");
        }
        return node;
    }

    /** As {@link #object}, with an empty body taken as an empty object. */
    static JsonNode objectOrEmpty(ObjectMapper json, Context ctx) {
        return ctx.body().isBlank() ? json.createObjectNode() : object(json, ctx);
    }

    /**
     * Refuses a field not in {@code allowed}.
     *
     * @param why what to add to the message, or null
     */
    static void onlyFields(JsonNode body, List<String> allowed, String why) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            final String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.invalid(name.length() > SHOWN ? name.substring(0, SHOWN) : name,
                        "one of " + String.join(", ", allowed), "unknown field '" + clip(name) + "': the fields are "
                                + String.join(", ", allowed) + (why == null ? "" : "; " + why));
            }
        }
    }

    /** A string field; absent or null is null unless {@code required}. */
    static String text(JsonNode body, String field, boolean required) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.invalid(field, "required", field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, "a string", field + ": must be a string");
        }
        return v.asText();
    }

    /** A whole number field from {@code min} to {@code max}, or {@code fallback} when absent or null. */
    static int wholeNumber(JsonNode body, String field, int fallback, int min, int max, String what) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        final String rule = "a whole number from " + min + " to " + max;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.invalid(field, rule, field + ": " + (v.isNumber() || v.isTextual()
                    ? "'" + clip(v.asText()) + "'" : v.getNodeType().name().toLowerCase(Locale.ROOT))
                    + " is not allowed: use " + rule + " (" + what + ")");
        }
        return v.asInt();
    }

    /**
     * A request's {@code options} object as option values keyed by long name; absent or null is
     * none. Every lab and link endpoint reads its options through here.
     */
    static Map<String, Object> options(JsonNode o) {
        final Map<String, Object> options = new LinkedHashMap<>();
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw ApiException.invalid("options", "an object of option values keyed by long name",
                        "options: must be an object, e.g. {\"queue\": \"auto\"}");
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                options.put(e.getKey(), optionValue("options." + e.getKey(), e.getValue()));
            }
        }
        return options;
    }

    private static Object optionValue(String field, JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        throw ApiException.invalid(field, "a string, a whole number, or true/false for a flag",
                field + ": " + v.getNodeType().name().toLowerCase(Locale.ROOT) + " is not an option value");
    }

    /** {@code s} cut to {@value #SHOWN} characters, marked when cut. */
    static String clip(String s) {
        return s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s;
    }
}
