package io.gossipcache.core.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentMap;

/**
 * At most {@code maxEntries} live values, chosen by Caffeine's W-TinyLFU: the policy of a cache with
 * {@code max-entries}. Values weigh 1 and tombstones 0, so evicting for size never drops a delete, nor the
 * tombstone an eviction left. Evictions run on the writing thread (a same-thread executor), inside Caffeine's
 * eviction, and are reported there as {@link SizePolicy} requires.
 */
public final class CaffeineSizePolicy implements SizePolicy {

    private final long maxEntries;

    /** @param maxEntries the most live values a store keeps; positive */
    public CaffeineSizePolicy(long maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    public long maxEntries() {
        return maxEntries;
    }

    @Override
    public ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops) {
        return Caffeine.newBuilder()
                .maximumWeight(maxEntries)
                .<Object, StoreEntry>weigher((key, entry) -> entry.isTombstone() ? 0 : 1)
                .evictionListener((Object key, StoreEntry entry, RemovalCause cause) -> {
                    // SIZE only: the store's own removals and replacements are not drops
                    if (cause == RemovalCause.SIZE && key != null && entry != null) {
                        drops.dropped(key, entry);
                    }
                })
                .executor(Runnable::run)
                .build()
                .asMap();
    }

    @Override
    public boolean mayDrop() {
        return true;
    }

    @Override
    public String toString() {
        return "caffeine(maxEntries=" + maxEntries + ")";
    }
}
