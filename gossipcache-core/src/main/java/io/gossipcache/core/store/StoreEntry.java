package io.gossipcache.core.store;

import io.gossipcache.core.version.Version;

/**
 * One key's state on this member: a value or a tombstone, the version of the write that produced it,
 * and when it expires. Immutable: a write replaces the whole entry, so readers never see a torn one.
 */
public final class StoreEntry {

    /** {@code expiresAt} of an entry that never expires. */
    public static final long NEVER = 0L;

    private final Object value;
    private final long timestamp;
    private final long node;
    private final long expiresAt;

    private StoreEntry(Object value, long timestamp, long node, long expiresAt) {
        this.value = value;
        this.timestamp = timestamp;
        this.node = node;
        this.expiresAt = expiresAt;
    }

    /**
     * A value entry.
     *
     * @param expiresAt wall-clock millisecond at which the entry expires on this member, or {@link #NEVER}
     */
    public static StoreEntry value(Object value, long timestamp, long node, long expiresAt) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; store a null marker instead");
        }
        return new StoreEntry(value, timestamp, node, expiresAt);
    }

    /** A tombstone: the key was evicted by the write with this version. */
    public static StoreEntry tombstone(long timestamp, long node) {
        return new StoreEntry(null, timestamp, node, NEVER);
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

    public long expiresAt() {
        return expiresAt;
    }

    public Version version() {
        return new Version(timestamp, node);
    }

    /** Whether a value entry has passed its expiry at {@code nowMillis}. Tombstones never expire this way. */
    public boolean isExpired(long nowMillis) {
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
        return (value == null ? "tombstone" : "value") + "@" + version() + (expiresAt == NEVER ? "" : " expiresAt=" + expiresAt);
    }
}
