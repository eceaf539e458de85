package io.gossipcache.core;

import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHasher;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's named caches: created from the configuration at start, on first use (when dynamic caches are on) and
 * when another member writes to a new name, up to the bound on caches. Lookups are lock-free; creation takes a lock.
 */
final class CacheRegistry {

    private static final Logger log = LoggerFactory.getLogger(CacheRegistry.class);

    private final EngineConfig config;
    private final KeyHasher keyHasher;
    private final Function<CacheStore, ReplicatedCache> wrap;
    private final ReplicationStats stats;
    private final OnceLog onceLog;
    /** Creation holds this map's lock (rare: only to count against the bound). */
    private final Map<String, ReplicatedCache> caches = new ConcurrentHashMap<>();

    /**
     * @param keyHasher the key codec's hasher: entries of the keys it covers do not keep their key hash
     * @param wrap      makes a cache of a new store
     */
    CacheRegistry(EngineConfig config, KeyHasher keyHasher, Function<CacheStore, ReplicatedCache> wrap,
                  ReplicationStats stats, OnceLog onceLog) {
        this.config = config;
        this.keyHasher = keyHasher;
        this.wrap = wrap;
        this.stats = stats;
        this.onceLog = onceLog;
    }

    /** Creates the configured caches. */
    void createConfigured() {
        config.caches().forEach(this::create);
    }

    /**
     * The cache with this name, created with the default settings if it does not exist yet.
     *
     * @throws UnknownCacheException if it does not exist and dynamic creation is off
     */
    ReplicatedCache cache(String name) {
        ReplicatedCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        if (!config.dynamicCaches()) {
            throw new UnknownCacheException(name, names());
        }
        return create(name, config.defaultCacheSettings());
    }

    /** The cache with this name, or {@code null}. */
    ReplicatedCache existing(String name) {
        return caches.get(name);
    }

    /**
     * Caches written by other members exist here too, whether or not dynamic creation is on, up to the bound on
     * caches: past it, {@code null} (counted, logged once).
     */
    ReplicatedCache forRemote(String name) {
        ReplicatedCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        try {
            return create(name, config.caches().getOrDefault(name, config.defaultCacheSettings()));
        } catch (TooManyCachesException e) {
            stats.countCacheRefused();
            if (onceLog.first("too-many-caches")) {
                log.warn("Refused writes to cache '{}' from another member: this member has {} caches already, the"
                        + " most gossipcache.max-caches allows (logged once; counted in gossipcache.caches.refused)",
                        name, config.maxCaches());
            }
            return null;
        }
    }

    /** An owner says a key this member read into a near cache changed (on the delivery thread). */
    void existingNear(String name, byte[] key) {
        ReplicatedCache cache = caches.get(name);
        if (cache != null) {
            cache.invalidateNear(key);
        }
    }

    /** Names of the caches, sorted. */
    Set<String> names() {
        return new TreeSet<>(caches.keySet());
    }

    /** The caches (a live view). */
    Collection<ReplicatedCache> all() {
        return caches.values();
    }

    /** Forgets expired tombstones and expired values (see {@link CacheStore#sweep}) in every cache. */
    void sweep(Duration retention) {
        for (ReplicatedCache cache : caches.values()) {
            try {
                cache.store().sweep(retention.toMillis());
            } catch (RuntimeException e) {
                log.warn("Sweeping cache '{}' failed: {}", cache.name(), e.toString());
            }
        }
    }

    /** @throws TooManyCachesException if it is new and there are {@link EngineConfig#maxCaches()} caches already */
    private ReplicatedCache create(String name, CacheSettings settings) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cache name must not be empty");
        }
        synchronized (caches) {
            ReplicatedCache existing = caches.get(name);
            if (existing != null) {
                return existing;
            }
            if (caches.size() >= config.maxCaches()) {
                throw new TooManyCachesException(name, config.maxCaches());
            }
            ReplicatedCache cache = wrap.apply(new CacheStore(name, settings, System::currentTimeMillis, keyHasher));
            caches.put(name, cache);
            return cache;
        }
    }
}
