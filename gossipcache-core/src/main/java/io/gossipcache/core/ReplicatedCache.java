package io.gossipcache.core;

import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.Objects;

/**
 * One named cache of the engine. Reads are local map lookups; writes apply locally with a new version and
 * are then replicated to every member. A partitioned cache ({@link CacheSettings#owners()} &ge; 1) keeps each key on
 * its owners only: a write goes to them, and a member that does not hold the key reads it from them (and keeps it in
 * its near cache, if the cache has one). Keys and values must be encodable by the engine's codecs: a put of
 * a value that is not fails with a {@link io.gossipcache.core.codec.CodecException} and changes nothing.
 * While the cluster refuses this member ({@link GossipCacheEngine#refusal()}), the cache neither serves nor stores:
 * the engine emptied it when it was refused and every write is dropped, so every read misses, as if there were no
 * cache. (Reads do not check: an empty cache costs the hit path nothing.)
 */
public final class ReplicatedCache {

    private final LocalWrites engine;
    private final CacheStore store;
    /** The owners of each key; 0 for a replicated cache. */
    private final int owners;
    /** Test hook: told of every clustered put and evict made here, with its version ({@code null}: none). */
    private volatile java.util.function.Consumer<Write> writeHook;

    /** The near cache of values read from owners, or {@code null}: none (a replicated cache, or not configured). */
    private final NearValues near;
    private final long nearTtlMillis;

    ReplicatedCache(LocalWrites engine, CacheStore store) {
        this.engine = engine;
        this.store = store;
        this.owners = store.settings().owners();
        CacheSettings.NearCache nearCache = store.settings().nearCache();
        this.near = owners > 0 && nearCache.enabled() ? new NearValues(nearCache) : null;
        this.nearTtlMillis = nearCache.ttl().toMillis();
    }

    public String name() {
        return store.name();
    }

    public CacheSettings settings() {
        return store.settings();
    }

    /**
     * The value for {@code key}, or {@code null} if absent, evicted or expired. Never blocks in a replicated cache;
     * in a partitioned one, a member that does not hold the key asks its owners (up to the sync timeout each).
     */
    public Object get(Object key) {
        if (owners == 0) {
            return store.get(key);
        }
        CachedValue found = lookup(key);
        return found == null ? null : found.value();
    }

    /** The live value for {@code key} with its expiry, or {@code null} if there is none (see {@link #get}). */
    public CachedValue lookup(Object key) {
        StoreEntry entry = store.entry(key);
        if (owners > 0 && (entry == null || !entry.isLocalOverride())) {
            byte[] keyBytes = engine.encodeKey(key);
            int segment = Segments.of(KeyHash.of(keyBytes));
            if (!engine.servesLocally(owners, segment)) {
                CachedValue kept = near != null ? near.get(keyBytes, engine.wallClockMillis()) : null;
                return kept != null ? kept
                        : engine.readRemote(name(), owners, segment, keyBytes, near, nearTtlMillis, entry);
            }
        }
        if (entry == null || entry.isTombstone() || entry.isExpired(engine.wallClockMillis())) {
            return null;
        }
        return new CachedValue(entry.value(), entry.expiresAt());
    }

    /** Puts with the cache's default TTL. */
    public ReplicationResult put(Object key, Object value) {
        return put(key, value, null);
    }

    /**
     * Puts a value on every member (in a partitioned cache: on the key's owners).
     *
     * @param ttl lifetime of the entry; {@code null} for the cache's default, {@link Duration#ZERO} for none
     */
    public ReplicationResult put(Object key, Object value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long expiresAt = expiresAt(ttl);
        // Encode first: a value that cannot travel fails here, before anything changed.
        byte[] keyBytes = engine.encodeKey(key);
        byte[] valueBytes = engine.encodeValue(value);
        if (!engine.serving()) {
            return ReplicationResult.ASYNC;
        }
        long timestamp = engine.tick();
        long keyHash = KeyHash.of(keyBytes);
        Write write = Write.put(name(), keyBytes, valueBytes, timestamp, engine.nodeId(), expiresAt);
        return write(key, keyBytes, keyHash, write,
                store.valueEntry(key, value, timestamp, engine.nodeId(), expiresAt, keyHash));
    }

    /**
     * Applies a put or evict made here and sends it on. In a partitioned cache, a member that does not own the key
     * only sends it to the owners (and ends its own local override of the key, which the write replaces).
     */
    private ReplicationResult write(Object key, byte[] keyBytes, long keyHash, Write write, StoreEntry entry) {
        hook(write);
        if (near != null) {
            near.invalidate(keyBytes);
        }
        if (owners > 0) {
            int segment = Segments.of(keyHash);
            if (!engine.owns(owners, segment)) {
                store.dropLocalOverride(key);
                return engine.replicate(write, engine.otherOwners(owners, segment));
            }
        }
        store.apply(key, entry);
        undoIfRefusedMeanwhile(key, keyBytes);
        engine.changed(name(), key);
        return replicate(write, keyHash);
    }

