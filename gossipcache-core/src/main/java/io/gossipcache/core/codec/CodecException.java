package io.gossipcache.core.codec;

/** A key or value could not be encoded, or bytes could not be decoded. */
public class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
