package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.StoreEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An expiry keeps the version it expired at, as a delete does (issue 18, part 1): once a write has expired, no older
 * write of the same key is served again, whether it comes back through a healed partition or a return from LOCAL.
 */
class ExpiryClusterTest {

    private static final Duration SHORT_TTL = Duration.ofMillis(300);

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Two members that both hold {@code k = older}. */
    private List<GossipCacheEngine> startWithAnOlderValue(String name) {
        cluster = new TestCluster(name, b -> b.sweepInterval(Duration.ofMillis(100)));
        List<GossipCacheEngine> members = cluster.start(2);
        await().atMost(TestCluster.WAIT).until(() -> members.stream().allMatch(m -> m.view().size() == 2));
        members.get(0).cache("c").put("k", "older");
        await().atMost(TestCluster.WAIT).until(() -> "older".equals(members.get(1).cache("c").get("k")));
        return members;
    }

    /** Waits until the member's sweep has handled the key's expired write (before the fix: removed it). */
    private static void awaitSwept(GossipCacheEngine member, String key) {
        await().atMost(TestCluster.WAIT).until(() -> {
            StoreEntry entry = member.cache("c").store().entry(key);
            return entry == null || entry.isTombstone();
        });
    }

    /** Both members serve nothing for the key, and still do after several more anti-entropy rounds on each. */
    private static void assertNothingServedForRounds(List<GossipCacheEngine> members, String key) {
        await().atMost(TestCluster.WAIT).until(() -> members.stream().allMatch(m -> m.cache("c").get(key) == null));
        long[] rounds = members.stream().mapToLong(m -> m.antiEntropy().rounds()).toArray();
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (int i = 0; i < members.size(); i++) {
                GossipCacheEngine m = members.get(i);
                assertThat(m.cache("c").get(key)).as("%s serves an older write", m.nodeName()).isNull();
                assertThat(m.antiEntropy().rounds()).isGreaterThanOrEqualTo(rounds[i] + 4);
            }
        });
    }

    @Test
    void aWriteThatExpiredWhileLocalIsNotUndoneByTheOlderValueOnReturn() {
        List<GossipCacheEngine> m = startWithAnOlderValue("expiry-local");
        GossipCacheEngine b = m.get(1);
        b.switchMode(Mode.LOCAL);
        b.cache("c").put("k", "short-lived", SHORT_TTL);
        await().atMost(TestCluster.WAIT).until(() -> b.cache("c").get("k") == null);
        awaitSwept(b, "k");
        b.switchMode(Mode.CLUSTERED);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 2));

        assertNothingServedForRounds(m, "k");
    }

    @Test
    void aWriteThatExpiredDuringAPartitionIsNotUndoneByAnOlderValueAfterTheHeal() {
        List<GossipCacheEngine> m = startWithAnOlderValue("expiry-partition");
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);
        cluster.partition(List.of(List.of(a.nodeName()), List.of(b.nodeName())));
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 1 && b.view().size() == 1);
        // the history: a delete, then a put with a TTL shorter than the partition
        b.cache("c").evict("k");
        b.cache("c").put("k", "v2", SHORT_TTL);
        await().atMost(TestCluster.WAIT).until(() -> b.cache("c").get("k") == null);
        awaitSwept(b, "k");
        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 2));

        assertNothingServedForRounds(m, "k");
    }
}
