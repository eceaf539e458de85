package io.gossipcache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to a sample node (java.net.http), with JSON answers as trees. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A response: status, content type, body and the body as JSON (or null if it is not JSON). */
    record Answer(int status, String contentType, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String field(String name) {
            JsonNode node = json().get(name);
            return node == null || node.isNull() ? null : node.asString();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    private Http() {
    }

    static Answer send(String method, String url, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer get(String url) {
        return send("GET", url, null, Map.of());
    }

    static Answer put(String url, String body) {
        return send("PUT", url, body, Map.of("Content-Type", "text/plain"));
    }

    static Answer putLocal(String url, String body) {
        return send("PUT", url, body, Map.of("Content-Type", "text/plain", "X-Local-Only", "true"));
    }

    static Answer delete(String url) {
        return send("DELETE", url, null, Map.of());
    }

    static Answer deleteLocal(String url) {
        return send("DELETE", url, null, Map.of("X-Local-Only", "true"));
    }

    static Answer postJson(String url, String json) {
        return send("POST", url, json, Map.of("Content-Type", "application/json"));
    }
}
