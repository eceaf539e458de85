package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.StoreEntry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A write a member of a size-bounded cache evicted before anyone else had it still replaces older writes elsewhere. */
class BoundedCacheClusterTest {

    private TestCluster cluster;
    private GossipCacheEngine closeLater;

    @AfterEach
    void stop() {
        if (closeLater != null) {
            closeLater.close();
        }
        cluster.close();
    }

    /**
     * Found by the fault-injection checker (seed 5726358848694850741): a member writes a key in LOCAL mode and evicts
     * that write for size before it returns. The newest write then exists nowhere but as the tombstone its eviction left, and the
     * others went on serving the older value for ever.
     */
    @Test
    void aNewerWriteEvictedBeforeItWasReplicatedStopsTheOthersServingTheOlderOne() {
        // b's cache holds one entry (so that the test can evict k there); a's is unbounded, so that nothing but the
        // newer write can take the older one away from a
        cluster = new TestCluster("bounded-evicted");
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = new GossipCacheEngine(EngineConfig.builder().cluster(cluster.clusterConfig("node-b").build())
                .gossipInterval(java.time.Duration.ofMillis(500))
                .cache("bounded", CacheSettings.DEFAULTS.withMaxEntries(1)).build());
        closeLater = b;
        b.start();
        List<GossipCacheEngine> m = List.of(a, b);
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2 && b.view().size() == 2);
        a.cache("bounded").put("k", "older");
        // not read on b: a key read there would be hot in its W-TinyLFU, and the fillers below could not evict it
        await().atMost(TestCluster.WAIT).until(() -> b.stats().writesApplied() >= 1);

        b.switchMode(Mode.LOCAL);
        b.cache("bounded").put("k", "newer");
        for (int i = 0; i < 1_000 && !b.cache("bounded").store().entry("k").isTombstone(); i++) {
            for (int read = 0; read < 10; read++) {
                b.cache("bounded").get("filler-" + i); // misses that W-TinyLFU counts: hotter than k, it admits them
            }
            b.cache("bounded").put("filler-" + i, "x");
        }
        StoreEntry onB = b.cache("bounded").store().entry("k");
        assertThat(onB.isTombstone()).as("k evicted on b: %s", onB).isTrue();
        b.switchMode(Mode.CLUSTERED);
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2 && b.view().size() == 2);

        assertThat(a.cache("bounded").store().entry("k").value()).isEqualTo("older");
        await().atMost(TestCluster.WAIT).until(() -> a.cache("bounded").get("k") == null);
        long[] rounds = m.stream().mapToLong(e -> e.antiEntropy().rounds()).toArray();
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (int i = 0; i < m.size(); i++) {
                assertThat(m.get(i).cache("bounded").get("k")).as("k on %s", m.get(i).nodeName()).isNull();
                assertThat(m.get(i).antiEntropy().rounds()).isGreaterThanOrEqualTo(rounds[i] + 4);
            }
        });
    }
}
