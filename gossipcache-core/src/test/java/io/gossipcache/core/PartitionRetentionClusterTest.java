package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long a healed side was apart decides whether a member drops its entries older than the tombstone retention
 * (issue 18, part 1): a member that restarted or came back from LOCAL mode while a partition was open knows the
 * other side's members from the member that gave it its state, so a short partition drops nothing, however old the
 * entries.
 */
class PartitionRetentionClusterTest {

    /**
     * Longer than a "short" partition takes here on a loaded machine: the split, a restart or a LOCAL return with its
     * join (a join that times out once is retried) and the heal. At 8 s, one CI run in about ten had a partition
     * outlast it, and the members then rightly dropped what was older.
     */
    private static final Duration RETENTION = Duration.ofSeconds(15);
    private static final int KEYS = 40;

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    private List<GossipCacheEngine> startWithLongLivedKeys() {
        cluster = new TestCluster("retention", b -> b.tombstoneRetention(RETENTION))
                .clusterTweaks(b -> b
                        .failureDetectionInterval(Duration.ofMillis(500))
                        .failureDetectionTimeout(Duration.ofMillis(1500))
                        .verifySuspectTimeout(Duration.ofMillis(500))
                        .mergeInterval(Duration.ofSeconds(1)));
        List<GossipCacheEngine> m = cluster.start(3);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        long written = System.currentTimeMillis();
        for (int i = 0; i < KEYS; i++) {
            m.get(0).cache("c").put("long-lived-" + i, "v" + i);
        }
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.cache("c").size() == KEYS));
        // every entry is older than the retention, as in any cluster that has run for longer than that
        await().atMost(RETENTION.multipliedBy(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> System.currentTimeMillis() > written + RETENTION.toMillis() + 1_000);
        return m;
    }

    private void partitionAOff(List<GossipCacheEngine> m) {
        cluster.partition(List.of(List.of("node-a"), List.of("node-b", "node-c")));
        await().atMost(TestCluster.WAIT).until(() -> m.get(0).view().size() == 1);
    }

    /** After the heal and two rounds on each member, every member still serves every long-lived key. */
    private void healAndAssertNothingDropped(List<GossipCacheEngine> m) {
        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 3));
        long[] rounds = m.stream().mapToLong(e -> e.antiEntropy().rounds()).toArray();
        await().atMost(TestCluster.WAIT).until(() -> {
            for (int i = 0; i < m.size(); i++) {
                if (m.get(i).antiEntropy().rounds() < rounds[i] + 2) {
                    return false;
                }
            }
            return true;
        });
        for (GossipCacheEngine member : m) {
            assertThat(member.cache("c").size()).as("long-lived keys on %s", member.nodeName()).isEqualTo(KEYS);
        }
    }

    @Test
    void aMemberRestartedDuringAShortPartitionKeepsEntriesOlderThanTheRetention() {
        List<GossipCacheEngine> m = new java.util.ArrayList<>(startWithLongLivedKeys());
        partitionAOff(m);
        GossipCacheEngine c = m.get(2);
        c.close();
        cluster.forget(c);
        await().atMost(TestCluster.WAIT).until(() -> m.get(1).view().size() == 1);
        GossipCacheEngine restarted = cluster.start("node-c"); // takes its state from node-b, on its side
        m.set(2, restarted);
        await().atMost(TestCluster.WAIT).until(() -> restarted.view().size() == 2 && restarted.cache("c").size() == KEYS);

        healAndAssertNothingDropped(m);
    }

    @Test
    void aMemberBackFromLocalDuringAShortPartitionKeepsEntriesOlderThanTheRetention() {
        List<GossipCacheEngine> m = startWithLongLivedKeys();
        GossipCacheEngine b = m.get(1);
        b.switchMode(Mode.LOCAL);
        partitionAOff(m);
        b.switchMode(Mode.CLUSTERED); // joins node-c, on its side of the partition
        await().atMost(TestCluster.WAIT).until(() -> b.view().size() == 2);

        healAndAssertNothingDropped(m);
    }
}
