package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.codec.SizeLimitExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Over-limit keys and values: refused locally before anything changes, dropped and counted from the network. */
class SizeLimitClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void overLimitWritesFailLocallyAndNothingIsReplicated() {
        cluster = new TestCluster("limits-local", b -> b.maxKeySize(64).maxValueSize(1024));
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        a.cache("c").put("k", "small");
        await().atMost(TestCluster.WAIT).until(() -> "small".equals(b.cache("c").get("k")));
        long sent = a.stats().writesSent();

        assertThatThrownBy(() -> a.cache("c").put("k", "x".repeat(2_000)))
                .isInstanceOf(SizeLimitExceededException.class).hasMessageContaining("value").hasMessageContaining("1024");
        assertThatThrownBy(() -> a.cache("c").put("k".repeat(100), "v"))
                .isInstanceOf(SizeLimitExceededException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> a.cache("c").evict("k".repeat(100))).isInstanceOf(SizeLimitExceededException.class);
        assertThatThrownBy(() -> a.cache("c").putLocal("k", "x".repeat(2_000), null))
                .isInstanceOf(SizeLimitExceededException.class);

        assertThat(a.cache("c").get("k")).isEqualTo("small");
        assertThat(a.stats().writesSent()).isEqualTo(sent);
        a.cache("c").put("marker", "m");
        await().atMost(TestCluster.WAIT).until(() -> "m".equals(b.cache("c").get("marker")));
        assertThat(b.cache("c").get("k")).isEqualTo("small");
    }

    @Test
    void overLimitWritesFromTheNetworkAreDroppedAndCounted() {
        // the receiver is stricter than the sender, as a hostile or misconfigured peer would be
        cluster = new TestCluster("limits-network", b -> b.maxValueSize(1024));
        GossipCacheEngine strict = cluster.start("strict");
        GossipCacheEngine lenient = new GossipCacheEngine(EngineConfig.builder()
                .cluster(cluster.clusterConfig("lenient").build()).build());
        try {
            lenient.start();
            await().atMost(TestCluster.WAIT).until(() -> strict.view().size() == 2);
            lenient.cache("c").put("big", "x".repeat(4_000));
            lenient.cache("c").put("small", "fine");

            await().atMost(TestCluster.WAIT).until(() -> "fine".equals(strict.cache("c").get("small")));
            assertThat(strict.cache("c").get("big")).isNull();
            assertThat(strict.stats().writesRejected()).isGreaterThanOrEqualTo(1);
            // the node goes on serving and replicating
            strict.cache("c").put("after", "ok");
            await().atMost(TestCluster.WAIT).until(() -> "ok".equals(lenient.cache("c").get("after")));
        } finally {
            lenient.close();
        }
    }
}
