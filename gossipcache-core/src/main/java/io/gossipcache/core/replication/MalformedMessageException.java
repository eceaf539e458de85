package io.gossipcache.core.replication;

/** Bytes from the network that are not a well-formed gossipcache message. */
public class MalformedMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message, null, false, false); // expected on bad input: no stack trace to fill
    }
}
