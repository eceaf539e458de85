package io.gossipcache.core.replication;

import java.util.Arrays;
import java.util.Objects;

/**
 * One replicated change in encoded form: a put, an evict or a clear of a named cache, with its version and,
 * for a put, when it expires. This is what travels in batches, state-transfer chunks and gossip.
 *
 * <p>A write built here owns its key and value arrays. A write {@linkplain WireFormat#decode decoded} from a
 * message points into the message's buffer instead (no copy per write on the receiving path): read it with
 * {@link #keyArray()}, {@link #keyOffset()} and {@link #keyLength()} (and the value counterparts).
 */
public final class Write {

    /** What a write does, each with its wire code (the code, not the position, is the protocol). */
    public enum Kind {
        PUT(0), EVICT(1), CLEAR(2);

        private static final Kind[] BY_CODE = new Kind[3];

        static {
            for (Kind kind : values()) {
                BY_CODE[kind.code] = kind;
            }
        }

        private final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        /** The byte that names this kind on the wire. */
        public byte code() {
            return code;
        }

        /** The kind with this wire code, or {@code null}. */
        static Kind ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    private final Kind kind;
    private final String cache;
    private final byte[] keyArray;
    private final int keyOffset;
    private final int keyLength;
    private final byte[] valueArray;
    private final int valueOffset;
    private final int valueLength;
    private final long timestamp;
    private final long node;
    private final long expiresAt;

    private Write(Kind kind, String cache, byte[] keyArray, int keyOffset, int keyLength, byte[] valueArray,
                  int valueOffset, int valueLength, long timestamp, long node, long expiresAt) {
        this.kind = kind;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.keyArray = keyArray;
        this.keyOffset = keyOffset;
        this.keyLength = keyLength;
        this.valueArray = valueArray;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
        this.timestamp = timestamp;
        this.node = node;
        this.expiresAt = expiresAt;
    }

    /**
     * @param expiresAt wall-clock millisecond of expiry on this member, or 0 for none; it travels as the
     *                  lifetime left at send time
     */
    public static Write put(String cache, byte[] key, byte[] value, long timestamp, long node, long expiresAt) {
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
        return new Write(Kind.PUT, cache, key, 0, key.length, value, 0, value.length, timestamp, node, expiresAt);
    }

    public static Write evict(String cache, byte[] key, long timestamp, long node) {
        Objects.requireNonNull(key);
        return new Write(Kind.EVICT, cache, key, 0, key.length, null, 0, 0, timestamp, node, 0);
    }

    public static Write clear(String cache, long timestamp, long node) {
        return new Write(Kind.CLEAR, cache, null, 0, 0, null, 0, 0, timestamp, node, 0);
    }

    /** A put whose key and value are ranges of {@code buffer} (a decoded message). */
    static Write putIn(String cache, byte[] buffer, int keyOffset, int keyLength, int valueOffset, int valueLength,
                       long timestamp, long node, long expiresAt) {
        return new Write(Kind.PUT, cache, buffer, keyOffset, keyLength, buffer, valueOffset, valueLength, timestamp,
                node, expiresAt);
    }

    /** An evict whose key is a range of {@code buffer} (a decoded message). */
    static Write evictIn(String cache, byte[] buffer, int keyOffset, int keyLength, long timestamp, long node) {
        return new Write(Kind.EVICT, cache, buffer, keyOffset, keyLength, null, 0, 0, timestamp, node, 0);
    }

    public Kind kind() { return kind; }

    public String cache() { return cache; }

    /** Encoded key as an array of its own (a copy for a decoded write); {@code null} for a clear. */
    public byte[] key() {
        return exact(keyArray, keyOffset, keyLength);
    }

    /** Encoded value as an array of its own (a copy for a decoded write); only for a put. */
    public byte[] value() {
        return exact(valueArray, valueOffset, valueLength);
    }

    /** The array holding the encoded key from {@link #keyOffset()}; {@code null} for a clear. Do not modify it. */
    public byte[] keyArray() { return keyArray; }

    public int keyOffset() { return keyOffset; }

    public int keyLength() { return keyLength; }

    /** The array holding the encoded value from {@link #valueOffset()}; only for a put. Do not modify it. */
    public byte[] valueArray() { return valueArray; }

    public int valueOffset() { return valueOffset; }

    public int valueLength() { return valueLength; }

    public long timestamp() { return timestamp; }

    public long node() { return node; }

    /** Local wall-clock expiry in milliseconds, 0 for none. */
    public long expiresAt() { return expiresAt; }

    /** Approximate encoded size, for batching. */
    int encodedSizeEstimate() {
        return 32 + cache.length() + keyLength + valueLength;
    }

    private static byte[] exact(byte[] array, int offset, int length) {
        if (array == null || (offset == 0 && length == array.length)) {
            return array;
        }
        return Arrays.copyOfRange(array, offset, offset + length);
    }
}
