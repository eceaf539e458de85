package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.store.CacheSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once writes stop, anti-entropy returns to its at-rest cost (root hashes only) even where members do not hold the
 * same values: caches bounded for size that evicted different entries, and writes one member refused (issue 18,
 * parts 2 and 3). Before such writes left the tombstone of their version, both repaired or re-sent the same entries every round, forever.
 */
class AtRestClusterTest {

    private static final int BOUND = 200;

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A value class of the application that only the writer's allow-list admits. */
    record Price(String sku, long cents) implements Serializable {
    }

    @Test
    void boundedCachesThatKeptDifferentEntriesStopRepairingAtRest() {
        cluster = new TestCluster("at-rest-bounded",
                b -> b.cache("bounded", CacheSettings.DEFAULTS.withMaxEntries(BOUND)));
        List<GossipCacheEngine> m = cluster.start(2);
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2 && b.view().size() == 2);

        for (int i = 0; i < 1_000; i++) {
            a.cache("bounded").put("k" + i, "v" + i);
        }
        await().atMost(TestCluster.WAIT).until(() -> b.stats().writesReceived() >= 1_000);
        // skewed reads of keys both hold: each member's W-TinyLFU favours other keys, so later writes evict differently
        List<String> held = java.util.stream.IntStream.range(0, 1_000).mapToObj(i -> "k" + i)
                .filter(k -> a.cache("bounded").get(k) != null && b.cache("bounded").get(k) != null).toList();
        // and the application goes on reading so while writes stop (without it, the frequencies of the entries
        // anti-entropy brought back every round grew until both members happened to keep the same ones)
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                for (int i = 0; i < held.size(); i++) {
                    (i % 2 == 0 ? a : b).cache("bounded").get(held.get(i));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "skewed-reader");
        reader.start();
        try {
            for (int i = 1_000; i < 2_000; i++) {
                a.cache("bounded").put("k" + i, "v" + i);
            }
            await().atMost(TestCluster.WAIT).until(() -> b.stats().writesReceived() >= 2_000);
            assertThat(keysHeld(a)).as("the members keep different entries").isNotEqualTo(keysHeld(b));

            assertAtRest(m);
        } finally {
            reading.set(false);
        }
        for (GossipCacheEngine member : m) {
            assertThat(member.cache("bounded").size()).as(member.nodeName()).isBetween(1L, (long) BOUND);
        }
        // every value a member serves is the newest write of its key
        for (int i = 0; i < 2_000; i++) {
            for (GossipCacheEngine member : m) {
                Object value = member.cache("bounded").get("k" + i);
                assertThat(value).as("k%d on %s", i, member.nodeName()).isIn(null, "v" + i);
            }
        }
        // a later write replaces whatever each member still holds
        List<String> replaced = keysHeld(a).stream().limit(50).toList();
        assertThat(replaced).isNotEmpty();
        replaced.forEach(k -> b.cache("bounded").put(k, "new-" + k));
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (String k : replaced) {
                for (GossipCacheEngine member : m) {
                    assertThat(member.cache("bounded").get(k)).as("%s on %s", k, member.nodeName())
                            .isIn(null, "new-" + k);
                }
            }
        });
    }

    @Test
    void writesAReceiverRefusedAreNotSentAgainEveryRound() {
        // the receiver is stricter than the writer: smaller values, and no application classes
        cluster = new TestCluster("at-rest-refused", b -> b.maxValueSize(1024));
        GossipCacheEngine strict = cluster.start("strict");
        DefaultCodec lenientCodec = new DefaultCodec(AllowList.of(List.of(Price.class.getName())));
        GossipCacheEngine lenient = new GossipCacheEngine(EngineConfig.builder()
                .cluster(cluster.clusterConfig("lenient").build()).gossipInterval(Duration.ofMillis(500))
                .keyCodec(lenientCodec).valueCodec(lenientCodec).build());
        try {
            lenient.start();
            await().atMost(TestCluster.WAIT).until(() -> strict.view().size() == 2);
            strict.cache("c").put("big", "small at first");
            strict.cache("c").put("price", "text at first");
            await().atMost(TestCluster.WAIT).until(() -> "text at first".equals(lenient.cache("c").get("price")));

            lenient.cache("c").put("big", "x".repeat(4_000));
            lenient.cache("c").put("price", new Price("sku-1", 69_298));
            lenient.cache("c").put(new Price("as-key", 1), "a key of a class the receiver refuses");
            lenient.cache("c").put("fine", "fine");
            await().atMost(TestCluster.WAIT).until(() -> "fine".equals(strict.cache("c").get("fine")));
            await().atMost(TestCluster.WAIT).until(() -> strict.stats().writesRejected() >= 3);
            // it serves nothing rather than the values those writes replaced
            assertThat(strict.cache("c").get("big")).isNull();
            assertThat(strict.cache("c").get("price")).isNull();

            long rejected = assertAtRest(List.of(strict, lenient));
            assertThat(rejected).isGreaterThanOrEqualTo(3);
            // a later write it can hold replaces the tombstone
            lenient.cache("c").put("price", "text again");
            await().atMost(TestCluster.WAIT).until(() -> "text again".equals(strict.cache("c").get("price")));
        } finally {
            lenient.close();
        }
    }

    private static java.util.Set<String> keysHeld(GossipCacheEngine member) {
        return java.util.stream.IntStream.range(0, 2_000).mapToObj(i -> "k" + i)
                .filter(k -> member.cache("bounded").get(k) != null)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * Waits for a quiet round, then asserts that several more rounds on every member repair nothing, reject nothing
     * and send root hashes only.
     *
     * @return the rejected writes counted on all members
     */
    private static long assertAtRest(List<GossipCacheEngine> members) {
        // settled: a full round on every member with no repair anywhere
        await().atMost(Duration.ofSeconds(30)).until(new java.util.concurrent.Callable<Boolean>() {
            long lastRepairs = -1;
            long[] lastRounds = new long[members.size()];

            @Override
            public Boolean call() {
                long repairs = members.stream().mapToLong(e -> e.antiEntropy().repairs()).sum();
                boolean roundOnEach = true;
                for (int i = 0; i < members.size(); i++) {
                    roundOnEach &= members.get(i).antiEntropy().rounds() >= lastRounds[i] + 2;
                }
                if (!roundOnEach) {
                    return false;
                }
                boolean quiet = repairs == lastRepairs;
                lastRepairs = repairs;
                for (int i = 0; i < members.size(); i++) {
                    lastRounds[i] = members.get(i).antiEntropy().rounds();
                }
                return quiet;
            }
        });
        long repairs0 = members.stream().mapToLong(e -> e.antiEntropy().repairs()).sum();
        long rejected0 = members.stream().mapToLong(e -> e.stats().writesRejected()).sum();
        long[] bytes0 = members.stream().mapToLong(e -> e.antiEntropy().bytesSent()).toArray();
        long[] rounds0 = members.stream().mapToLong(e -> e.antiEntropy().rounds()).toArray();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).antiEntropy().rounds() < rounds0[i] + 6) {
                    return false;
                }
            }
            return true;
        });
        assertThat(members.stream().mapToLong(e -> e.antiEntropy().repairs()).sum()).as("repairs at rest")
                .isEqualTo(repairs0);
        long rejected = members.stream().mapToLong(e -> e.stats().writesRejected()).sum();
        assertThat(rejected).as("writes rejected at rest").isEqualTo(rejected0);
        for (int i = 0; i < members.size(); i++) {
            GossipCacheEngine member = members.get(i);
            long rounds = member.antiEntropy().rounds() - rounds0[i];
            long bytes = member.antiEntropy().bytesSent() - bytes0[i];
            System.out.printf("at rest: %s sent %d bytes of gossip in %d rounds%n", member.nodeName(), bytes, rounds);
            // a root hash per cache to one peer, and the peer's digests answered with nothing: no bucket exchange
            assertThat(bytes / rounds).as("gossip bytes per round on %s", member.nodeName()).isLessThan(200);
        }
        return rejected;
    }
}
