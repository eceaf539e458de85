package io.gossipcache.core;

import io.gossipcache.core.gossip.AntiEntropy;
import io.gossipcache.core.replication.StateTransfer;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.Version;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine's stores as the protocols see them: anti-entropy digests, encodes and repairs entries; a state provider
 * snapshots every clear version and entry (local overrides stay on this member, an expired value goes as a tombstone).
 */
final class EngineStores implements AntiEntropy.Stores, StateTransfer.StateSource {

    private final CacheRegistry caches;
    private final EntryCodec codec;
    private final RemoteWriteApplier applier;
    private final Supplier<Map<String, Long>> departures;
    private final LongSupplier wallClock;
    private final java.util.function.BiFunction<Integer, org.jgroups.Address, boolean[]> shared;
    private final java.util.function.BooleanSupplier partitioning;

    /**
     * @param shared       for an owner count and a peer, the segments this member and the peer both own
     * @param partitioning whether partitioned caches keep keys on their owners only (every member speaks 1.3)
     * @param departures the departures a state provider hands over (see {@link PartitionHealer#departuresAgo()}) */
    EngineStores(CacheRegistry caches, EntryCodec codec, RemoteWriteApplier applier,
                 Supplier<Map<String, Long>> departures, LongSupplier wallClockMillis,
                 java.util.function.BiFunction<Integer, org.jgroups.Address, boolean[]> shared,
                 java.util.function.BooleanSupplier partitioning) {
        this.shared = shared;
        this.partitioning = partitioning;
        this.caches = caches;
        this.codec = codec;
        this.applier = applier;
        this.departures = departures;
        this.wallClock = wallClockMillis;
    }

    @Override
    public Collection<String> cacheNames() {
        return caches.names();
    }

    @Override
    public CacheStore store(String cache) {
        ReplicatedCache replicated = caches.forRemote(cache);
        return replicated == null ? null : replicated.store();
    }

    @Override
    public Write encode(String cache, Object key, StoreEntry entry) {
        return codec.encodeEntry(cache, key, entry, wallClock.getAsLong());
    }

    @Override
    public boolean apply(Write write) {
        return applier.apply(write);
    }

    @Override
    public void snapshot(Consumer<Write> sink) {
        long now = wallClock.getAsLong();
        for (ReplicatedCache cache : caches.all()) {
            Version cleared = cache.store().clearVersion();
            if (!cleared.equals(Version.ZERO)) {
                sink.accept(Write.clear(cache.name(), cleared.timestamp(), cleared.node()));
            }
            if (cache.settings().partitioned() && partitioning.getAsBoolean()) {
                continue; // its segments move to their owners (Rebalance), not to every joiner
            }
            cache.store().forEachEntry((key, entry) -> {
                if (!entry.isLocalOverride()) {
                    Write w = codec.encodeEntry(cache.name(), key, entry, now);
                    if (w != null) {
                        sink.accept(w);
                    }
                }
            });
        }
    }

    @Override
    public boolean[] sharedSegments(String cache, org.jgroups.Address peer) {
        int owners = owners(cache);
        return owners <= 0 ? null : shared.apply(owners, peer);
    }

    @Override
    public Map<String, Long> departures() {
        return departures.get();
    }

    /** A key from another member's read, or {@code null} if this member may not or cannot decode it. */
    Object decodeKey(byte[] keyBytes) {
        try {
            return codec.decodeKey(keyBytes, 0, keyBytes.length);
        } catch (io.gossipcache.core.codec.CodecException e) {
            return null;
        }
    }

    /** The owners of a cache's keys (0: replicated), or -1 when this member does not have the cache. */
    int owners(String cacheName) {
        ReplicatedCache cache = caches.existing(cacheName);
        return cache == null ? -1 : cache.settings().owners();
    }

    /**
     * What this member holds for a key, as a write (a put, or a tombstone for a deleted or expired value), or
     * {@code null}: nothing, or a local override (this member's own).
     */
    @Override
    public Write current(String cacheName, Object key) {
        ReplicatedCache cache = caches.existing(cacheName);
        StoreEntry entry = cache == null ? null : cache.store().entry(key);
        return entry == null || entry.isLocalOverride() ? null
                : codec.encodeEntry(cacheName, key, entry, wallClock.getAsLong());
    }
}
