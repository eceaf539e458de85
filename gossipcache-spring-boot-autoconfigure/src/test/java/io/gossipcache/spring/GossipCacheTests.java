package io.gossipcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Mode;
import io.gossipcache.core.UnknownCacheException;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.support.NullValue;

/** The Cache SPI over an engine in LOCAL mode (no network). */
class GossipCacheTests {

    private static final Codec SPRING_CODEC = new DefaultCodec(AllowList.of(List.of(NullValue.class.getName(),
            org.springframework.cache.interceptor.SimpleKey.class.getName())), GossipCacheTests.class.getClassLoader());

    private GossipCacheEngine engine;
    private GossipCacheManager manager;

    @BeforeEach
    void start() {
        engine = new GossipCacheEngine(EngineConfig.builder()
                .cluster(ClusterConfig.builder().clusterName("spi-" + System.nanoTime()).nodeName("spi")
                        .bindPort(27990).portRange(1).build())
                .cache("configured", new CacheSettings(Duration.ZERO, 0))
                // as the starter configures it: Spring's NullValue and SimpleKey travel
                .keyCodec(SPRING_CODEC).valueCodec(SPRING_CODEC)
                .startMode(Mode.LOCAL).build());
        engine.start();
        manager = new GossipCacheManager(engine, true);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void configuredCachesExistAndOthersAreCreatedOnDemand() {
        assertThat(manager.getCacheNames()).containsExactly("configured");
        Cache cache = manager.getCache("dynamic");
        assertThat(cache).isInstanceOf(GossipCache.class);
        assertThat(manager.getCache("dynamic")).isSameAs(cache);
        assertThat(manager.getCacheNames()).containsExactly("configured", "dynamic");
    }

    @Test
    void getPutEvictClear() {
        GossipCache cache = manager.requireCache("c");
        assertThat(cache.get("k")).isNull();
        cache.put("k", "v");
        assertThat(cache.get("k").get()).isEqualTo("v");
        assertThat(cache.get("k", String.class)).isEqualTo("v");
        assertThatThrownBy(() -> cache.get("k", Integer.class)).isInstanceOf(IllegalStateException.class);
        assertThat(cache.putIfAbsent("k", "other").get()).isEqualTo("v");
        assertThat(cache.putIfAbsent("k2", "w")).isNull();
        assertThat(cache.get("k2", String.class)).isEqualTo("w");
        assertThat(cache.evictIfPresent("k")).isTrue();
        assertThat(cache.evictIfPresent("k")).isFalse();
        cache.evict("absent");
        assertThat(cache.get("k")).isNull();
        cache.put("a", 1L);
        cache.clear();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.invalidate()).isFalse();
        cache.put("a", 1L);
        assertThat(cache.invalidate()).isTrue();
        assertThat(cache.size()).isZero();
        assertThat(cache.hitCount()).isPositive();
        assertThat(cache.missCount()).isPositive();
        assertThat(cache.putCount()).isEqualTo(4);
        assertThat(cache.evictionCount()).isEqualTo(3);
        assertThat(cache.getNativeCache()).isSameAs(engine.cache("c"));
    }

    @Test
    void nullValuesAreCachedAsNullValueAndAPeersNullValueReadsAsNull() throws Exception {
        GossipCache cache = manager.requireCache("nulls");
        cache.put("k", null);
        assertThat(cache.get("k")).isNotNull();
        assertThat(cache.get("k").get()).isNull();
        assertThat(engine.cache("nulls").get("k")).isSameAs(NullValue.INSTANCE);
        // a peer's NullValue: what a codec that allows it (as the auto-configured one) makes of a peer's bytes
        Codec codec = new DefaultCodec(AllowList.of(List.of(NullValue.class.getName())), getClass().getClassLoader());
        engine.cache("nulls").put("peer", codec.decode(codec.encode(NullValue.INSTANCE)));
        assertThat(cache.get("peer")).isNotNull();
        assertThat(cache.get("peer").get()).isNull();
        assertThat(cache.get("peer", String.class)).isNull();
        assertThat(cache.get("peer", () -> "loaded")).isNull();
        assertThat(cache.retrieve("peer").join()).isInstanceOf(Cache.ValueWrapper.class);
    }

