package io.gossipcache.core.store;

import io.gossipcache.core.version.Version;

/**
 * One key's state on this member: a value or a tombstone, the version of the write that produced it,
 * and when it expires. Immutable: a write replaces the whole entry, so readers never see a torn one.
 *
 * <p>Only entries that expire carry an expiry field (a subclass): most caches have no TTL, and the 8 bytes
 * per entry add up (issue 7, S6).
 */
public class StoreEntry {

    /** {@code expiresAt} of an entry that never expires. */
    public static final long NEVER = 0L;

    private final Object value;
    private final long timestamp;
    private final long node;
    private final long keyHash;

    StoreEntry(Object value, long timestamp, long node, long keyHash) {
        this.value = value;
        this.timestamp = timestamp;
        this.node = node;
        this.keyHash = keyHash;
    }

    /** A value entry with that expiry: the compact class when it never expires. */
    static StoreEntry of(Object value, long timestamp, long node, long expiresAt, long keyHash) {
        return expiresAt == NEVER ? new StoreEntry(value, timestamp, node, keyHash)
                : new Expiring(value, timestamp, node, expiresAt, keyHash);
    }

    /** A value entry that expires. */
    static final class Expiring extends StoreEntry {
        private final long expiresAt;

        Expiring(Object value, long timestamp, long node, long expiresAt, long keyHash) {
            super(value, timestamp, node, keyHash);
            this.expiresAt = expiresAt;
        }

        @Override
        public long expiresAt() {
            return expiresAt;
        }
    }

    /**
     * A value entry.
     *
     * @param expiresAt wall-clock millisecond at which the entry expires on this member, or {@link #NEVER}
     * @param keyHash   {@link KeyHash} of the encoded key: the same on every member, it places the entry in
     *                  the anti-entropy digest
     */
    public static StoreEntry value(Object value, long timestamp, long node, long expiresAt, long keyHash) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; store a null marker instead");
        }
        return of(value, timestamp, node, expiresAt, keyHash);
    }

    /** A value entry with key hash 0 (for stores whose digests do not matter, such as in unit tests). */
    public static StoreEntry value(Object value, long timestamp, long node, long expiresAt) {
        return value(value, timestamp, node, expiresAt, 0);
    }

    /** A tombstone: the key was evicted by the write with this version. */
    public static StoreEntry tombstone(long timestamp, long node, long keyHash) {
        return new StoreEntry(null, timestamp, node, keyHash);
    }

    /** A tombstone with key hash 0 (unit tests). */
    public static StoreEntry tombstone(long timestamp, long node) {
        return tombstone(timestamp, node, 0);
    }

    /** The value, or {@code null} for a tombstone. */
    public Object value() {
        return value;
    }

    public boolean isTombstone() {
        return value == null;
    }

    public long timestamp() {
        return timestamp;
    }

    public long node() {
        return node;
    }

    /** Wall-clock millisecond at which this entry expires on this member, or {@link #NEVER}. */
    public long expiresAt() {
        return NEVER;
    }

    /** Hash of the encoded key, identical on every member. */
    public long keyHash() {
        return keyHash;
    }

    /** This entry's contribution to a digest: a mix of key hash and version, so any difference shows. */
    public long digest() {
        return digest(keyHash, timestamp, node);
    }

    static long digest(long keyHash, long timestamp, long node) {
        return KeyHash.mix(keyHash ^ KeyHash.mix(timestamp ^ KeyHash.mix(node)));
    }

    /** Whether this entry is a this-node-only write (see {@link LocalOverride}). */
    public boolean isLocalOverride() {
        return false;
    }

    public Version version() {
        return new Version(timestamp, node);
    }

    /** Whether a value entry has passed its expiry at {@code nowMillis}. Tombstones never expire this way. */
    public boolean isExpired(long nowMillis) {
        long expiresAt = expiresAt();
        return expiresAt != NEVER && expiresAt <= nowMillis;
    }

    /** Whether this write is strictly newer than {@code other}. */
    public boolean isNewerThan(StoreEntry other) {
        return Version.compare(timestamp, node, other.timestamp, other.node) > 0;
    }

    /** Whether this write is strictly newer than {@code version}. */
    public boolean isNewerThan(Version version) {
        return Version.compare(timestamp, node, version.timestamp(), version.node()) > 0;
    }

    @Override
    public String toString() {
        return (value == null ? "tombstone" : "value") + "@" + version() + (expiresAt() == NEVER ? "" : " expiresAt=" + expiresAt());
    }
}
