package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Anti-entropy repairs what replication did not deliver, heals partitions, and never resurrects deletes. */
class AntiEntropyClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    private List<GossipCacheEngine> start(TestCluster c, int n) {
        cluster = c;
        List<GossipCacheEngine> members = c.start(n);
        await().atMost(TestCluster.WAIT).until(() -> members.stream().allMatch(m -> m.view().size() == n));
        return members;
    }

    /** Writes into one member's store only, as if replication had never delivered them elsewhere. */
    private static void applyOnlyLocally(GossipCacheEngine member, String cache, String key, Object value) {
        byte[] keyBytes = member.config().keyCodec().encode(key);
        long ts = member.clock().tick();
        StoreEntry entry = value == null
                ? StoreEntry.tombstone(ts, member.nodeId(), KeyHash.of(keyBytes))
                : StoreEntry.value(value, ts, member.nodeId(), 0, KeyHash.of(keyBytes));
        member.cache(cache).store().apply(key, entry);
    }

    @Test
    void gossipDeliversWritesThatReplicationMissed() {
        List<GossipCacheEngine> m = start(new TestCluster("gossip-repair"), 3);
        m.get(0).cache("c").put("shared", "v1");
        await().atMost(TestCluster.WAIT).until(() -> "v1".equals(m.get(2).cache("c").get("shared")));

        applyOnlyLocally(m.get(0), "c", "only-on-a", "hidden");
        applyOnlyLocally(m.get(1), "c", "shared", null); // an evict only b knows
        applyOnlyLocally(m.get(2), "other-cache", "k", "from-c");

        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (GossipCacheEngine member : m) {
                assertThat(member.cache("c").get("only-on-a")).isEqualTo("hidden");
                assertThat(member.cache("c").get("shared")).isNull();
                assertThat(member.cache("other-cache").get("k")).isEqualTo("from-c");
            }
        });
        assertThat(m.stream().mapToLong(e -> e.antiEntropy().repairs()).sum()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aRoundAtRestSendsOnlyRootHashes() {
        List<GossipCacheEngine> m = start(new TestCluster("gossip-rest"), 3);
        int entries = 100_000;
        for (int i = 0; i < entries; i++) {
            m.get(0).cache("big").put("key-" + i, "value-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> m.get(1).cache("big").size() == entries
                && m.get(2).cache("big").size() == entries);
        // converged: wait for a few rounds with no repairs, then measure
        GossipCacheEngine a = m.get(0);
        long rounds0 = a.antiEntropy().rounds();
        await().atMost(TestCluster.WAIT).until(() -> a.antiEntropy().rounds() >= rounds0 + 2);
        long bytes0 = a.antiEntropy().bytesSent();
        long repairs0 = m.stream().mapToLong(e -> e.antiEntropy().repairs()).sum();
        long rounds1 = a.antiEntropy().rounds();
        await().atMost(TestCluster.WAIT).until(() -> a.antiEntropy().rounds() >= rounds1 + 4);
        long rounds = a.antiEntropy().rounds() - rounds1;
        long bytes = a.antiEntropy().bytesSent() - bytes0;
        System.out.printf("anti-entropy at rest, %,d entries: %d rounds, %d bytes sent by one member (%d bytes/round)%n",
                entries, rounds, bytes, bytes / rounds);
        assertThat(m.stream().mapToLong(e -> e.antiEntropy().repairs()).sum()).isEqualTo(repairs0);
        // one root hash per cache to each of the fanout peers, and no bucket exchange
        assertThat(bytes / rounds).isPositive().isLessThan(2 * 200);
    }

    @Test
    void aHealedPartitionConvergesToTheNewestWriteForEveryKey() {
        List<GossipCacheEngine> m = start(new TestCluster("partition"), 3);
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        GossipCacheEngine c = m.get(2);
        a.cache("c").put("doomed", "old");
        a.cache("c").put("stays", "old");
        await().atMost(TestCluster.WAIT).until(() -> "old".equals(c.cache("c").get("doomed")));

        cluster.partition(List.of(List.of("node-a"), List.of("node-b", "node-c")));
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 1 && b.view().size() == 2 && c.view().size() == 2);

        for (int i = 0; i < 50; i++) {
            a.cache("c").put("k" + i, "a-side-" + i);
        }
        for (int i = 25; i < 75; i++) {
            b.cache("c").put("k" + i, "b-side-" + i); // concurrent with a's writes to k25..k49
        }
        c.cache("c").evict("doomed");
        a.cache("c").put("stays", "new");
        assertThat(b.cache("c").get("k0")).isNull(); // really cut off
        assertThat(a.cache("c").get("doomed")).isEqualTo("old");
        List<String> keys = new java.util.ArrayList<>(List.of("doomed", "stays"));
        for (int i = 0; i < 75; i++) {
            keys.add("k" + i);
        }
        // concurrent writes are ordered by version: the newest is whichever side's version is larger
        Map<String, Object> expected = new HashMap<>();
        for (String key : keys) {
            StoreEntry newest = null;
            for (GossipCacheEngine member : m) {
                StoreEntry e = member.cache("c").store().entry(key);
                if (e != null && (newest == null || e.isNewerThan(newest))) {
                    newest = e;
                }
            }
            expected.put(key, newest == null ? null : newest.value());
        }
        assertThat(expected.get("doomed")).isNull();
        assertThat(expected.get("stays")).isEqualTo("new");
        assertThat(expected.get("k0")).isEqualTo("a-side-0");
        assertThat(expected.get("k74")).isEqualTo("b-side-74");

        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (GossipCacheEngine member : m) {
                for (Map.Entry<String, Object> e : expected.entrySet()) {
                    assertThat(member.cache("c").get(e.getKey())).as("%s on %s", e.getKey(), member.nodeName())
                            .isEqualTo(e.getValue());
                }
            }
        });
    }

    @Test
    void aPartitionLongerThanTheTombstoneRetentionDoesNotResurrectDeletes() {
        Duration retention = Duration.ofSeconds(3);
        List<GossipCacheEngine> m = start(new TestCluster("retention", b -> b.tombstoneRetention(retention)), 3);
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        a.cache("c").put("deleted-meanwhile", "v");
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> "v".equals(e.cache("c").get("deleted-meanwhile"))));

        cluster.partition(List.of(List.of("node-a"), List.of("node-b", "node-c")));
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 1 && b.view().size() == 2);
        b.cache("c").evict("deleted-meanwhile");
        // the tombstone outlives its retention and is swept on the majority side
        await().atMost(TestCluster.WAIT).until(() -> b.cache("c").store().entry("deleted-meanwhile") == null
                && m.get(2).cache("c").store().entry("deleted-meanwhile") == null);

        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        // let every member run a few anti-entropy rounds with the others (a heal also reconciles at once)
        long[] rounds = m.stream().mapToLong(e -> e.antiEntropy().rounds()).toArray();
        await().atMost(TestCluster.WAIT).until(() -> IntStream.range(0, m.size())
                .allMatch(i -> m.get(i).antiEntropy().rounds() >= rounds[i] + 3));
        for (GossipCacheEngine member : m) {
            assertThat(member.cache("c").get("deleted-meanwhile")).as("on %s", member.nodeName()).isNull();
        }
    }
}
