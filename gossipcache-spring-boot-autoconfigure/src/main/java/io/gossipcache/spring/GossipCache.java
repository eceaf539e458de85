package io.gossipcache.spring;

import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.observation.CacheObservationContext;
import io.gossipcache.core.observation.CacheObservationContext.Operation;
import io.gossipcache.core.observation.DefaultCacheObservationConvention;
import io.gossipcache.core.observation.GossipCacheObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * A Spring {@link org.springframework.cache.Cache} backed by one replicated cache of the engine.
 *
 * <p>Reads are local; {@link #put}, {@link #evict} and {@link #clear} apply on this node and replicate to every
 * member. {@link #get(Object, Callable)} and {@link #retrieve(Object, Supplier)} load a missing value once per
 * key on this node however many callers ask at the same time (a per-key single flight); other nodes may load
 * the same key concurrently, and the newest write wins. {@code null} values are stored as {@link NullValue}
 * when the cache allows them; a {@code NullValue} deserialized from a peer reads as {@code null} too (it resolves
 * to the singleton, see {@link #fromStoreValue}).
 */
public class GossipCache extends AbstractValueAdaptingCache {

    private final ReplicatedCache cache;
    private final ConcurrentMap<Object, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final ObservationRegistry observations;

    public GossipCache(ReplicatedCache cache, boolean allowNullValues) {
        this(cache, allowNullValues, ObservationRegistry.NOOP);
    }

    /**
     * @param observations where get, put, evict and clear are observed ({@code gossipcache.cache}, see
     *                     {@link GossipCacheObservationDocumentation#CACHE_OPERATION}); a registry without handlers
     *                     costs one check per operation
     */
    public GossipCache(ReplicatedCache cache, boolean allowNullValues, ObservationRegistry observations) {
        super(allowNullValues);
        this.cache = Objects.requireNonNull(cache, "cache");
        this.observations = Objects.requireNonNull(observations, "observations");
    }

    @Override
    public String getName() {
        return cache.name();
    }

    /** The engine's cache. */
    @Override
    public ReplicatedCache getNativeCache() {
        return cache;
    }

    @Override
    protected @Nullable Object lookup(Object key) {
        if (observations.isNoop()) {
            return counted(cache.get(key));
        }
        CacheObservationContext context = new CacheObservationContext(getName(), Operation.GET);
        Observation observation = start(context);
        try {
            Object value = counted(cache.get(key));
            context.setHit(value != null);
            return value;
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private @Nullable Object counted(@Nullable Object value) {
        if (value == null) {
            misses.increment();
        } else {
            hits.increment();
        }
        return value;
    }

    private Observation start(CacheObservationContext context) {
        return GossipCacheObservationDocumentation.CACHE_OPERATION.observation(null,
                DefaultCacheObservationConvention.INSTANCE, () -> context, observations).start();
    }

    /** Runs a put, evict or clear, observed when the registry observes. */
    private void observed(Operation operation, Runnable action) {
        if (observations.isNoop()) {
            action.run();
            return;
        }
        Observation observation = start(new CacheObservationContext(getName(), operation));
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    /**
     * Identity, as Spring's own caches: a hit then never reads the value object itself (on a hit through the
     * proxy that load was a cache miss of its own, issue 7). A peer's {@code NullValue} is the singleton too: the
     * default codec deserializes with Java serialization, whose {@code readResolve} returns
     * {@link NullValue#INSTANCE}; a custom value codec must do the same.
     */
    @Override
    protected @Nullable Object fromStoreValue(@Nullable Object storeValue) {
        return storeValue == NullValue.INSTANCE ? null : storeValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
        Object present = lookup(key);
        if (present != null) {
            return (T) fromStoreValue(present);
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            return (T) awaitLoad(key, valueLoader, running);
        }
        try {
            Object again = cache.get(key); // a load that just finished may have stored it
            if (again != null) {
                mine.complete(again);
                return (T) fromStoreValue(again);
            }
            T loaded;
            try {
                loaded = valueLoader.call();
            } catch (Throwable ex) {
                mine.completeExceptionally(ex);
                throw new ValueRetrievalException(key, valueLoader, ex);
            }
            Object stored = storeLoaded(key, loaded);
            mine.complete(stored);
            return loaded;
        } catch (RuntimeException | Error ex) {
            mine.completeExceptionally(ex); // no-op if already completed
            throw ex;
        } finally {
            loading.remove(key, mine);
        }
    }

    private @Nullable Object awaitLoad(Object key, Callable<?> valueLoader, CompletableFuture<Object> running) {
        try {
            Object stored = running.get();
            return stored == null ? null : fromStoreValue(stored);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ValueRetrievalException(key, valueLoader, ex);
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof ValueRetrievalException vre) {
                throw vre;
            }
            throw new ValueRetrievalException(key, valueLoader, cause != null ? cause : ex);
        }
    }

    /** Stores a loaded value: {@code null} as {@link NullValue} if allowed, else not at all. Returns what was stored. */
    private @Nullable Object storeLoaded(Object key, @Nullable Object loaded) {
        if (loaded == null && !isAllowNullValues()) {
            return null; // not cacheable: the caller gets null, nothing stored
        }
        Object store = toStoreValue(loaded);
        observed(Operation.PUT, () -> cache.put(key, store));
        puts.increment();
        return store;
    }

    /**
     * The cached value as a completed future ({@link org.springframework.cache.Cache.ValueWrapper} when null values
     * are allowed, so that a cached {@code null} is told from a miss), or {@code null} on a miss.
     */
    @Override
    public @Nullable CompletableFuture<?> retrieve(Object key) {
        Object value = lookup(key);
        if (value == null) {
            return null;
        }
        return CompletableFuture.completedFuture(isAllowNullValues() ? toValueWrapper(value) : fromStoreValue(value));
    }

    /**
     * The cached value, or the one the supplier's future produces, stored when it completes. Concurrent callers
     * for the same key on this node share one supplier call. The caller's thread never blocks.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        Object present = lookup(key);
        if (present != null) {
            return CompletableFuture.completedFuture((T) fromStoreValue(present));
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = loading.putIfAbsent(key, mine);
        if (running == null) {
            Object again = cache.get(key);
            if (again != null) {
                mine.complete(again);
                loading.remove(key, mine);
            } else {
                CompletableFuture<T> source;
                try {
                    source = valueLoader.get();
                } catch (RuntimeException ex) {
                    loading.remove(key, mine);
                    mine.completeExceptionally(ex);
                    return (CompletableFuture<T>) (CompletableFuture<?>) mine;
                }
                source.whenComplete((value, failure) -> {
                    try {
                        if (failure != null) {
                            mine.completeExceptionally(failure);
                        } else {
                            mine.complete(storeLoaded(key, value));
                        }
                    } catch (RuntimeException ex) {
                        mine.completeExceptionally(ex);
                    } finally {
                        loading.remove(key, mine);
                    }
                });
            }
            running = mine;
        }
        return running.thenApply(stored -> stored == null ? null : (T) fromStoreValue(stored))
                .exceptionallyCompose(ex -> CompletableFuture.failedFuture(
                        ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex));
    }

    @Override
    public void put(Object key, @Nullable Object value) {
        put(key, value, null);
    }

    /**
     * Puts with an explicit lifetime on every member.
     *
     * @param ttl {@code null} for the cache's default TTL, {@link Duration#ZERO} for no expiry
     */
    public void put(Object key, @Nullable Object value, @Nullable Duration ttl) {
        if (value == null && !isAllowNullValues()) {
            // as Spring's caches that do not allow nulls: a null means "no entry"
            evict(key);
            return;
        }
        observed(Operation.PUT, () -> cache.put(key, toStoreValue(value), ttl));
        puts.increment();
    }

    /**
     * Puts only if the key holds nothing on this node. The check and the put are not atomic across the
     * cluster: another member may put the same key at the same time, and then the newest write wins.
     */
    @Override
    public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
        Object existing = cache.get(key);
        if (existing != null) {
            return toValueWrapper(existing);
        }
        synchronized (loading) { // serializes putIfAbsent callers of this node
            existing = cache.get(key);
            if (existing != null) {
                return toValueWrapper(existing);
            }
            put(key, value);
            return null;
        }
    }

    /** Evicts on every member. */
    @Override
    public void evict(Object key) {
        observed(Operation.EVICT, () -> cache.evict(key));
        evictions.increment();
    }

    /** Evicts on every member; answers whether this node held the key. */
    @Override
    public boolean evictIfPresent(Object key) {
        boolean present = cache.get(key) != null;
        evict(key);
        return present;
    }

    /** Removes every entry on every member. */
    @Override
    public void clear() {
        observed(Operation.CLEAR, cache::clear);
    }

    /** Removes every entry on every member; answers whether this node held any entry. */
    @Override
    public boolean invalidate() {
        boolean notEmpty = cache.size() > 0;
        clear();
        return notEmpty;
    }

    // ---- this node only (docs/architecture.md, invariant 5): never replicated, superseded by the next clustered write

    /** Puts on this node only. */
    public void putLocal(Object key, @Nullable Object value, @Nullable Duration ttl) {
        cache.putLocal(key, toStoreValue(value), ttl);
        puts.increment();
    }

    /** Evicts on this node only. */
    public void evictLocal(Object key) {
        cache.evictLocal(key);
        evictions.increment();
    }

    /** Clears this node only. */
    public void clearLocal() {
        cache.clearLocal();
    }

    // ---- statistics of this adapter on this node (for metrics)

    /** Lookups that found a value. */
    public long hitCount() {
        return hits.sum();
    }

    /** Lookups that found nothing. */
    public long missCount() {
        return misses.sum();
    }

    /** Puts made through this adapter on this node. */
    public long putCount() {
        return puts.sum();
    }

    /** Evicts made through this adapter on this node (expiry and the size bound are not counted). */
    public long evictionCount() {
        return evictions.sum();
    }

    /** Live entries on this node. */
    public long size() {
        return cache.size();
    }
}
