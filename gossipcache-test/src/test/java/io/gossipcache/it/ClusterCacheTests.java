package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.test.GossipCacheClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Three application contexts in one cluster on 127.0.0.1, driven through a @Cacheable service; the cluster is the
 * test kit's (one for the class).
 */
class ClusterCacheTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    @RegisterExtension
    static GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 3)
            .properties("gossipcache.caches.short.ttl=1500ms")
            .build();

    private static Cache cache(int node, String name) {
        return cluster.member(node - 1).springCache(name);
    }

    private static QuoteService service(int node) {
        return cluster.member(node - 1).bean(QuoteService.class);
    }

    private void awaitOnAll(String cache, Object key, Object expected) {
        await().atMost(REPLICATION).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                Cache.ValueWrapper found = cache(i, cache).get(key);
                assertThat(found).as("node %d", i).isNotNull();
                assertThat(found.get()).as("node %d", i).isEqualTo(expected);
            }
        });
    }

    private void awaitGoneOnAll(String cache, Object key) {
        await().atMost(REPLICATION).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                assertThat(cache(i, cache).get(key)).as("node %d", i).isNull();
            }
        });
    }

    @Test
    void aValueComputedOnOneNodeIsServedByTheOthersWithoutRecomputation() {
        String value = service(1).quote("ACME");
        assertThat(value).startsWith("ACME@member-1#");
        awaitOnAll("quotes", "ACME", value);
        int before2 = service(2).computed();
        int before3 = service(3).computed();
        assertThat(service(2).quote("ACME")).isEqualTo(value);
        assertThat(service(3).quote("ACME")).isEqualTo(value);
        assertThat(service(2).computed()).isEqualTo(before2);
        assertThat(service(3).computed()).isEqualTo(before3);
    }

    @Test
    void cacheEvictOnOneNodeRemovesTheEntryEverywhere() {
        String value = service(1).quote("EVICT");
        awaitOnAll("quotes", "EVICT", value);
        service(2).forget("EVICT");
        awaitGoneOnAll("quotes", "EVICT");
        assertThat(service(3).quote("EVICT")).startsWith("EVICT@member-3#");
    }

    @Test
    void cachePutOnOneNodeReplacesTheEntryEverywhere() {
        String old = service(1).quote("PUT");
        awaitOnAll("quotes", "PUT", old);
        String fresh = service(3).refresh("PUT");
        assertThat(fresh).startsWith("PUT@member-3#").isNotEqualTo(old);
        awaitOnAll("quotes", "PUT", fresh);
        assertThat(service(1).quote("PUT")).isEqualTo(fresh);
    }

    @Test
    void aTtlFromThePropertiesExpiresOnEveryNode() {
        String value = service(2).shortLived("T");
        awaitOnAll("short", "T", value);
        awaitGoneOnAll("short", "T");
        assertThat(service(1).shortLived("T")).startsWith("T@member-1#");
    }

    @Test
    void multiArgumentKeysTravelAsSimpleKey() {
        String value = service(1).pair("A", 7);
        awaitOnAll("multi", new SimpleKey("A", 7), value);
        assertThat(service(2).pair("A", 7)).isEqualTo(value);
    }

    @Test
    void syncCacheableComputesOncePerNodeUnderSixteenConcurrentCallers() throws Exception {
        int callersPerNode = 16;
        ExecutorService pool = Executors.newFixedThreadPool(3 * callersPerNode);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int node = 1; node <= 3; node++) {
                QuoteService service = service(node);
                for (int i = 0; i < callersPerNode; i++) {
                    results.add(pool.submit(() -> {
                        gate.await();
                        return service.slow("HOT");
                    }));
                }
            }
            gate.countDown();
            for (Future<String> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).startsWith("HOT@member-");
            }
        } finally {
            pool.shutdownNow();
        }
        int total = 0;
        for (int node = 1; node <= 3; node++) {
            int computed = service(node).slowComputed();
            assertThat(computed).as("computations on node %d", node).isLessThanOrEqualTo(1);
            total += computed;
        }
        assertThat(total).isBetween(1, 3);
    }

    @Test
    void completableFutureCacheableIsCachedAndReplicated() throws Exception {
        String value = service(1).asyncQuote("FUT").get(10, TimeUnit.SECONDS);
        assertThat(value).startsWith("FUT@member-1#");
        assertThat(service(1).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(service(1).asyncComputed()).isEqualTo(1);
        awaitOnAll("async", "FUT", value);
        assertThat(service(2).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(service(3).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(service(2).asyncComputed()).isZero();
        assertThat(service(3).asyncComputed()).isZero();
    }
}
