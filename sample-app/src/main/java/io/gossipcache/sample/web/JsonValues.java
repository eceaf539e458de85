package io.gossipcache.sample.web;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a JSON request body into a {@link JsonValue} to store, and a stored one back into JSON to answer. */
final class JsonValues {

    private final JsonMapper mapper;

    JsonValues(JsonMapper mapper) {
        // one value per body: "{} {}" is malformed, not the first object
        this.mapper = mapper.rebuild().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** Whether a request's content type says JSON ({@code application/json}, with or without parameters). */
    boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    /** Validates a JSON body: one complete value, nothing after it; a malformed one is a 400. */
    JsonValue parse(String body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("The JSON value is empty");
            }
            return new JsonValue(mapper.writeValueAsString(node));
        } catch (JacksonException ex) {
            throw ApiException.badRequest("Malformed JSON: " + ex.getOriginalMessage());
        }
    }

    /** What to answer for a stored value: a JSON value as JSON, anything else as it is. */
    @Nullable Object render(@Nullable Object value) {
        return value instanceof JsonValue json ? mapper.readTree(json.json()) : value;
    }
}
