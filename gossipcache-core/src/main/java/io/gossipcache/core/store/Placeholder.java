package io.gossipcache.core.store;

/**
 * The version of a write that this member knows of but does not hold the value of: the store evicted the value for
 * size (a local decision, not a cluster write), or this member refused it on arrival (too big, or a class the
 * allow-list does not admit).
 *
 * <p>It reads as a miss and weighs nothing against {@code max-entries}. It counts in anti-entropy digests like the
 * write it stands for, so members that hold that write and members that dropped it agree: a round neither re-sends
 * the write every time nor brings an evicted value back. Sent to a member whose digest differs, it goes as the
 * tombstone of its version: that member stops serving an older write of the key (say, one it kept while this
 * member, back from LOCAL mode, held the newer write only as a placeholder), and a member that holds the write
 * keeps it. Any newer write of the key replaces it; an older one is refused, as by the value itself. Swept like a
 * tombstone after the retention.
 */
final class Placeholder extends StoreEntry {

    private final long keyHash;

    Placeholder(long timestamp, long node, long keyHash) {
        super(null, timestamp, node);
        this.keyHash = keyHash;
    }

    @Override
    public boolean isPlaceholder() {
        return true;
    }

    /** Kept: the key of a refused write may be one this member cannot decode, so no hasher could compute it. */
    @Override
    public long keyHash(Object key, KeyHasher hasher) {
        return keyHash;
    }
}
