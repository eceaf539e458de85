package io.gossipcache.core.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The local contents of one named cache: entries and tombstones keyed by the application's key, plus the
 * cache-wide clear version. Every change goes through {@link #apply} or {@link #clear}, which keep a
 * write only if it is newer than what the key holds and newer than the last clear, so applying the same
 * writes in any order, any number of times, gives the same contents.
 *
 * <p>Reads never take a lock and never touch the network. An expired entry reads as a miss at once;
 * {@link #sweep} removes it later.
 */
public final class CacheStore {

    private static final BiFunction<StoreEntry, StoreEntry, StoreEntry> NEWEST = (current, incoming) -> {
        if (current instanceof LocalOverride override && !incoming.isLocalOverride()) {
            return override.meet(incoming);
        }
        return incoming.isNewerThan(current) ? incoming : current;
    };

    private final String name;
    private final CacheSettings settings;
    private final LongSupplier wallClock;
    /**
     * Unbounded: a ConcurrentHashMap; bounded: Caffeine's map. (An own open-addressing table saved 30 B per entry
     * but made a JMH hit 2.7x slower on this machine, issue 7: benchmarks/results/local-findings.md.)
     */
    private final ConcurrentMap<Object, StoreEntry> entries;
    private volatile Version clearVersion = Version.ZERO;
    /** Set when an entry that may need sweeping (TTL or tombstone) was written; lets idle sweeps skip the scan. */
    private volatile boolean sweepNeeded;

    public CacheStore(String name, CacheSettings settings) {
        this(name, settings, System::currentTimeMillis);
    }

    public CacheStore(String name, CacheSettings settings, LongSupplier wallClockMillis) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallClock = wallClockMillis;
        this.entries = settings.maxEntries() > 0 ? boundedMap(settings.maxEntries()) : new ConcurrentHashMap<>();
    }

    /** Caffeine enforces the bound; tombstones weigh nothing, so evicting for size never drops a delete. */
    private static ConcurrentMap<Object, StoreEntry> boundedMap(long maxEntries) {
        return Caffeine.newBuilder()
                .maximumWeight(maxEntries)
                .<Object, StoreEntry>weigher((key, entry) -> entry.isTombstone() ? 0 : 1)
                .executor(Runnable::run)
                .build()
                .asMap();
    }

    public String name() {
        return name;
    }

    public CacheSettings settings() {
        return settings;
    }

    /** The live value for {@code key}, or {@code null} if absent, deleted or expired. */
    public Object get(Object key) {
        StoreEntry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        long expiresAt = entry.expiresAt();
        // Reads the clock only for entries that can expire: the common no-TTL hit stays a map lookup.
        if (expiresAt != StoreEntry.NEVER && expiresAt <= wallClock.getAsLong()) {
            return null;
        }
        return entry.value();
    }

    /** The raw entry for {@code key} (value, tombstone or expired value), or {@code null}. */
    public StoreEntry entry(Object key) {
        return entries.get(key);
    }

    /**
     * Applies a write if it is newer than the key's current entry and than the last clear.
     *
     * @return whether the write was kept
     */
    public boolean apply(Object key, StoreEntry incoming) {
        if (!incoming.isNewerThan(clearVersion)) {
            return false;
        }
        StoreEntry result = entries.merge(key, incoming, NEWEST);
        if (result != incoming) {
            return false;
        }
        // A clear may have raced with this write after the check above; re-check so that it cannot survive.
        if (!incoming.isNewerThan(clearVersion)) {
            entries.remove(key, incoming);
            return false;
        }
        if (incoming.isTombstone() || incoming.expiresAt() != StoreEntry.NEVER) {
            sweepNeeded = true;
        }
        return true;
    }

    /**
     * Applies a write with local scope: this member only (see {@link LocalOverride}).
     *
     * @param value the value, or {@code null} for a local evict
     */
    public void applyLocal(Object key, Object value, long timestamp, long node, long expiresAt, long keyHash) {
        entries.compute(key, (k, current) -> LocalOverride.over(current, value, timestamp, node, expiresAt, keyHash));
        sweepNeeded = true;
    }

    /** Evicts every key on this member only, each with a local tombstone. */
    public void clearLocal(java.util.function.LongSupplier timestamps, long node) {
        entries.forEach((key, entry) -> {
            if (!entry.isTombstone()) {
                applyLocal(key, null, timestamps.getAsLong(), node, StoreEntry.NEVER, entry.keyHash());
            }
        });
    }

    /**
     * Applies a cache-wide clear: every entry older than {@code version} goes, and older writes arriving
     * later are refused.
     *
     * @return whether the clear was newer than the last one
     */
    public boolean clear(Version version) {
        synchronized (this) {
            if (!version.isNewerThan(clearVersion)) {
                return false;
            }
            clearVersion = version;
        }
        removeIf(entry -> !entry.isNewerThan(version));
        return true;
    }

    /** The version of the newest clear applied so far ({@link Version#ZERO} if none). */
    public Version clearVersion() {
        return clearVersion;
    }

    /**
     * Removes expired values and tombstones older than {@code tombstoneRetentionMillis}.
     *
     * @return how many entries were removed
     */
    public int sweep(long tombstoneRetentionMillis) {
        if (!sweepNeeded) {
            return 0;
        }
        sweepNeeded = false;
        long now = wallClock.getAsLong();
        long oldestKeptTombstone = HybridClock.fromMillis(now - tombstoneRetentionMillis);
        int[] removed = {0};
        boolean[] pending = {false};
        entries.forEach((key, entry) -> {
            boolean due = entry.isTombstone() ? entry.timestamp() < oldestKeptTombstone : entry.isExpired(now);
            if (due) {
                if (entries.remove(key, entry)) {
                    removed[0]++;
                }
            } else if (entry.isTombstone() || entry.expiresAt() != StoreEntry.NEVER) {
                pending[0] = true;
            }
        });
        if (pending[0]) {
            sweepNeeded = true;
        }
        return removed[0];
    }

    /** Live (not deleted, not expired) entries on this member. Counts, so it costs a scan. */
    public long size() {
        long now = wallClock.getAsLong();
        long[] live = {0};
        entries.forEach((key, entry) -> {
            if (!entry.isTombstone() && !entry.isExpired(now)) {
                live[0]++;
            }
        });
        return live[0];
    }

    /**
     * Per-bucket digests of the entries anti-entropy compares: every tombstone and unexpired value whose
     * version lies in ({@code horizon}, {@code cutoff}]. Older entries are left out on every member alike, so
     * that a member never receives (and so never resurrects) a write older than the tombstone retention;
     * newer ones are still on their way through replication.
     */
    public long[] digest(int bucketCount, long nowMillis, long horizon, long cutoff) {
        long[] buckets = new long[bucketCount];
        entries.forEach((key, entry) -> {
            boolean included = entry instanceof LocalOverride override
                    ? override.shadowGossiped(nowMillis, horizon, cutoff) // compare what the peers hold, not the override
                    : gossiped(entry, nowMillis, horizon, cutoff);
            if (included) {
                buckets[bucketOf(entry.keyHash(), bucketCount)] ^= entry.digest();
            }
        });
        return buckets;
    }

    /** Visits the entries anti-entropy would exchange in the given buckets. */
    public void forEachGossiped(java.util.BitSet buckets, int bucketCount, long nowMillis, long horizon, long cutoff,
                                BiConsumer<Object, StoreEntry> action) {
        entries.forEach((key, entry) -> {
            if (!entry.isLocalOverride() && gossiped(entry, nowMillis, horizon, cutoff)
                    && buckets.get(bucketOf(entry.keyHash(), bucketCount))) {
                action.accept(key, entry);
            }
        });
    }

    /** Whether anti-entropy compares and exchanges this entry. */
    public static boolean gossiped(StoreEntry entry, long nowMillis, long horizon, long cutoff) {
        return entry.timestamp() > horizon && entry.timestamp() <= cutoff && !entry.isExpired(nowMillis);
    }

    public static int bucketOf(long keyHash, int bucketCount) {
        return (int) Math.floorMod(keyHash, (long) bucketCount);
    }

    /**
     * Drops every entry (value or tombstone) written before {@code horizon}. After a separation longer than
     * the tombstone retention, such an entry may have been deleted elsewhere with the tombstone long gone.
     *
     * @return how many entries were dropped
     */
    public int dropOlderThan(long horizon) {
        return removeIf(entry -> entry.timestamp() <= horizon);
    }

    /** Every stored entry, tombstones and not-yet-swept expired values included (for state transfer). */
    public void forEachEntry(BiConsumer<Object, StoreEntry> action) {
        entries.forEach(action);
    }

    /** Number of stored entries, tombstones included. */
    public int storedEntries() {
        return entries.size();
    }

    /** Removes every entry that matches; answers how many were removed. */
    private int removeIf(Predicate<StoreEntry> filter) {
        int[] removed = {0};
        entries.values().removeIf(entry -> {
            boolean match = filter.test(entry);
            if (match) {
                removed[0]++;
            }
            return match;
        });
        return removed[0];
    }
}
