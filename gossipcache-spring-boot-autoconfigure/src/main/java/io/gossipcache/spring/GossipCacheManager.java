package io.gossipcache.spring;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.micrometer.observation.ObservationRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} over a {@link GossipCacheEngine}.
 *
 * <p>The caches configured on the engine exist from start-up; others are created on first use with the default
 * settings when the engine allows dynamic caches. When it does not, {@link #getCache(String)} answers
 * {@code null} for an unknown name, and Spring's cache interceptor fails the call with "Cannot find cache named
 * ..."; {@link #requireCache(String)} fails with the configured names instead. Caches that other members
 * created are listed here too.
 */
public class GossipCacheManager implements CacheManager {

    private final GossipCacheEngine engine;
    private final boolean allowNullValues;
    private final ObservationRegistry observations;
    private final ConcurrentMap<String, GossipCache> caches = new ConcurrentHashMap<>();
    private final List<Consumer<GossipCache>> cacheListeners = new CopyOnWriteArrayList<>();

    public GossipCacheManager(GossipCacheEngine engine, boolean allowNullValues) {
        this(engine, allowNullValues, ObservationRegistry.NOOP);
    }

    /** @param observations where the caches' operations are observed (see {@link GossipCache}) */
    public GossipCacheManager(GossipCacheEngine engine, boolean allowNullValues, ObservationRegistry observations) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.allowNullValues = allowNullValues;
        this.observations = Objects.requireNonNull(observations, "observations");
        engine.cacheNames().forEach(this::getCache);
    }

    @Override
    public @Nullable Cache getCache(String name) {
        GossipCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        Optional<ReplicatedCache> existing = engine.existingCache(name);
        if (existing.isEmpty() && !engine.config().dynamicCaches()) {
            return null;
        }
        ReplicatedCache target = existing.orElseGet(() -> engine.cache(name));
        boolean[] created = {false};
        cache = caches.computeIfAbsent(name, n -> {
            created[0] = true;
            return new GossipCache(target, allowNullValues, observations);
        });
        if (created[0]) {
            for (Consumer<GossipCache> listener : cacheListeners) {
                listener.accept(cache);
            }
        }
        return cache;
    }

    /**
     * The named cache, created if dynamic caches are on.
     *
     * @throws io.gossipcache.core.UnknownCacheException if it does not exist and dynamic caches are off
     */
    public GossipCache requireCache(String name) {
        GossipCache cache = (GossipCache) getCache(name);
        if (cache == null) {
            engine.cache(name); // throws UnknownCacheException naming the configured caches
            throw new IllegalStateException("No cache named '" + name + "'");
        }
        return cache;
    }

    /** Every cache on this node, those created by other members included, sorted by name. */
    @Override
    public Collection<String> getCacheNames() {
        return engine.cacheNames();
    }

    /** Clears every cache on every member. */
    @Override
    public void resetCaches() {
        for (String name : getCacheNames()) {
            Cache cache = getCache(name);
            if (cache != null) {
                cache.clear();
            }
        }
    }

    /** Whether null values are cached (as {@link org.springframework.cache.support.NullValue}). */
    public boolean isAllowNullValues() {
        return allowNullValues;
    }

    public GossipCacheEngine getEngine() {
        return engine;
    }

    /**
     * Calls {@code listener} for every cache adapter created from now on, and at once for those that exist.
     * Used to bind metrics of caches created after start-up.
     */
    public void onCacheCreated(Consumer<GossipCache> listener) {
        cacheListeners.add(listener);
        caches.values().forEach(listener);
    }
}
