package io.gossipcache.core.codec;

/**
 * Turns keys and values into bytes for the network and back. Implementations must be thread-safe.
 * A value that cannot be encoded must fail with a {@link CodecException} naming its class; bytes that
 * cannot be decoded (malformed, or naming a class that is not allowed) must fail with a
 * {@link CodecException} and must not run code of a class that is not allowed.
 */
public interface Codec {

    /** Encodes a non-null object. */
    byte[] encode(Object value) throws CodecException;

    /**
     * Decodes {@code length} bytes at {@code offset} that {@link #encode} produced. The array belongs to the caller
     * and may hold other data around them (a whole received message): copy what the result keeps.
     */
    Object decode(byte[] bytes, int offset, int length) throws CodecException;

    /** Decodes a whole array. */
    default Object decode(byte[] bytes) throws CodecException {
        return decode(bytes, 0, bytes.length);
    }
}
