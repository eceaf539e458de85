package io.gossipcache.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.StoreEntry;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The near cache of one partitioned cache on a member that does not own a key: the values it read from the owners,
 * by key bytes (an invalidation names the key by its bytes and needs no decoding), for the near cache's TTL at most.
 * The owners invalidate a key on every write to it ({@link ReadInterest}).
 *
 * <p>Concurrency: any thread reads and fills it; invalidations come on the JGroups delivery thread. A value read
 * from an owner is kept only if no invalidation came between the read's start ({@link #stamp()}) and its keeping,
 * since the invalidation may have overtaken the answer: what the owner answered may already be replaced.
 */
final class NearValues {

    private final Cache<KeyBytes, CachedValue> values;
    /** Invalidations so far: a read keeps its value only if none came while it was on its way. */
    private final AtomicLong invalidations = new AtomicLong();

    NearValues(CacheSettings.NearCache settings) {
        this.values = Caffeine.newBuilder().expireAfterWrite(settings.ttl()).maximumSize(settings.maxEntries())
                .build();
    }

    /** The value kept for the key, unless it expired meanwhile; {@code null} if none. */
    CachedValue get(byte[] key, long nowMillis) {
        CachedValue found = values.getIfPresent(new KeyBytes(key));
        if (found == null || (found.expiresAt() != StoreEntry.NEVER && found.expiresAt() <= nowMillis)) {
            return null;
        }
        return found;
    }

    /** Taken before a read from an owner: see {@link #keep}. */
    long stamp() {
        return invalidations.get();
    }

    /** Keeps a value read from an owner, unless an invalidation came since {@code stamp}. */
    void keep(byte[] key, CachedValue value, long stamp) {
        if (invalidations.get() != stamp) {
            return;
        }
        KeyBytes k = new KeyBytes(key);
        values.put(k, value);
        if (invalidations.get() != stamp) {
            values.invalidate(k); // one came meanwhile, and may have run before the put
        }
    }

    /** A write to the key: its value here is no longer the newest. */
    void invalidate(byte[] key) {
        invalidations.incrementAndGet();
        values.invalidate(new KeyBytes(key));
    }

    /** Forgets every value (a clear, or a view change: other owners now, who do not know this reader). */
    void clear() {
        invalidations.incrementAndGet();
        values.invalidateAll();
    }

    /** Values kept (an estimate: expired ones count until Caffeine cleans them up). */
    long size() {
        return values.estimatedSize();
    }

    /** A key's bytes, compared by content. */
    record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "KeyBytes[" + bytes.length + " bytes]";
        }
    }
}
