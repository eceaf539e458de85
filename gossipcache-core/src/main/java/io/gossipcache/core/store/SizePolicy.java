package io.gossipcache.core.store;

import java.util.concurrent.ConcurrentMap;

/**
 * How one cache bounds the values this member keeps: it makes the map that holds a {@link CacheStore}'s entries,
 * and that map may drop live values to stay within its bound. {@link UnboundedSizePolicy} never drops;
 * {@link CaffeineSizePolicy} keeps at most {@code max-entries} live values (W-TinyLFU). Another eviction policy is
 * another implementation of this interface, passed to {@link CacheStore}; nothing else in the store changes.
 *
 * <h2>Contract toward anti-entropy</h2>
 *
 * A value dropped for size is this member's own decision, not a cluster delete. The store keeps the members in
 * agreement about it, and needs the policy to keep these rules:
 *
 * <ol>
 *   <li><b>Only values, never tombstones.</b> The map may drop only entries that hold a value
 *       ({@code !entry.isTombstone()}; an expired value and a {@link LocalOverride} that holds a value count as
 *       values). It never drops a tombstone: a tombstone is a delete, or what stays of an earlier drop, and without
 *       it an older write that a peer still holds would come back through anti-entropy. Tombstones must not count
 *       against the bound either, or the bound would force out the tombstones it created.</li>
 *   <li><b>Every drop reported, once.</b> Each entry the map removes on its own is passed to
 *       {@link Drops#dropped} exactly once, with its key and the entry removed, on the thread that removed it and
 *       before the map call during which it removed it returns (for Caffeine: a same-thread executor). Entries the
 *       store itself removes or replaces ({@code remove}, {@code replace}, {@code merge}, {@code compute},
 *       {@code values().removeIf}) are not drops and are not reported.</li>
 *   <li><b>Reports are only queued.</b> {@link Drops#dropped} may be called inside the map's own atomic operation,
 *       where the map cannot be written: it only queues the report. The store consumes the queue on its callers'
 *       threads: each write right after its own map operation (so a drop has its tombstone before the write during
 *       which it was reported returns), and {@link CacheStore#sweep}, {@link CacheStore#digest} and
 *       {@link CacheStore#forEachGossiped} before they scan.</li>
 *   <li><b>A plain concurrent map otherwise.</b> {@code merge}, {@code compute} and the conditional
 *       {@code remove}/{@code replace} are atomic per key; reads never block.</li>
 * </ol>
 *
 * <p>In return, the store turns each reported drop into the tombstone of the same version (for a local override:
 * of the clustered write it shadowed, or nothing if it shadowed none), unless the key holds something newer by
 * then. Digests count entries by key and version only, so this member's digest stays equal to those of the peers
 * that kept the value: anti-entropy neither brings the value back nor sends it again, and an older write of the
 * key that a peer still holds cannot win over the tombstone, so nothing deleted or replaced comes back. The
 * tombstone is swept after the retention like any other. Because a drop reaches its tombstone a moment after it
 * leaves the map, a store whose policy {@link #mayDrop may drop} never reuses a digest.
 */
public interface SizePolicy {

    /**
     * Makes the map for one store's entries (called once per store; the map is that store's alone).
     *
     * @param drops where the map reports each value it drops
     */
    ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops);

    /**
     * Whether maps of this policy ever drop a value. {@code false} lets the store reuse its last digest and skip
     * the report queue: a map of such a policy must never report a drop (the report throws
     * {@link IllegalStateException}).
     */
    boolean mayDrop();

    /** The policy {@code settings} ask for: {@link CaffeineSizePolicy} if {@code maxEntries > 0}, else unbounded. */
    static SizePolicy of(CacheSettings settings) {
        return settings.maxEntries() > 0 ? new CaffeineSizePolicy(settings.maxEntries()) : UnboundedSizePolicy.INSTANCE;
    }

    /** Receives the values a map dropped for size (see the rules on {@link SizePolicy}). */
    @FunctionalInterface
    interface Drops {

        /**
         * Reports that the map removed {@code entry}, a value, from under {@code key} on its own. Only queues the
         * report: safe to call inside the map's atomic operation, from any thread.
         */
        void dropped(Object key, StoreEntry entry);
    }
}
