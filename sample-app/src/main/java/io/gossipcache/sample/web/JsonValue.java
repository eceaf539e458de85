package io.gossipcache.sample.web;

import java.io.Serial;
import java.io.Serializable;

/**
 * A JSON value stored through the REST API ({@code PUT} with {@code Content-Type: application/json}), kept as its
 * compact text so that every member serves the same bytes; the API answers it as JSON, not as a string. Its class is
 * in the application's package, which may travel between members by default.
 *
 * @param json the value, validated and re-written compactly
 */
public record JsonValue(String json) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
}
