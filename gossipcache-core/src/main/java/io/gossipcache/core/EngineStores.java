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

    /** @param departures the departures a state provider hands over (see {@link PartitionHealer#departuresAgo()}) */
    EngineStores(CacheRegistry caches, EntryCodec codec, RemoteWriteApplier applier,
                 Supplier<Map<String, Long>> departures, LongSupplier wallClockMillis) {
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
    public Map<String, Long> departures() {
        return departures.get();
    }

    @Override
    public Write current(String cacheName, Object key) {
        ReplicatedCache cache = caches.existing(cacheName);
        StoreEntry entry = cache == null ? null : cache.store().entry(key);
        return entry == null || entry.isLocalOverride() ? null
                : codec.encodeEntry(cacheName, key, entry, wallClock.getAsLong());
    }
}
