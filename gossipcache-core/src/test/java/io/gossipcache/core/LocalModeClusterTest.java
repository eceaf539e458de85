package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Local-only mode at run time and at start-up: out of the cluster, and reconciled both ways on return. */
class LocalModeClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aLocalNodeLeavesServesLocallyAndReconcilesBothWaysOnReturn() {
        cluster = new TestCluster("local-mode");
        List<GossipCacheEngine> m = cluster.start(3);
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        GossipCacheEngine c = m.get(2);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        b.cache("c").put("shared", "before");
        b.cache("c").put("evicted-by-cluster", "x");
        b.cache("c").put("evicted-locally", "y");
        await().atMost(TestCluster.WAIT).until(() -> "y".equals(c.cache("c").get("evicted-locally")));

        c.switchMode(Mode.LOCAL);
        assertThat(c.mode()).isEqualTo(Mode.LOCAL);
        // a graceful leave: the others see it at once
        await().atMost(Duration.ofSeconds(2)).until(() -> a.view().size() == 2 && b.view().size() == 2);
        assertThat(c.view().size()).isEqualTo(1);

        c.cache("c").put("written-locally", "local");
        c.cache("c").evict("evicted-locally");
        a.cache("c").put("written-by-cluster", "cluster");
        a.cache("c").evict("evicted-by-cluster");
        a.cache("c").put("shared", "cluster-update");
        await().atMost(TestCluster.WAIT).until(() -> "cluster".equals(b.cache("c").get("written-by-cluster")));
        // neither side sees the other's writes while apart
        assertThat(c.cache("c").get("written-by-cluster")).isNull();
        assertThat(c.cache("c").get("shared")).isEqualTo("before");
        assertThat(a.cache("c").get("written-locally")).isNull();
        assertThat(b.cache("c").get("evicted-locally")).isEqualTo("y");

        c.switchMode(Mode.CLUSTERED);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (GossipCacheEngine member : m) {
                assertThat(member.cache("c").get("written-locally")).as(member.nodeName()).isEqualTo("local");
                assertThat(member.cache("c").get("written-by-cluster")).as(member.nodeName()).isEqualTo("cluster");
                assertThat(member.cache("c").get("shared")).as(member.nodeName()).isEqualTo("cluster-update");
                assertThat(member.cache("c").get("evicted-by-cluster")).as(member.nodeName()).isNull();
                assertThat(member.cache("c").get("evicted-locally")).as(member.nodeName()).isNull();
            }
        });
        // and replication works again in both directions
        c.cache("c").put("after", "return");
        await().atMost(TestCluster.WAIT).until(() -> "return".equals(a.cache("c").get("after")));
    }

    @Test
    void aNodeStartedLocalStaysOutUntilSwitched() {
        cluster = new TestCluster("local-start", b -> b);
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine local = new GossipCacheEngine(EngineConfig.builder()
                .cluster(cluster.clusterConfig("node-local").build()).startMode(Mode.LOCAL).build());
        try {
            local.start();
            assertThat(local.mode()).isEqualTo(Mode.LOCAL);
            local.cache("c").put("k", "local");
            a.cache("c").put("j", "clustered");
            assertThat(a.view().size()).isEqualTo(1);
            assertThat(local.view().size()).isEqualTo(1);

            local.switchMode(Mode.CLUSTERED);
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2);
            await().atMost(TestCluster.WAIT).until(() -> "local".equals(a.cache("c").get("k"))
                    && "clustered".equals(local.cache("c").get("j")));
        } finally {
            local.close();
        }
    }
}
