package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes with local scope change one member only, survive anti-entropy, and yield to later clustered writes. */
class LocalScopeClusterTest {

    private TestCluster cluster;
    private List<GossipCacheEngine> m;

    @BeforeEach
    void start() {
        cluster = new TestCluster("local-scope");
        m = cluster.start(3);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        for (String key : List.of("k", "j", "x", "y")) {
            m.get(0).cache("c").put(key, "clustered-" + key);
        }
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.cache("c").size() == 4));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Lets every member run a few anti-entropy rounds. */
    private void gossipRounds(int rounds) {
        long[] start = m.stream().mapToLong(e -> e.antiEntropy().rounds()).toArray();
        await().atMost(TestCluster.WAIT).until(() -> {
            for (int i = 0; i < m.size(); i++) {
                if (m.get(i).antiEntropy().rounds() < start[i] + rounds) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void localWritesStayOnTheirMemberAndGossipLeavesThemAlone() {
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        GossipCacheEngine c = m.get(2);
        long repairsBefore = m.stream().mapToLong(e -> e.antiEntropy().repairs()).sum();
        long sentBefore = b.stats().writesSent();

        b.cache("c").putLocal("k", "local-b", null);
        b.cache("c").putLocal("only-on-b", "local-new", null);
        b.cache("c").evictLocal("j");
        c.cache("c").clearLocal();
        gossipRounds(4);

        assertThat(b.cache("c").get("k")).isEqualTo("local-b");
        assertThat(b.cache("c").get("only-on-b")).isEqualTo("local-new");
        assertThat(b.cache("c").get("j")).isNull();
        assertThat(c.cache("c").size()).isZero();
        assertThat(a.cache("c").get("k")).isEqualTo("clustered-k");
        assertThat(a.cache("c").get("only-on-b")).isNull();
        assertThat(a.cache("c").get("j")).isEqualTo("clustered-j");
        assertThat(a.cache("c").size()).isEqualTo(4);
        assertThat(b.stats().writesSent()).isEqualTo(sentBefore);
        // the members still agree as far as anti-entropy is concerned: nothing was exchanged
        assertThat(m.stream().mapToLong(e -> e.antiEntropy().repairs()).sum()).isEqualTo(repairsBefore);
    }

    @Test
    void aLaterClusteredWriteSupersedesTheLocalOne() {
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        GossipCacheEngine c = m.get(2);
        // b's and c's clocks run a minute ahead: the overrides' own timestamps must not decide
        long ahead = io.gossipcache.core.version.HybridClock.fromMillis(System.currentTimeMillis() + 60_000);
        b.clock().observe(ahead);
        c.clock().observe(ahead);
        b.cache("c").putLocal("k", "local-b", null);
        c.cache("c").evictLocal("x");

        a.cache("c").put("k", "clustered-again");
        a.cache("c").put("x", "back");
        await().atMost(TestCluster.WAIT).until(() -> "clustered-again".equals(b.cache("c").get("k"))
                && "back".equals(c.cache("c").get("x")));

        // and from then on it replicates and gossips like any other entry
        b.cache("c").put("k", "from-b");
        await().atMost(TestCluster.WAIT).until(() -> "from-b".equals(a.cache("c").get("k"))
                && "from-b".equals(c.cache("c").get("k")));
    }
}
