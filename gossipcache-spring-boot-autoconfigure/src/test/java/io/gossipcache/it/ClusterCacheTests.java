package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.SimpleKey;

/** Three application contexts in one cluster on 127.0.0.1, driven through a @Cacheable service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCacheTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    private TestNodes nodes;

    @BeforeAll
    void startCluster() {
        nodes = TestNodes.start(3, "cluster-cache-" + ProcessHandle.current().pid(), 27100,
                WebApplicationType.NONE, "gossipcache.caches.short.ttl=1500ms");
    }

    @AfterAll
    void stopCluster() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private Cache cache(int node, String name) {
        return nodes.node(node).getBean(CacheManager.class).getCache(name);
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
        String value = nodes.service(1).quote("ACME");
        assertThat(value).startsWith("ACME@n1#");
        awaitOnAll("quotes", "ACME", value);
        int before2 = nodes.service(2).computed();
        int before3 = nodes.service(3).computed();
        assertThat(nodes.service(2).quote("ACME")).isEqualTo(value);
        assertThat(nodes.service(3).quote("ACME")).isEqualTo(value);
        assertThat(nodes.service(2).computed()).isEqualTo(before2);
        assertThat(nodes.service(3).computed()).isEqualTo(before3);
    }

    @Test
    void cacheEvictOnOneNodeRemovesTheEntryEverywhere() {
        String value = nodes.service(1).quote("EVICT");
        awaitOnAll("quotes", "EVICT", value);
        nodes.service(2).forget("EVICT");
        awaitGoneOnAll("quotes", "EVICT");
        assertThat(nodes.service(3).quote("EVICT")).startsWith("EVICT@n3#");
    }

    @Test
    void cachePutOnOneNodeReplacesTheEntryEverywhere() {
        String old = nodes.service(1).quote("PUT");
        awaitOnAll("quotes", "PUT", old);
        String fresh = nodes.service(3).refresh("PUT");
        assertThat(fresh).startsWith("PUT@n3#").isNotEqualTo(old);
        awaitOnAll("quotes", "PUT", fresh);
        assertThat(nodes.service(1).quote("PUT")).isEqualTo(fresh);
    }

    @Test
    void aTtlFromThePropertiesExpiresOnEveryNode() {
        String value = nodes.service(2).shortLived("T");
        awaitOnAll("short", "T", value);
        awaitGoneOnAll("short", "T");
        assertThat(nodes.service(1).shortLived("T")).startsWith("T@n1#");
    }

    @Test
    void multiArgumentKeysTravelAsSimpleKey() {
        String value = nodes.service(1).pair("A", 7);
        awaitOnAll("multi", new SimpleKey("A", 7), value);
        assertThat(nodes.service(2).pair("A", 7)).isEqualTo(value);
    }

    @Test
    void syncCacheableComputesOncePerNodeUnderSixteenConcurrentCallers() throws Exception {
        int callersPerNode = 16;
        ExecutorService pool = Executors.newFixedThreadPool(3 * callersPerNode);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int node = 1; node <= 3; node++) {
                QuoteService service = nodes.service(node);
                for (int i = 0; i < callersPerNode; i++) {
                    results.add(pool.submit(() -> {
                        gate.await();
                        return service.slow("HOT");
                    }));
                }
            }
            gate.countDown();
            for (Future<String> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).startsWith("HOT@n");
            }
        } finally {
            pool.shutdownNow();
        }
        int total = 0;
        for (int node = 1; node <= 3; node++) {
            int computed = nodes.service(node).slowComputed();
            assertThat(computed).as("computations on node %d", node).isLessThanOrEqualTo(1);
            total += computed;
        }
        assertThat(total).isBetween(1, 3);
    }

    @Test
    void completableFutureCacheableIsCachedAndReplicated() throws Exception {
        String value = nodes.service(1).asyncQuote("FUT").get(10, TimeUnit.SECONDS);
        assertThat(value).startsWith("FUT@n1#");
        assertThat(nodes.service(1).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(nodes.service(1).asyncComputed()).isEqualTo(1);
        awaitOnAll("async", "FUT", value);
        assertThat(nodes.service(2).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(nodes.service(3).asyncQuote("FUT").get(10, TimeUnit.SECONDS)).isEqualTo(value);
        assertThat(nodes.service(2).asyncComputed()).isZero();
        assertThat(nodes.service(3).asyncComputed()).isZero();
    }
}
