package io.gossipcache.sample.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body of every error this application answers: {@code timestamp, status, error, message, path}. Written as
 * a JSON string with its content type set, so that it goes out whatever the client accepts: as a map, a request
 * with {@code Accept: application/xml} found no converter for it, and the error handler itself failed.
 */
final class ErrorBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorBody() {
    }

    static ResponseEntity<String> of(HttpStatusCode status, String message, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timestamp", Instant.now().toString());
        body.put("status", status.value());
        HttpStatus known = HttpStatus.resolve(status.value());
        body.put("error", known != null ? known.getReasonPhrase() : "Error");
        body.put("message", message);
        body.put("path", path);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body));
    }
}
