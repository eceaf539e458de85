package io.gossipcache.sample.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's error controller (and its HTML "Whitelabel" page): errors that reach the servlet container's
 * error page (a request the container itself rejects, a failure outside Spring MVC) are answered as JSON
 * whatever the client accepts.
 */
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) { // asked for directly, not forwarded by the container: no such resource
            return ErrorBody.of(HttpStatus.NOT_FOUND, "No resource " + request.getRequestURI(), request.getRequestURI());
        }
        HttpStatusCode status = code instanceof Integer c ? HttpStatusCode.valueOf(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError() && ApiExceptionHandler.isClientMistake(failure)) {
            status = HttpStatus.BAD_REQUEST; // failed outside Spring MVC (a filter reading parameters, say)
            message = ApiExceptionHandler.INVALID_QUERY;
        }
        String text = message instanceof String m && !m.isBlank() ? m
                : failure != null ? failure.getClass().getSimpleName()
                : HttpStatus.resolve(status.value()) != null ? HttpStatus.resolve(status.value()).getReasonPhrase()
                : "Error";
        return ErrorBody.of(status, text, uri != null ? uri.toString() : request.getRequestURI());
    }
}