    /**
     * Replicates a write applied here: to every member, or in a partitioned cache to the key's other owners, as the
     * placement is now, after the write was applied: had the view changed between the owner check and the apply, a
     * new owner's pull may have missed it, and this sends it there (if the view changes after this, the write was in
     * the store before, where pulls and the drop's push find it).
     */
    private ReplicationResult replicate(Write write, long keyHash) {
        return owners == 0 ? engine.replicate(write)
                : engine.replicate(write, engine.otherOwners(owners, Segments.of(keyHash)));
    }

    /**
     * Removes a key on every member (in a partitioned cache: on its owners); a tombstone keeps older writes from
     * bringing it back.
     */
    public ReplicationResult evict(Object key) {
        Objects.requireNonNull(key, "key");
        byte[] keyBytes = engine.encodeKey(key);
        if (!engine.serving()) {
            return ReplicationResult.ASYNC;
        }
        long timestamp = engine.tick();
        long keyHash = KeyHash.of(keyBytes);
        return write(key, keyBytes, keyHash, Write.evict(name(), keyBytes, timestamp, engine.nodeId()),
                store.tombstoneEntry(key, timestamp, engine.nodeId(), keyHash));
    }

    /** Removes every entry on every member, and refuses older writes that arrive later. */
    public ReplicationResult clear() {
        if (!engine.serving()) {
            return ReplicationResult.ASYNC;
        }
        long timestamp = engine.tick();
        store.clear(new Version(timestamp, engine.nodeId()));
        clearNear();
        return engine.replicate(Write.clear(name(), timestamp, engine.nodeId()));
    }

    /**
     * Puts a value on this member only: never replicated, not undone by anti-entropy, replaced by the next
     * clustered write to the key.
     *
     * @param ttl lifetime of the entry; {@code null} for the cache's default, {@link Duration#ZERO} for none
     */
    public void putLocal(Object key, Object value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long expiresAt = expiresAt(ttl);
        byte[] keyBytes = engine.encodeKey(key);
        engine.encodeValue(value); // the same limits as a clustered put: a local put is superseded, not exempt
        store.applyLocal(key, value, engine.tick(), engine.nodeId(), expiresAt, KeyHash.of(keyBytes));
    }

    /** Evicts a key on this member only (see {@link #putLocal}). */
    public void evictLocal(Object key) {
        Objects.requireNonNull(key, "key");
        byte[] keyBytes = engine.encodeKey(key);
        store.applyLocal(key, null, engine.tick(), engine.nodeId(), StoreEntry.NEVER, KeyHash.of(keyBytes));
    }

    /** Evicts every key on this member only (see {@link #putLocal}). */
    public void clearLocal() {
        store.clearLocal(engine::tick, engine.nodeId());
    }

    /**
     * A write that passed the check before the engine was refused may have landed after the engine emptied the
     * cache: the engine marks the refusal before emptying, so a write that does not see it here was emptied.
     */
    private void undoIfRefusedMeanwhile(Object key, byte[] keyBytes) {
        if (!engine.serving()) {
            store.applyLocal(key, null, engine.tick(), engine.nodeId(), StoreEntry.NEVER, KeyHash.of(keyBytes));
        }
    }

    /** When an entry put now with this TTL expires ({@code null}: the cache's default; zero: never). */
    private long expiresAt(Duration ttl) {
        Duration lifetime = CacheSettings.checkTtl(ttl != null ? ttl : store.settings().defaultTtl());
        return lifetime.isZero() ? StoreEntry.NEVER : engine.wallClockMillis() + lifetime.toMillis();
    }

    /**
     * A page of the live keys on this member whose string form starts with {@code prefix}, in the order of their
     * string forms, after the cursor {@code after} (the previous page's {@link KeyPage#next()}; {@code null} for the
     * first page). A scan of the cache that copies nothing but the page: not for hot paths.
     *
     * @param limit most keys on the page, at least 1
     */
    public KeyPage keys(String prefix, String after, int limit) {
        return KeyPages.page(store, prefix, after, limit);
    }

    /**
     * Live entries stored on this member (a scan: not for hot paths). In a partitioned cache: the entries of the
     * segments it owns (and, during a rebalance, still holds), not the cache's size.
     */
    public long size() {
        return store.size();
    }

    /** Forgets what the near cache holds (a clear, a view change); nothing without one. */
    void clearNear() {
        if (near != null) {
            near.clear();
        }
    }

    /** An owner says the key changed: the near cache drops it. */
    void invalidateNear(byte[] keyBytes) {
        if (near != null) {
            near.invalidate(keyBytes);
        }
    }

    /** Values in the near cache (an estimate), or 0 without one. */
    public long nearCacheSize() {
        return near != null ? near.size() : 0;
    }

    private void hook(Write write) {
        java.util.function.Consumer<Write> h = writeHook;
        if (h != null) {
            h.accept(write);
        }
    }

    /** Test hook: see {@link #writeHook}. */
    void setWriteHook(java.util.function.Consumer<Write> hook) {
        this.writeHook = hook;
    }

    /** What this member owns and holds of this cache if it is partitioned; empty for a replicated cache. */
    public java.util.Optional<Ownership> ownership() {
        return owners == 0 ? java.util.Optional.empty() : java.util.Optional.of(engine.ownership(owners));
    }

    /** The underlying store (read-only use: diagnostics, tests). */
    CacheStore store() {
        return store;
    }
}
