package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three members on real TCP over 127.0.0.1: puts, evicts, clears and TTLs reach everyone. */
class ReplicationClusterTest {

    private TestCluster cluster;
    private GossipCacheEngine a;
    private GossipCacheEngine b;
    private GossipCacheEngine c;

    @BeforeEach
    void startCluster() {
        cluster = new TestCluster("replication");
        List<GossipCacheEngine> engines = cluster.start(3);
        a = engines.get(0);
        b = engines.get(1);
        c = engines.get(2);
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3 && c.view().size() == 3);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void putOnOneMemberIsReadableOnTheOthers() {
        a.cache("books").put("isbn-1", "Dune");

        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            assertThat(b.cache("books").get("isbn-1")).isEqualTo("Dune");
            assertThat(c.cache("books").get("isbn-1")).isEqualTo("Dune");
        });
    }

    @Test
    void evictAndClearReachEveryMember() {
        for (int i = 0; i < 50; i++) {
            a.cache("books").put("k" + i, "v" + i);
        }
        await().atMost(TestCluster.WAIT).until(() -> b.cache("books").size() == 50 && c.cache("books").size() == 50);

        b.cache("books").evict("k7");
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            assertThat(a.cache("books").get("k7")).isNull();
            assertThat(c.cache("books").get("k7")).isNull();
            assertThat(a.cache("books").size()).isEqualTo(49);
        });

        c.cache("books").clear();
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            assertThat(a.cache("books").size()).isZero();
            assertThat(b.cache("books").size()).isZero();
            assertThat(c.cache("books").size()).isZero();
        });
    }

    @Test
    void ttlExpiresOnEveryMember() {
        a.cache("sessions").put("s1", "alice", Duration.ofSeconds(1));
        await().atMost(TestCluster.WAIT).until(() -> "alice".equals(b.cache("sessions").get("s1"))
                && "alice".equals(c.cache("sessions").get("s1")));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(a.cache("sessions").get("s1")).isNull();
            assertThat(b.cache("sessions").get("s1")).isNull();
            assertThat(c.cache("sessions").get("s1")).isNull();
        });
    }
}
