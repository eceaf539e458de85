package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.NotSerializableValueException;
import io.gossipcache.core.codec.ObjectFormat;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.replication.ReplicationResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Synchronous replication, and writes that must fail without changing anything anywhere. */
class WriteSemanticsClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void synchronousPutReturnsOnlyAfterEveryMemberHasApplied() {
        cluster = new TestCluster("sync", b -> b.replicationMode(ReplicationMode.SYNC));
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        GossipCacheEngine c = cluster.start("node-c");
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3);

        for (int i = 0; i < 100; i++) {
            ReplicationResult result = a.cache("orders").put("o" + i, "v" + i);
            assertThat(result.fullyAcknowledged()).isTrue();
            // no waiting: the acknowledgement means it is there
            assertThat(b.cache("orders").get("o" + i)).isEqualTo("v" + i);
            assertThat(c.cache("orders").get("o" + i)).isEqualTo("v" + i);
        }
        assertThat(b.cache("orders").evict("o1").fullyAcknowledged()).isTrue();
        assertThat(a.cache("orders").get("o1")).isNull();
        assertThat(c.cache("orders").clear().fullyAcknowledged()).isTrue();
        assertThat(a.cache("orders").size()).isZero();
    }

    @Test
    void synchronousPutReportsAMemberThatDidNotAnswer() throws Exception {
        cluster = new TestCluster("sync-timeout",
                b -> b.replicationMode(ReplicationMode.SYNC).syncTimeout(Duration.ofMillis(500)));
        GossipCacheEngine a = cluster.start("node-a");
        try (ForkedMember frozen = ForkedMember.start(cluster, "node-frozen")) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2);
            assertThat(a.cache("orders").put("before", "x").fullyAcknowledged()).isTrue();

            frozen.freeze();
            ReplicationResult result = a.cache("orders").put("during", "y");
            assertThat(result.synchronous()).isTrue();
            assertThat(result.unacknowledged()).containsExactly("node-frozen");
            assertThat(a.cache("orders").get("during")).isEqualTo("y"); // applied locally all the same
            assertThat(a.stats().syncTimeouts()).isEqualTo(1);
            frozen.signal("CONT");
        }
    }

    @Test
    void aValueThatCannotBeSerializedFailsThePutAndNothingIsReplicated() {
        // Java serialization: with Fory (the default) a plain Object travels
        DefaultCodec java = new DefaultCodec(AllowList.jdkOnly(), getClass().getClassLoader(), ObjectFormat.JAVA);
        cluster = new TestCluster("unserializable", b -> b.keyCodec(java).valueCodec(java));
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2);
        a.cache("things").put("k", "old");
        await().atMost(TestCluster.WAIT).until(() -> "old".equals(b.cache("things").get("k")));
        long sentBefore = a.stats().writesSent();

        assertThatThrownBy(() -> a.cache("things").put("k", new Object()))
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> a.cache("things").put(new Object(), "v"))
                .isInstanceOf(NotSerializableValueException.class);

        assertThat(a.cache("things").get("k")).isEqualTo("old");
        assertThat(a.stats().writesSent()).isEqualTo(sentBefore);
        // a later write still flows, and the failed one never arrived
        a.cache("things").put("marker", "m");
        await().atMost(TestCluster.WAIT).until(() -> "m".equals(b.cache("things").get("marker")));
        assertThat(b.cache("things").get("k")).isEqualTo("old");
    }
}
