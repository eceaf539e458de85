package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache of a partitioned cache: a member that does not own a key keeps what it read (no second round trip),
 * and the key's owner invalidates it on every write, so the replaced value goes within the invalidation's delivery,
 * far inside the near cache's TTL of a minute (with which these tests would fail if the invalidation did not come).
 */
class NearCacheClusterTest {

    private static final Duration INVALIDATION = Duration.ofSeconds(2);

    private TestCluster cluster;
    private GossipCacheEngine owner;
    private GossipCacheEngine reader;
    private GossipCacheEngine writer;
    private String key;

    @BeforeEach
    void start() {
        cluster = new TestCluster("near", b -> b.replicationMode(ReplicationMode.SYNC).cache("quotes",
                new CacheSettings(Duration.ZERO, 0, 1, new CacheSettings.NearCache(Duration.ofMinutes(1), 1_000))));
        List<GossipCacheEngine> engines = cluster.start(3);
        await().atMost(TestCluster.WAIT).until(() -> engines.stream().allMatch(e -> e.view().size() == 3));
        // a key owned by the first member, so that the two others read it from there
        owner = engines.get(0);
        for (int i = 0; key == null; i++) {
            if (owner.owns("quotes", "q" + i)) {
                key = "q" + i;
            }
        }
        reader = engines.get(1);
        writer = engines.get(2);
        await().atMost(TestCluster.WAIT).until(() -> engines.stream()
                .allMatch(e -> e.cache("quotes").ownership().orElseThrow().heldSegments()
                        == e.cache("quotes").ownership().orElseThrow().ownedSegments()));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aSecondReadIsServedFromTheNearCache() {
        writer.cache("quotes").put(key, "v1");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("v1");
        long asked = reader.stats().remoteReads();
        for (int i = 0; i < 10; i++) {
            assertThat(reader.cache("quotes").get(key)).isEqualTo("v1");
        }
        assertThat(reader.stats().remoteReads()).as("no round trip for a kept value").isEqualTo(asked);
        assertThat(reader.cache("quotes").nearCacheSize()).isEqualTo(1);
    }

    @Test
    void anotherMembersWriteInvalidatesTheKeptValue() {
        writer.cache("quotes").put(key, "v1");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("v1");

        writer.cache("quotes").put(key, "v2"); // sync: the owner has it
        await().atMost(INVALIDATION).pollInterval(Duration.ofMillis(5))
                .until(() -> "v2".equals(reader.cache("quotes").get(key)));

        owner.cache("quotes").put(key, "v3"); // the owner's own write
        await().atMost(INVALIDATION).pollInterval(Duration.ofMillis(5))
                .until(() -> "v3".equals(reader.cache("quotes").get(key)));

        writer.cache("quotes").evict(key);
        await().atMost(INVALIDATION).pollInterval(Duration.ofMillis(5))
                .until(() -> reader.cache("quotes").get(key) == null);
    }

    @Test
    void aClearAndAViewChangeEmptyTheNearCache() {
        writer.cache("quotes").put(key, "v1");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("v1");
        writer.cache("quotes").clear();
        await().atMost(INVALIDATION).until(() -> reader.cache("quotes").get(key) == null);

        writer.cache("quotes").put(key, "v2");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("v2");
        cluster.start("node-d");
        await().atMost(TestCluster.WAIT).until(() -> reader.view().size() == 4);
        assertThat(reader.cache("quotes").nearCacheSize()).as("other owners now").isZero();
    }

    @Test
    void aReadersOwnWriteReplacesItsKeptValueAtOnce() {
        writer.cache("quotes").put(key, "v1");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("v1");
        reader.cache("quotes").put(key, "mine");
        assertThat(reader.cache("quotes").get(key)).isEqualTo("mine");
    }
}
