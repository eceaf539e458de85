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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.jgroups.util.UUID;
import org.jgroups.util.Util;
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

        await().atMost(TestCluster.WAIT).untilAsserted(() -> assertPlaced(engines, "orders", 2, KEYS,
                i -> "order-" + i));
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
        String key = "local-1";
        List<String> keyOwners = ownersOf(engines, 2, key);
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

    @Test
    void aJoinerTakesItsSegmentsAndTheFormerOwnersDropThemWithNoWrongReadMeanwhile() throws Exception {
        cluster = new TestCluster("partitioned-join", b -> b.cache("orders", new CacheSettings(Duration.ZERO, 0, 1)));
        List<GossipCacheEngine> engines = new ArrayList<>(cluster.start(3));
        await().atMost(TestCluster.WAIT).until(() -> engines.stream().allMatch(e -> e.view().size() == 3));
        for (int i = 0; i < KEYS; i++) {
            engines.get(i % 3).cache("orders").put("order-" + i, "v" + i);
        }
        await().atMost(TestCluster.WAIT).untilAsserted(() -> assertPlacedAndReadable(engines, "orders", 1));

        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                for (int i = 0; i < KEYS; i++) {
                    Object value = engines.get(0).cache("orders").get("order-" + i);
                    if (value != null && !value.equals("v" + i)) {
                        wrong.add("order-" + i + "=" + value);
                    }
                }
            }
        });
        reader.start();
        try {
            engines.add(cluster.start("node-d"));
            await().atMost(TestCluster.WAIT).untilAsserted(() -> assertPlacedAndReadable(engines, "orders", 1));
        } finally {
            reading.set(false);
            reader.join();
        }
        assertThat(wrong).as("reads during the move").isEmpty();
    }

    @Test
    void withTwoOwnersAKilledMemberLosesNoAcknowledgedWrite() throws Exception {
        List<GossipCacheEngine> engines = new ArrayList<>(start(ReplicationMode.SYNC));
        for (int i = 0; i < KEYS; i++) {
            ReplicationResult result = engines.get(i % 4).cache("orders").put("order-" + i, "v" + i);
            assertThat(result.unacknowledged()).isEmpty();
        }
        GossipCacheEngine victim = engines.remove(2);
        Util.shutdown(cluster.channel(victim.nodeName())); // no leave: the others must detect it
        victim.close();
        cluster.forget(victim);

        await().atMost(TestCluster.WAIT).untilAsserted(() -> assertPlacedAndReadable(engines, "orders", 2));
    }

    @Test
    void aHealedPartitionServesTheNewestWriteOfEitherSide() {
        List<GossipCacheEngine> engines = start(ReplicationMode.SYNC);
        for (int i = 0; i < 100; i++) {
            engines.get(0).cache("orders").put("k" + i, "before");
        }
        cluster.partition(List.of(List.of("node-a", "node-b"), List.of("node-c", "node-d")));
        await().atMost(TestCluster.WAIT).until(() -> engines.stream().allMatch(e -> e.view().size() == 2));

        for (int i = 0; i < 50; i++) {
            engines.get(0).cache("orders").put("k" + i, "left");
        }
        long leftDone = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > leftDone + 1);
        for (int i = 25; i < 100; i++) {
            engines.get(3).cache("orders").put("k" + i, "right"); // newer than the left side's
        }
        for (GossipCacheEngine reader : engines) {
            String expected = reader.nodeName().compareTo("node-c") < 0 ? "left" : "right";
            assertThat(reader.cache("orders").get("k30")).as(reader.nodeName()).isEqualTo(expected);
        }

        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> engines.stream().allMatch(e -> e.view().size() == 4));
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (GossipCacheEngine reader : engines) {
                for (int i = 0; i < 100; i++) {
                    assertThat(reader.cache("orders").get("k" + i)).as(reader.nodeName() + " k" + i)
                            .isEqualTo(i < 25 ? "left" : "right");
                }
            }
            assertPlaced(engines, "orders", 2, 100, i -> "k" + i);
        });
    }

    /** Every key on exactly its owners among {@code engines}, and every member reads every key. */
    private void assertPlacedAndReadable(List<GossipCacheEngine> engines, String cache, int owners) {
        assertPlaced(engines, cache, owners, KEYS, i -> "order-" + i);
        for (GossipCacheEngine reader : engines) {
            for (int i = 0; i < KEYS; i++) {
                assertThat(reader.cache(cache).get("order-" + i)).as(reader.nodeName() + " order-" + i)
                        .isEqualTo("v" + i);
            }
        }
    }

    private void assertPlaced(List<GossipCacheEngine> engines, String cache, int owners, int keys,
                              IntFunction<String> key) {
        for (int i = 0; i < keys; i++) {
            assertThat(holders(engines, cache, key.apply(i))).as(key.apply(i))
                    .containsExactlyInAnyOrderElementsOf(ownersOf(engines, owners, key.apply(i)));
        }
    }

    /**
     * The node names of a key's owners among {@code engines}: rendezvous hashing over the members' UUIDs, as every
     * member reads them from its view.
     */
    private List<String> ownersOf(List<GossipCacheEngine> engines, int owners, String key) {
        Map<String, String> names = new HashMap<>();
        for (GossipCacheEngine engine : engines) {
            names.put(((UUID) cluster.channel(engine.nodeName()).getAddress()).toStringLong(), engine.nodeName());
        }
        return SegmentOwners.of(names.keySet(), owners).of(segmentOf(engines.get(0), key)).stream()
                .map(names::get).toList();
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