    @Test
    void withoutNullValuesANullIsNotCached() throws Exception {
        GossipCacheManager strict = new GossipCacheManager(engine, false);
        GossipCache cache = strict.requireCache("strict");
        cache.put("k", "v");
        cache.put("k", null);
        assertThat(cache.get("k")).isNull();
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.<String>get("n", () -> { calls.incrementAndGet(); return null; })).isNull();
        assertThat(cache.<String>get("n", () -> { calls.incrementAndGet(); return null; })).isNull();
        assertThat(calls).hasValue(2);
        assertThat(cache.retrieve("n", () -> CompletableFuture.completedFuture((String) null)).get(5, TimeUnit.SECONDS))
                .isNull();
        assertThat(cache.retrieve("n")).isNull();
    }

    @Test
    void valueLoaderRunsOncePerKeyUnderAStampede() throws Exception {
        GossipCache cache = manager.requireCache("stampede");
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    gate.await();
                    return cache.get("k", () -> {
                        calls.incrementAndGet();
                        Thread.sleep(200); // the slow computation under test, not a synchronization
                        return "computed";
                    });
                }));
            }
            gate.countDown();
            for (Future<String> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("computed");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailingLoaderIsReportedAndNotCached() {
        GossipCache cache = manager.requireCache("failing");
        assertThatThrownBy(() -> cache.get("k", () -> { throw new IllegalStateException("boom"); }))
                .isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseMessage("boom");
        assertThat(cache.get("k", () -> "ok")).isEqualTo("ok");
    }

    @Test
    void retrieveAnswersNullOnAMissAndAFutureOnAHit() throws Exception {
        GossipCache cache = manager.requireCache("async");
        assertThat(cache.retrieve("k")).isNull();
        cache.put("k", "v");
        Object found = cache.retrieve("k").get(5, TimeUnit.SECONDS);
        assertThat(found).isInstanceOf(Cache.ValueWrapper.class);
        assertThat(((Cache.ValueWrapper) found).get()).isEqualTo("v");
    }

    @Test
    void retrieveWithLoaderSharesOneLoadAndStoresTheResult() throws Exception {
        GossipCache cache = manager.requireCache("async2");
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> source = new CompletableFuture<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(cache.retrieve("k", () -> { calls.incrementAndGet(); return source; }));
        }
        assertThat(results).noneMatch(CompletableFuture::isDone);
        source.complete("loaded");
        for (CompletableFuture<String> r : results) {
            assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("loaded");
        }
        assertThat(calls).hasValue(1);
        assertThat(cache.get("k", String.class)).isEqualTo("loaded");
        assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("again")).get(5, TimeUnit.SECONDS))
                .isEqualTo("loaded");
    }

    @Test
    void retrieveWithAFailingLoaderFailsAndCachesNothing() {
        GossipCache cache = manager.requireCache("async3");
        CompletableFuture<String> failed = cache.retrieve("k",
                () -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
        assertThat(cache.retrieve("k")).isNull();
    }

    @Test
    void unknownCacheFailsClearlyWhenDynamicCachesAreOff() {
        GossipCacheEngine fixed = new GossipCacheEngine(EngineConfig.builder()
                .cluster(ClusterConfig.builder().clusterName("fixed").nodeName("fixed").bindPort(27991).portRange(1).build())
                .cache("known", CacheSettings.DEFAULTS).dynamicCaches(false).startMode(Mode.LOCAL).build());
        try {
            fixed.start();
            GossipCacheManager fixedManager = new GossipCacheManager(fixed, true);
            assertThat(fixedManager.getCache("known")).isNotNull();
            assertThat(fixedManager.getCache("unknown")).isNull();
            assertThatThrownBy(() -> fixedManager.requireCache("unknown"))
                    .isInstanceOf(UnknownCacheException.class).hasMessageContaining("unknown").hasMessageContaining("known");
        } finally {
            fixed.close();
        }
    }

    @Test
    void resetCachesClearsEveryCache() {
        GossipCache a = manager.requireCache("a");
        a.put("k", "v");
        manager.resetCaches();
        assertThat(a.get("k")).isNull();
    }

    @Test
    void listenersSeeExistingAndNewCaches() {
        List<String> seen = new ArrayList<>();
        manager.onCacheCreated(c -> seen.add(c.getName()));
        manager.getCache("later");
        assertThat(seen).containsExactly("configured", "later");
    }
}
