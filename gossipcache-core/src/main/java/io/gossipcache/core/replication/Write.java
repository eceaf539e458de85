package io.gossipcache.core.replication;

import java.util.Objects;

/**
 * One replicated change in encoded form: a put, an evict or a clear of a named cache, with its version and,
 * for a put, when it expires. This is what travels in batches, state-transfer chunks and (later) gossip.
 */
public final class Write {

    /** What a write does. */
    public enum Kind {
        PUT, EVICT, CLEAR
    }

    private final Kind kind;
    private final String cache;
    private final byte[] key;
    private final byte[] value;
    private final long timestamp;
    private final long node;
    private final long expiresAt;

    private Write(Kind kind, String cache, byte[] key, byte[] value, long timestamp, long node, long expiresAt) {
        this.kind = kind;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.node = node;
        this.expiresAt = expiresAt;
    }

    /**
     * @param expiresAt wall-clock millisecond of expiry on this member, or 0 for none; it travels as the
     *                  lifetime left at send time
     */
    public static Write put(String cache, byte[] key, byte[] value, long timestamp, long node, long expiresAt) {
        return new Write(Kind.PUT, cache, Objects.requireNonNull(key), Objects.requireNonNull(value), timestamp, node, expiresAt);
    }

    public static Write evict(String cache, byte[] key, long timestamp, long node) {
        return new Write(Kind.EVICT, cache, Objects.requireNonNull(key), null, timestamp, node, 0);
    }

    public static Write clear(String cache, long timestamp, long node) {
        return new Write(Kind.CLEAR, cache, null, null, timestamp, node, 0);
    }

    public Kind kind() { return kind; }

    public String cache() { return cache; }

    /** Encoded key; {@code null} for a clear. */
    public byte[] key() { return key; }

    /** Encoded value; only for a put. */
    public byte[] value() { return value; }

    public long timestamp() { return timestamp; }

    public long node() { return node; }

    /** Local wall-clock expiry in milliseconds, 0 for none. */
    public long expiresAt() { return expiresAt; }

    /** Approximate encoded size, for batching. */
    int encodedSizeEstimate() {
        return 32 + cache.length() + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }
}
