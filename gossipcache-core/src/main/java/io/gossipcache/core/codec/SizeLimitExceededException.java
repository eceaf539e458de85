package io.gossipcache.core.codec;

/** An encoded key or value is larger than the configured limit; the write changed nothing anywhere. */
public class SizeLimitExceededException extends CodecException {

    private static final long serialVersionUID = 1L;

    public SizeLimitExceededException(String what, int size, int limit) {
        super("The encoded " + what + " is " + size + " bytes, over the limit of " + limit + " bytes");
    }
}
