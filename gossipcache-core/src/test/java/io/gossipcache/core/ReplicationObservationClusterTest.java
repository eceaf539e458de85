package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.observation.ReplicationObservationContext;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replication observations (issue 23) on a real two-member cluster: the writer observes each batch it sends, the
 * receiver each batch it applies, with the sender and the lag; each member with a registry of its own.
 */
class ReplicationObservationClusterTest {

    private TestCluster cluster;
    private final Map<String, TestObservationRegistry> registries = new ConcurrentHashMap<>();
    private volatile String next;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSentBatchAndItsApplicationAreObservedWithTheirKeys() {
        cluster = new TestCluster("observed", b -> {
            TestObservationRegistry registry = TestObservationRegistry.create();
            registries.put(next, registry);
            return b.observationRegistry(registry);
        });
        next = "node-a";
        GossipCacheEngine a = cluster.start("node-a");
        next = "node-b";
        GossipCacheEngine b = cluster.start("node-b");
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2 && b.view().size() == 2);

        a.cache("quotes").put("ACME", "42.17");
        await().atMost(TestCluster.WAIT).until(() -> "42.17".equals(b.cache("quotes").get("ACME")));

        List<ReplicationObservationContext> sent = contexts("node-a", ReplicationObservationContext.Direction.SEND);
        assertThat(sent).isNotEmpty().allSatisfy(c -> {
            assertThat(c.getName()).isEqualTo("gossipcache.replication");
            assertThat(c.getContextualName()).isEqualTo("replication send");
            assertThat(c.getLowCardinalityKeyValue("gossipcache.cluster").getValue()).isEqualTo(cluster.name);
            assertThat(c.getLowCardinalityKeyValue("gossipcache.direction").getValue()).isEqualTo("send");
        });
        assertThat(sent).anySatisfy(c -> assertThat(c.getHighCardinalityKeyValue("gossipcache.writes").getValue())
                .isEqualTo("1"));

        await().atMost(TestCluster.WAIT).untilAsserted(() -> assertThat(
                contexts("node-b", ReplicationObservationContext.Direction.APPLY)).anySatisfy(c -> {
                    assertThat(c.getContextualName()).isEqualTo("replication apply");
                    assertThat(c.getLowCardinalityKeyValue("gossipcache.direction").getValue()).isEqualTo("apply");
                    assertThat(c.getHighCardinalityKeyValue("gossipcache.peer").getValue()).isEqualTo("node-a");
                    assertThat(c.getLagMillis()).isBetween(0L, TestCluster.WAIT.toMillis());
                    assertThat(c.getHighCardinalityKeyValue("gossipcache.lag.ms").getValue())
                            .isEqualTo(Long.toString(c.getLagMillis()));
                }));
        assertThat(contexts("node-b", ReplicationObservationContext.Direction.SEND))
                .as("node-b wrote nothing").isEmpty();
    }

    private List<ReplicationObservationContext> contexts(String node, ReplicationObservationContext.Direction direction) {
        List<ReplicationObservationContext> found = new ArrayList<>();
        TestObservationRegistryAssert.assertThat(registries.get(node)).hasHandledContextsThatSatisfy(all -> all.stream()
                .filter(ReplicationObservationContext.class::isInstance)
                .map(ReplicationObservationContext.class::cast)
                .filter(c -> c.getDirection() == direction)
                .forEach(found::add));
        return found;
    }
}
