package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.placement.SegmentOwners;
import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Partitioned caches on four members over real TCP: each key is stored on its owners only, every member reads every
 * key (non-owners from an owner), and a member reads its own writes at once, wherever the key lives.
 */
class PartitionedCacheClusterTest {

    private static final int KEYS = 400;

    private TestCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private List<GossipCacheEngine> start(ReplicationMode mode) {
        cluster = new TestCluster("partitioned", b -> b.replicationMode(mode)
                .cache("orders", new CacheSettings(Duration.ZERO, 0, 2))
                .cache("sessions", new CacheSettings(Duration.ofSeconds(1), 0, 1)));
        List<GossipCacheEngine> engines = cluster.start(4);
        await().atMost(TestCluster.WAIT).until(() -> engines.stream().allMatch(e -> e.view().size() == 4));
        return engines;
    }

    @Test
    void eachKeyLivesOnItsTwoOwnersAndEveryMemberReadsIt() {
        List<GossipCacheEngine> engines = start(ReplicationMode.ASYNC);
        for (int i = 0; i < KEYS; i++) {
            engines.get(i % 4).cache("orders").put("order-" + i, "v" + i);
        }

        SegmentOwners owners = SegmentOwners.of(engines.stream().map(GossipCacheEngine::nodeName).toList(), 2);
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (int i = 0; i < KEYS; i++) {
                String key = "order-" + i;
                assertThat(holders(engines, "orders", key)).as(key)
                        .containsExactlyInAnyOrderElementsOf(owners.of(segmentOf(engines.get(0), key)));
            }
        });
        long stored = engines.stream().mapToLong(e -> e.cache("orders").size()).sum();
        assertThat(stored).as("two copies of each key in all").isEqualTo(2L * KEYS);
        for (GossipCacheEngine reader : engines) {
            for (int i = 0; i < KEYS; i += 7) {
                assertThat(reader.cache("orders").get("order-" + i)).as(reader.nodeName() + " order-" + i)
                        .isEqualTo("v" + i);
            }
        }
        assertThat(engines.stream().mapToLong(e -> e.stats().remoteReads()).sum())
                .as("non-owners asked owners").isPositive();
    }

    @Test
    void aMemberReadsItsOwnWritesAtOnceWhereverTheKeyLives() {
        List<GossipCacheEngine> engines = start(ReplicationMode.ASYNC);
        GossipCacheEngine writer = engines.get(1);
        for (int i = 0; i < KEYS; i++) {
            String key = "k" + i;
            writer.cache("orders").put(key, "first");
            writer.cache("orders").put(key, "second");
            assertThat(writer.cache("orders").get(key)).as(key).isEqualTo("second");
            writer.cache("orders").evict(key);
            assertThat(writer.cache("orders").get(key)).as(key + " after evict").isNull();
        }
    }

    @Test
    void evictsClearsAndExpiriesReachEveryReader() {
        List<GossipCacheEngine> engines = start(ReplicationMode.SYNC);
        for (int i = 0; i < 50; i++) {
            ReplicationResult result = engines.get(0).cache("orders").put("k" + i, "v" + i);
            assertThat(result.unacknowledged()).as("every owner acknowledged k" + i).isEmpty();
        }
        engines.get(3).cache("orders").evict("k7");
        for (GossipCacheEngine reader : engines) {
            assertThat(reader.cache("orders").get("k7")).as(reader.nodeName()).isNull();
            assertThat(reader.cache("orders").get("k8")).as(reader.nodeName()).isEqualTo("v8");
        }

        engines.get(2).cache("orders").clear();
        await().atMost(TestCluster.WAIT).untilAsserted(() -> engines.forEach(reader -> {
            assertThat(reader.cache("orders").size()).isZero();
            assertThat(reader.cache("orders").get("k8")).isNull();
        }));

        engines.get(0).cache("sessions").put("s1", "alice");
        for (GossipCacheEngine reader : engines) {
            assertThat(reader.cache("sessions").get("s1")).as(reader.nodeName()).isEqualTo("alice");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> engines.forEach(reader ->
                assertThat(reader.cache("sessions").get("s1")).as(reader.nodeName()).isNull()));
    }

    @Test
    void aLocalOverrideOnANonOwnerIsServedThereAndEndsWithTheNextClusteredWrite() {
        List<GossipCacheEngine> engines = start(ReplicationMode.SYNC);
        SegmentOwners owners = SegmentOwners.of(engines.stream().map(GossipCacheEngine::nodeName).toList(), 2);
        String key = "local-1";
        List<String> keyOwners = owners.of(segmentOf(engines.get(0), key));
        GossipCacheEngine nonOwner = engines.stream().filter(e -> !keyOwners.contains(e.nodeName())).findFirst()
                .orElseThrow();
        GossipCacheEngine other = engines.stream().filter(e -> e != nonOwner).findFirst().orElseThrow();

        other.cache("orders").put(key, "clustered");
        nonOwner.cache("orders").putLocal(key, "mine", null);
        assertThat(nonOwner.cache("orders").get(key)).isEqualTo("mine");
        assertThat(other.cache("orders").get(key)).isEqualTo("clustered");

        nonOwner.cache("orders").put(key, "newest");
        for (GossipCacheEngine reader : engines) {
            assertThat(reader.cache("orders").get(key)).as(reader.nodeName()).isEqualTo("newest");
        }
        assertThat(nonOwner.cache("orders").store().entry(key)).as("a non-owner keeps no copy").isNull();
    }

    private static int segmentOf(GossipCacheEngine engine, Object key) {
        return Segments.of(KeyHash.of(engine.config().keyCodec().encode(key)));
    }

    /** The members that store a live entry of the key. */
    private static List<String> holders(List<GossipCacheEngine> engines, String cache, Object key) {
        long now = System.currentTimeMillis();
        return engines.stream().filter(e -> {
            StoreEntry entry = e.cache(cache).store().entry(key);
            return entry != null && !entry.isTombstone() && !entry.isExpired(now);
        }).map(GossipCacheEngine::nodeName).toList();
    }
}
