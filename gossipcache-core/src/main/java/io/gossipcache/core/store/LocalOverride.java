package io.gossipcache.core.store;

import io.gossipcache.core.version.Version;

/**
 * A write with local scope: it changes this member only. It is never replicated, anti-entropy neither
 * spreads nor undoes it, and a later clustered write to the key replaces it.
 *
 * <p>It remembers the clustered write it shadows: any newer clustered write replaces the override, and
 * anti-entropy compares the shadowed write instead of the override, so a member with an override still
 * agrees with its peers and no round is spent on it.
 */
public final class LocalOverride extends StoreEntry {

    private final long expiresAt;
    private final long keyHash;
    private final long shadowTimestamp;
    private final long shadowNode;

    LocalOverride(Object value, long timestamp, long node, long expiresAt, long keyHash, StoreEntry shadowed) {
        super(value, timestamp, node);
        this.expiresAt = expiresAt;
        this.keyHash = keyHash;
        this.shadowTimestamp = shadowed == null ? 0 : shadowed.timestamp();
        this.shadowNode = shadowed == null ? 0 : shadowed.node();
    }

    @Override
    public long expiresAt() {
        return expiresAt;
    }

    /** Kept: overrides are few, and their shadows need it. */
    @Override
    public long keyHash(Object key, KeyHasher hasher) {
        return keyHash;
    }

    @Override
    public boolean isLocalOverride() {
        return true;
    }

    /** Whether a clustered write is shadowed at all. */
    public boolean shadows() {
        return shadowTimestamp != 0;
    }

    public long shadowTimestamp() {
        return shadowTimestamp;
    }

    /** Whether anti-entropy compares the shadowed clustered write (expired or not: an expiry keeps its version). */
    boolean shadowGossiped(long horizon, long cutoff) {
        return shadows() && shadowTimestamp > horizon && shadowTimestamp <= cutoff;
    }

    @Override
    public long digest(long keyHash) {
        return shadows() ? digest(keyHash, shadowTimestamp, shadowNode) : 0;
    }

    /** An override of {@code current} (which may itself be an override, or nothing). */
    static LocalOverride over(StoreEntry current, Object value, long timestamp, long node, long expiresAt, long keyHash) {
        StoreEntry shadowed = current instanceof LocalOverride o ? o.shadowEntry() : current;
        return new LocalOverride(value, timestamp, node, expiresAt, keyHash, shadowed);
    }

    /**
     * The shadowed write's version as a tombstone (only the version is ever compared), or {@code null}: what stays of
     * this override when it is evicted for size.
     */
    StoreEntry shadowEntry() {
        return shadows() ? StoreEntry.tombstone(shadowTimestamp, shadowNode, keyHash) : null;
    }

    /** Expired: a local evict at the same moment, still shadowing the same clustered write. */
    LocalOverride expired() {
        return new LocalOverride(null, timestamp(), node(), NEVER, keyHash, shadowEntry());
    }

    private boolean isNewerThanShadow(StoreEntry clustered) {
        return !shadows() || Version.compare(clustered.timestamp(), clustered.node(), shadowTimestamp, shadowNode) > 0;
    }

    /**
     * Merge rule when a clustered write meets this override: the override replaced this member's copy of the
     * shadowed write, so any clustered write newer than that one supersedes it, whatever the clocks say
     * about the override's own timestamp.
     */
    StoreEntry meet(StoreEntry clustered) {
        return isNewerThanShadow(clustered) ? clustered : this;
    }
}
