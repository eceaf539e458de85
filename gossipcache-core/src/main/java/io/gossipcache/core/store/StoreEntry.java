package io.gossipcache.core.store;

import io.gossipcache.core.version.Version;

/**
 * One key's state on this member: a value or a tombstone, the version of the write that produced it,
 * and when it expires. Immutable: a write replaces the whole entry, so readers never see a torn one.
 *
 * <p>A value that has expired stands for a delete at its version: it reads as a miss at once, anti-entropy sends it
 * as a tombstone of that version, and the sweep turns it into one. So an older write of the key can never win
 * after it, whichever member still holds that write (see docs/architecture.md, "Expiry").
 *
 * <p>Fields only where needed, as the 8 bytes per entry add up (issue 7, S6): only entries that expire carry an
 * expiry, and only entries whose store cannot compute their {@link KeyHash} from the key (see {@link KeyHasher})
 * carry it. The common entry (no TTL, a String, Long or Integer key) is 32 bytes.
 */
public class StoreEntry {

    /** {@code expiresAt} of an entry that never expires. */
    public static final long NEVER = 0L;

    private final Object value;
    private final long timestamp;
    private final long node;

    StoreEntry(Object value, long timestamp, long node) {
        this.value = value;
        this.timestamp = timestamp;
        this.node = node;
    }

    /** A value entry (or a tombstone, {@code value == null}) of the smallest class that holds what it needs. */
    static StoreEntry of(Object value, long timestamp, long node, long expiresAt, long keyHash, boolean keepsKeyHash) {
        if (expiresAt == NEVER) {
            return keepsKeyHash ? new Hashed(value, timestamp, node, keyHash) : new StoreEntry(value, timestamp, node);
        }
        return keepsKeyHash ? new HashedExpiring(value, timestamp, node, expiresAt, keyHash)
                : new Expiring(value, timestamp, node, expiresAt);
    }

    /** An entry that keeps its key hash. */
    static final class Hashed extends StoreEntry {
        private final long keyHash;

        Hashed(Object value, long timestamp, long node, long keyHash) {
            super(value, timestamp, node);
            this.keyHash = keyHash;
        }

        @Override
        public long keyHash(Object key, KeyHasher hasher) {
            return keyHash;
        }
    }

    /** A value entry that expires. */
    static class Expiring extends StoreEntry {
        private final long expiresAt;

        Expiring(Object value, long timestamp, long node, long expiresAt) {
            super(value, timestamp, node);
            this.expiresAt = expiresAt;
        }

        @Override
        public long expiresAt() {
            return expiresAt;
        }
    }

    /** A value entry that expires and keeps its key hash. */
    static final class HashedExpiring extends Expiring {
        private final long keyHash;

        HashedExpiring(Object value, long timestamp, long node, long expiresAt, long keyHash) {
            super(value, timestamp, node, expiresAt);
            this.keyHash = keyHash;
        }

        @Override
        public long keyHash(Object key, KeyHasher hasher) {
            return keyHash;
        }
    }

    /**
     * A value entry that keeps its key hash (stores make entries with {@link CacheStore#valueEntry}, which leaves
     * out a hash the store can compute).
     *
     * @param expiresAt wall-clock millisecond at which the entry expires on this member, or {@link #NEVER}
     * @param keyHash   {@link KeyHash} of the encoded key: the same on every member, it places the entry in
     *                  the anti-entropy digest
     */
    public static StoreEntry value(Object value, long timestamp, long node, long expiresAt, long keyHash) {
        return of(requireValue(value), timestamp, node, expiresAt, keyHash, true);
    }

    static Object requireValue(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; store a null marker instead");
        }
        return value;
    }

    /** A value entry with key hash 0 (for stores whose digests do not matter, such as in unit tests). */
    public static StoreEntry value(Object value, long timestamp, long node, long expiresAt) {
        return value(value, timestamp, node, expiresAt, 0);
    }

    /** A tombstone that keeps its key hash: the key was evicted by the write with this version. */
    public static StoreEntry tombstone(long timestamp, long node, long keyHash) {
        return new Hashed(null, timestamp, node, keyHash);
    }

    /** A tombstone with key hash 0 (unit tests). */
    public static StoreEntry tombstone(long timestamp, long node) {
        return tombstone(timestamp, node, 0);
    }

    /** The value, or {@code null} for a tombstone. */
    public Object value() {
        return value;
    }

    /**
     * Whether this entry holds no value: a delete, or a write this member dropped (evicted for size, refused on
     * arrival) and keeps only the version of (see {@link CacheStore}).
     */
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

    /**
     * {@link KeyHash} of the encoded key, identical on every member: kept in the entry, or computed from the key by
     * the hasher of the store that made the entry.
     */
    public long keyHash(Object key, KeyHasher hasher) {
        return hasher.hash(key);
    }

    /** This entry's contribution to a digest: a mix of its key hash and version, so any difference shows. */
    public long digest(long keyHash) {
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

    /**
     * Whether a value entry has passed its expiry at {@code nowMillis}: it then stands for a delete at its version.
     * Tombstones never expire this way.
     */
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
