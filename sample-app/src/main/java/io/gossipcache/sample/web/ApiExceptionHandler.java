package io.gossipcache.sample.web;

import io.gossipcache.core.UnknownCacheException;
import io.gossipcache.core.codec.CodecException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every failure of a controller (and of Spring MVC's request handling: unknown path, wrong method,
 * missing or malformed parameter, unsupported media type) into a JSON error body with a 4xx status. Only a
 * genuine fault of this application is a 500, and that is JSON too. Errors raised outside Spring MVC (the
 * servlet container) go through {@link JsonErrorController}.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<String> api(ApiException ex, HttpServletRequest request) {
        return ErrorBody.of(ex.status(), ex.getMessage(), request.getRequestURI());
    }

    @ExceptionHandler(UnknownCacheException.class)
    ResponseEntity<String> unknownCache(UnknownCacheException ex, HttpServletRequest request) {
        return ErrorBody.of(HttpStatus.NOT_FOUND, ex.getMessage(), request.getRequestURI());
    }

    /** A value the cache refuses (too large for the engine, or not serializable). */
    @ExceptionHandler(CodecException.class)
    ResponseEntity<String> codec(CodecException ex, HttpServletRequest request) {
        return ErrorBody.of(HttpStatus.BAD_REQUEST, "Value refused by the cache: " + ex.getMessage(),
                request.getRequestURI());
    }

    /** Other client errors Spring MVC raises without a status of their own (unreadable body, bad argument). */
    @ExceptionHandler({ org.springframework.http.converter.HttpMessageNotReadableException.class,
            IllegalArgumentException.class })
    ResponseEntity<String> badRequest(Exception ex, HttpServletRequest request) {
        return ErrorBody.of(HttpStatus.BAD_REQUEST, ex.getMessage(), request.getRequestURI());
    }

    /**
     * A query string Tomcat cannot decode ({@code ?ttl=%zz}, {@code ?=}): Tomcat parses parameters lazily, so the
     * failure surfaces wherever they are first read. The client's mistake: a 400 and no log line.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<String> badParameters(InvalidParameterException ex, HttpServletRequest request) {
        return ErrorBody.of(HttpStatus.BAD_REQUEST, INVALID_QUERY, request.getRequestURI());
    }

    /** Whether a failure (or its cause) is a request the client got wrong, rather than a fault of this app. */
    static boolean isClientMistake(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidParameterException) {
                return true;
            }
        }
        return false;
    }

    static final String INVALID_QUERY =
            "Invalid query string: parameters must be name=value pairs, percent-encoded (%XX with two hex digits)";

    /**
     * Spring MVC's own request errors (404 no handler, 405, 406, 415, missing or mistyped parameters...) carry
     * their status ({@link ErrorResponse}); anything else is a fault of this application.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<String> other(Exception ex, HttpServletRequest request) {
        if (ex instanceof ErrorResponse response) {
            String detail = response.getBody().getDetail();
            ResponseEntity<String> entity = ErrorBody.of(response.getStatusCode(),
                    detail != null ? detail : ex.getMessage(), request.getRequestURI());
            return ResponseEntity.status(entity.getStatusCode()).headers(response.getHeaders())
                    .contentType(MediaType.APPLICATION_JSON).body(entity.getBody());
        }
        if (isClientMistake(ex)) {
            return ErrorBody.of(HttpStatus.BAD_REQUEST, INVALID_QUERY, request.getRequestURI());
        }
        log.error("Request {} {} failed", request.getMethod(), request.getRequestURI(), ex);
        return ErrorBody.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error: " + ex.getClass().getSimpleName(),
                request.getRequestURI());
    }
}
