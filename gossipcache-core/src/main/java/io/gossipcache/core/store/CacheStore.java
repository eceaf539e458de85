package io.gossipcache.core.store;

import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.util.Arrays;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
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
 * {@link #sweep} turns it into a tombstone of the same version later.
 *
 * <p>A write this member drops without deleting it, a value evicted for size (this member's own decision, not a
 * cluster write) or a write refused on arrival, leaves the tombstone of its version, as a delete does: digests count
 * entries by key and version only, so it agrees with the members that hold the write (anti-entropy neither brings
 * it back nor sends it again), and it tells members that hold an older write of the key to stop serving it. Which
 * values are evicted for size is the {@link SizePolicy}'s choice; turning them into tombstones is the store's.
 */
public final class CacheStore {

    /** Keeps the newer entry; counts the replacement when the entry replaced may be in the cached digest. */
    private final BiFunction<StoreEntry, StoreEntry, StoreEntry> newest = (current, incoming) -> {
        if (current instanceof LocalOverride override && !incoming.isLocalOverride()) {
            digestChanged();
            return override.meet(incoming);
        }
        if (!incoming.isNewerThan(current)) {
            return current;
        }
        if (current.timestamp() <= this.digestCutoff) { // "this.": the field is declared below
            digestChanged();
        }
        return incoming;
    };

    private final String name;
    private final CacheSettings settings;
    private final LongSupplier wallClock;
    /** Computes key hashes that entries then need not keep (see {@link #valueEntry}). */
    private final KeyHasher keyHasher;
    /** The size policy's map (see {@link SizePolicy}). */
    private final ConcurrentMap<Object, StoreEntry> entries;
    /** Whether the map may drop values: then digests are never reused (see {@link #digest}). */
    private final boolean mayDrop;
    /**
     * Values the map dropped for size, waiting to be replaced by their tombstones. A policy reports a drop inside
     * the map's own atomic operation, where the map cannot be written; the writes that cause drops drain this
     * queue right after. {@code null} for a policy that never drops.
     */
    private final Queue<Evicted> evicted;
    private volatile Version clearVersion = Version.ZERO;
    /**
     * Counts every change that may alter a digest of settled entries (version at most {@link #digestCutoff}):
     * the cached digest is reused only while this count is unchanged. An adder: updates of old entries count on the
     * write path, from any number of threads.
     */
    private final LongAdder digestChanges = new LongAdder();
    /** The cutoff of the last digest computed; a change to an entry newer than that cannot alter it. */
    private volatile long digestCutoff = Long.MAX_VALUE;
    private CachedDigest cachedDigest; // guarded by digestLock
    private int digestScans; // guarded by digestLock
    private final Object digestLock = new Object();
    /** Set when an entry that may need sweeping (TTL or tombstone) was written; lets idle sweeps skip the scan. */
    private volatile boolean sweepNeeded;

    public CacheStore(String name, CacheSettings settings) {
        this(name, settings, System::currentTimeMillis);
    }

    public CacheStore(String name, CacheSettings settings, LongSupplier wallClockMillis) {
        this(name, settings, wallClockMillis, KeyHasher.NONE);
    }

    /**
     * @param keyHasher computes the key hashes of the keys it derives, so that their entries need not keep them;
     *                  {@link KeyHasher#NONE} for a key codec without one
     */
    public CacheStore(String name, CacheSettings settings, LongSupplier wallClockMillis, KeyHasher keyHasher) {
        this(name, settings, wallClockMillis, keyHasher, SizePolicy.of(Objects.requireNonNull(settings, "settings")));
    }

    /**
     * @param sizePolicy bounds the live values this store keeps, in place of {@code settings.maxEntries()} (which
     *                   the other constructors turn into a policy with {@link SizePolicy#of})
     */
    public CacheStore(String name, CacheSettings settings, LongSupplier wallClockMillis, KeyHasher keyHasher,
                      SizePolicy sizePolicy) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallClock = wallClockMillis;
        this.keyHasher = Objects.requireNonNull(keyHasher, "keyHasher");
        this.mayDrop = Objects.requireNonNull(sizePolicy, "sizePolicy").mayDrop();
        if (mayDrop) {
            Queue<Evicted> queue = new ConcurrentLinkedQueue<>();
            this.evicted = queue;
            this.entries = sizePolicy.newEntryMap((key, entry) -> queue.add(new Evicted(key, entry)));
        } else {
            this.evicted = null;
            this.entries = sizePolicy.newEntryMap((key, entry) -> {
                throw new IllegalStateException(sizePolicy + " dropped a value but said it never drops");
            });
        }
    }

    private record Evicted(Object key, StoreEntry entry) {
    }

    /**
     * Puts the tombstone of its version where a value was evicted for size (for a local override: of the clustered
     * write it shadowed), unless something newer is there by now. A local override that took the key meanwhile
     * stays: it is this member's own choice. This is the store's half of the {@link SizePolicy} contract, kept here
     * whatever the policy.
     */
    private void drainEvicted() {
        if (evicted == null) {
            return;
        }
        Evicted e;
        while ((e = evicted.poll()) != null) {
            StoreEntry gone = e.entry();
            StoreEntry mark = gone instanceof LocalOverride override ? override.shadowEntry()
                    : tombstoneEntry(e.key(), gone.timestamp(), gone.node(), gone.keyHash(e.key(), keyHasher));
            if (mark == null || !mark.isNewerThan(clearVersion)) {
                // an override that shadowed nothing, or a drop that a clear since then covers: nothing to record
                continue;
            }
            entries.compute(e.key(), (k, current) -> current == null
                    || (!current.isLocalOverride() && mark.isNewerThan(current)) ? mark : current);
            if (!mark.isNewerThan(clearVersion)) { // a clear raced with it, as in apply
                entries.remove(e.key(), mark);
                continue;
            }
            sweepNeeded = true; // it goes once its version is older than the retention
        }
    }

    public String name() {
        return name;
    }

    public CacheSettings settings() {
        return settings;
    }

    KeyHasher keyHasher() {
        return keyHasher;
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

    /**
     * A value entry for {@code key}, to {@link #apply}: it keeps its key hash only if this store cannot compute it
     * from the key. Apply it to this store only: another store may not compute the hash it left out.
     *
     * @param expiresAt wall-clock millisecond at which the entry expires on this member, or {@link StoreEntry#NEVER}
     * @param keyHash   {@link KeyHash} of the encoded key
     */
    public StoreEntry valueEntry(Object key, Object value, long timestamp, long node, long expiresAt, long keyHash) {
        return StoreEntry.of(StoreEntry.requireValue(value), timestamp, node, expiresAt, keyHash,
                !derivesKeyHash(key, keyHash));
    }

    /** A tombstone for {@code key}, to {@link #apply}; like {@link #valueEntry}, it keeps only a hash it needs. */
    public StoreEntry tombstoneEntry(Object key, long timestamp, long node, long keyHash) {
        return StoreEntry.of(null, timestamp, node, StoreEntry.NEVER, keyHash, !derivesKeyHash(key, keyHash));
    }

    /**
     * Whether this store computes the same key hash from the key. Checked on every write, not assumed: a hash the
     * store got wrong would put the key in another digest bucket than its peers do, and no round would fix that.
     */
    private boolean derivesKeyHash(Object key, long keyHash) {
        return keyHasher.derives(key) && keyHasher.hash(key) == keyHash;
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
        StoreEntry result = entries.merge(key, incoming, newest);
        if (result != incoming) {
            return false;
        }
        drainEvicted();
        if (incoming.timestamp() <= digestCutoff) {
            digestChanged(); // an old write (state transfer, anti-entropy): it lands among settled entries
        }
        // A clear may have raced with this write after the check above; re-check so that it cannot survive.
        if (!incoming.isNewerThan(clearVersion)) {
            entries.remove(key, incoming);
            digestChanged();
            return false;
        }
        if (incoming.isTombstone() || incoming.expiresAt() != StoreEntry.NEVER) {
            sweepNeeded = true;
        }
        return true;
    }

    /**
     * Records a write that this member refused (its key or value too big, or of a class it does not admit) by the
     * tombstone of its version, so that anti-entropy stops sending it again every round and this member does not go
     * on serving the write it replaced. A newer write of the key still replaces it.
     *
     * @param key      the decoded key, or {@code null} if the key itself was refused: the tombstone is then kept
     *                 under the key's bytes, which no application key equals
     * @param keyBytes the encoded key (copied if needed)
     * @return whether the write was newer than what the key held
     */
    public boolean applyRefused(Object key, byte[] keyBytes, int offset, int length, long timestamp, long node,
                                long keyHash) {
        Object storedKey = key != null ? key : new UnreadableKey(Arrays.copyOfRange(keyBytes, offset, offset + length));
        return apply(storedKey, tombstoneEntry(storedKey, timestamp, node, keyHash));
    }

    /**
     * The encoded key under which {@link #applyRefused} kept a tombstone for a key it could not decode, or
     * {@code null} for an application's key.
     */
    public static byte[] unreadableKeyBytes(Object key) {
        return key instanceof UnreadableKey unreadable ? unreadable.bytes.clone() : null;
    }

    /** The key of a refused write whose key could not be decoded: its bytes, compared by content. */
    private static final class UnreadableKey {
        private final byte[] bytes;
        private final int hash;

        UnreadableKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnreadableKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Applies a write with local scope: this member only (see {@link LocalOverride}).
     *
     * @param value the value, or {@code null} for a local evict
     */
    public void applyLocal(Object key, Object value, long timestamp, long node, long expiresAt, long keyHash) {
        entries.compute(key, (k, current) -> LocalOverride.over(current, value, timestamp, node, expiresAt, keyHash));
        drainEvicted();
        sweepNeeded = true;
        digestChanged();
    }

    /** Evicts every key on this member only, each with a local tombstone. */
    public void clearLocal(java.util.function.LongSupplier timestamps, long node) {
        entries.forEach((key, entry) -> {
            if (!entry.isTombstone()) {
                applyLocal(key, null, timestamps.getAsLong(), node, StoreEntry.NEVER, entry.keyHash(key, keyHasher));
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
        digestChanged();
        return true;
    }

    /** The version of the newest clear applied so far ({@link Version#ZERO} if none). */
    public Version clearVersion() {
        return clearVersion;
    }

    /**
     * Turns expired values into tombstones of the same version, and removes tombstones (and expired values) whose
     * version is older than {@code tombstoneRetentionMillis}: an expiry is remembered exactly as long
     * as a delete, measured from the write's version, so no write older than it can win while it is in the
     * anti-entropy window.
     *
     * @return how many entries were removed or turned into tombstones
     */
    public int sweep(long tombstoneRetentionMillis) {
        drainEvicted();
        if (!sweepNeeded) {
            return 0;
        }
        sweepNeeded = false;
        long now = wallClock.getAsLong();
        long oldestKept = HybridClock.fromMillis(now - tombstoneRetentionMillis);
        int[] removed = {0};
        int[] expired = {0};
        boolean[] pending = {false};
        ScanPacer pacer = new ScanPacer(); // a background scan of the whole store, like anti-entropy's
        entries.forEach((key, entry) -> {
            pacer.step();
            boolean gone = entry.isTombstone() || entry.isExpired(now);
            if (gone && entry.timestamp() < oldestKept) {
                if (entries.remove(key, entry)) {
                    removed[0]++;
                }
            } else if (gone) {
                pending[0] = true;
                // the same version without the value: digests do not change, the value's memory is freed
                if (!entry.isTombstone() && entries.replace(key, entry, expired(key, entry))) {
                    expired[0]++;
                }
            } else if (entry.expiresAt() != StoreEntry.NEVER) {
                pending[0] = true;
            }
        });
        if (pending[0]) {
            sweepNeeded = true;
        }
        if (removed[0] > 0) {
            digestChanged();
        }
        return removed[0] + expired[0];
    }

    /** What an expired value becomes: a tombstone of its version (an override: a local evict, same shadow). */
    private StoreEntry expired(Object key, StoreEntry entry) {
        if (entry instanceof LocalOverride override) {
            return override.expired();
        }
        return tombstoneEntry(key, entry.timestamp(), entry.node(), entry.keyHash(key, keyHasher));
    }

    /** Live (not deleted, not expired) entries on this member. Counts, so it costs a scan. */
    public long size() {
        long[] live = {0};
        forEachLive((key, value) -> live[0]++);
        return live[0];
    }

    /** Visits every live (not deleted, not expired) key and value, without copying the map (a scan). */
    public void forEachLive(BiConsumer<Object, Object> action) {
        long now = wallClock.getAsLong();
        entries.forEach((key, entry) -> {
            if (!entry.isTombstone() && !entry.isExpired(now)) {
                action.accept(key, entry.value());
            }
        });
    }

    /**
     * Per-bucket digests of the entries anti-entropy compares: every value (expired or not) and tombstone whose
     * version lies in ({@code horizon}, {@code cutoff}]. An entry counts by its key and version only, so an expired
     * value digests like the tombstone it becomes, and the tombstone an evicted value left like the value. Older
     * entries are left out on every member alike, so that a member never receives (and so never resurrects) a write
     * older than the tombstone retention; newer ones are still on their way through replication.
     */
    public long[] digest(int bucketCount, long horizon, long cutoff) {
        drainEvicted();
        synchronized (digestLock) {
            CachedDigest cached = cachedDigest;
            if (cached != null && cached.answers(bucketCount, horizon, cutoff, digestCutoff, digestChanges.sum())) {
                return cached.buckets.clone();
            }
            // From here on, changes to entries up to this cutoff count (the previous cached digest is dropped). A
            // write racing with these lines (it read the previous cutoff, or counted just before the scan read the
            // entry it replaces) can leave the cached digest stale; callers move the cutoff every gossip interval,
            // so that costs at most one round's comparison, which the next round repeats.
            digestCutoff = cutoff;
            long changesBefore = digestChanges.sum();
            digestScans++;
            long[] buckets = new long[bucketCount];
            ScanPacer pacer = new ScanPacer();
            entries.forEach((key, entry) -> {
                pacer.step();
                boolean included = entry instanceof LocalOverride override
                        ? override.shadowGossiped(horizon, cutoff) // what the peers hold
                        : gossiped(entry, horizon, cutoff);
                if (included) {
                    long keyHash = entry.keyHash(key, keyHasher);
                    buckets[bucketOf(keyHash, bucketCount)] ^= entry.digest(keyHash);
                }
            });
            // Drops for size reach their tombstones a moment later, which no counter orders against this scan:
            // a store whose policy may drop never reuses its digest.
            cachedDigest = mayDrop ? null
                    : new CachedDigest(bucketCount, horizon, cutoff, changesBefore, buckets.clone());
            return buckets;
        }
    }

    private void digestChanged() {
        digestChanges.increment();
    }

    /** How many times {@link #digest} scanned the store rather than reusing its last digest (for tests). */
    int digestScans() {
        synchronized (digestLock) {
            return digestScans;
        }
    }

    /**
     * The last digest computed, and what it is valid for. Anti-entropy asks for the same window several times
     * per round (its own digest, then each peer's digest and bucket list, which carry the sender's window):
     * each is a scan of the whole store, so one scan answers them all while no settled entry changed.
     */
    private record CachedDigest(int bucketCount, long horizon, long cutoff, long changes, long[] buckets) {

        boolean answers(int count, long horizon, long cutoff, long trackedCutoff, long changesNow) {
            return bucketCount == count && this.horizon == horizon && this.cutoff == cutoff
                    && trackedCutoff == cutoff && changes == changesNow;
        }
    }

    /**
     * Visits the entries anti-entropy would send from the given buckets: values and tombstones (an expired value
     * goes as the tombstone of its version). A tombstone left by an eviction or a refusal tells a member that holds an
     * older write of the key to stop serving it, and changes nothing where the write itself is held (an equal version
     * is not newer). Local overrides stay on this member.
     */
    public void forEachGossiped(java.util.BitSet buckets, int bucketCount, long horizon, long cutoff,
                                BiConsumer<Object, StoreEntry> action) {
        drainEvicted();
        ScanPacer pacer = new ScanPacer();
        entries.forEach((key, entry) -> {
            pacer.step();
            if (!entry.isLocalOverride() && gossiped(entry, horizon, cutoff)
                    && buckets.get(bucketOf(entry.keyHash(key, keyHasher), bucketCount))) {
                action.accept(key, entry);
            }
        });
    }

    /** Whether anti-entropy compares this entry: its version is in the window. */
    public static boolean gossiped(StoreEntry entry, long horizon, long cutoff) {
        return entry.timestamp() > horizon && entry.timestamp() <= cutoff;
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
        int dropped = removeIf(entry -> entry.timestamp() <= horizon);
        digestChanged();
        return dropped;
    }

    /**
     * Drops the key's local override, if it has one (a member that does not own a key of a partitioned cache keeps
     * no clustered write of it, so a clustered write to the key just ends the override here).
     */
    public void dropLocalOverride(Object key) {
        if (entries.computeIfPresent(key, (k, e) -> e.isLocalOverride() ? null : e) == null) {
            digestChanged();
        }
    }

    /**
     * Drops every entry but local overrides whose key hash matches: the segments of a partitioned cache that this
     * member no longer owns.
     *
     * @return how many entries were dropped
     */
    public int dropKeys(java.util.function.LongPredicate keyHash) {
        int[] removed = {0};
        entries.entrySet().removeIf(e -> {
            boolean match = !e.getValue().isLocalOverride() && keyHash.test(e.getValue().keyHash(e.getKey(), keyHasher));
            if (match) {
                removed[0]++;
            }
            return match;
        });
        if (removed[0] > 0) {
            digestChanged();
        }
        return removed[0];
    }

    /**
     * Every stored entry but local overrides whose key hash matches, tombstones and not-yet-swept expired values
     * included (the segments a new owner of a partitioned cache pulls).
     */
    public void forEachClustered(java.util.function.LongPredicate keyHash, BiConsumer<Object, StoreEntry> action) {
        ScanPacer pacer = new ScanPacer();
        entries.forEach((key, entry) -> {
            pacer.step();
            if (!entry.isLocalOverride() && keyHash.test(entry.keyHash(key, keyHasher))) {
                action.accept(key, entry);
            }
        });
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

    /**
     * Lets other threads run during a long background scan. A whole-store scan is tens of milliseconds of CPU;
     * on a machine with few cores, a replicated write that arrives meanwhile waits for a core until the
     * scheduler's slice ends (benchmark S3: anti-entropy scans doubled the replication lag's p99). Yielding every
     * few thousand entries hands the core over within about a tenth of a millisecond; on an idle core it costs
     * one cheap system call.
     */
    private static final class ScanPacer {
        private static final int ENTRIES_PER_YIELD = 2048;
        private int count;

        void step() {
            if (++count % ENTRIES_PER_YIELD == 0) {
                Thread.yield();
            }
        }
    }
}
