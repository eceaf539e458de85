package io.gossipcache.core.hosts;

import static io.gossipcache.core.hosts.HostCluster.CACHE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members on separate hosts (each a JVM in its own network namespace, bound to its own address, found through
 * static seeds or through DNS) survive a real network split: packets between the sides vanish silently (no RST, no
 * ICMP), each side goes on as a cluster of its own, and once the network heals every member converges within the
 * bound: the newest write of each key wins everywhere, and a key deleted on one side does not come back.
 */
class MultiHostPartitionTest extends LabTest {

    /** Once with static seeds, once with DNS discovery (A records on a DNS server in a namespace of its own). */
    @ParameterizedTest(name = "dns discovery: {0}")
    @ValueSource(booleans = { false, true })
    void silentPartitionHealsWithTheNewestWriteWinningAndDeletesStaying(boolean dns) throws Exception {
        try (HostCluster cluster = new HostCluster(lab, dns ? "split-dns" : "split", 4, dns)) {
            List<HostMember> m = cluster.start(0, 1, 2, 3);
            for (String key : List.of("both", "a-last", "gone-a", "gone-b")) {
                cluster.put(m.get(0), key, "v0");
            }
            cluster.awaitConverged(System.nanoTime(), Bounds.START);

            long cut = System.nanoTime();
            lab.partition(List.of(cluster.host(0), cluster.host(1)), List.of(cluster.host(2), cluster.host(3)));
            long split = cluster.awaitViews(cut, Bounds.SPLIT, List.of(0, 1), List.of(2, 3));
            System.out.println("[hosts] partition" + (dns ? " (dns)" : "") + " -> two views in " + split + " ms");
            assertThat(lab.droppedBy(cluster.host(0))).as("packets dropped by tc on n1").isPositive();
            assertThat(lab.droppedBy(cluster.host(2))).as("packets dropped by tc on n3").isPositive();

            // each side writes, overwrites and deletes; the recorded order is the real one
            cluster.put(m.get(0), "only-a", "a1");
            cluster.put(m.get(0), "both", "a1");
            cluster.delete(m.get(1), "gone-a");
            cluster.put(m.get(1), "gone-b", "a1");
            cluster.put(m.get(3), "only-b", "b1");
            cluster.put(m.get(3), "both", "b1");       // newer than a1: wins
            cluster.delete(m.get(2), "gone-b");        // newer than a1: stays deleted
            cluster.put(m.get(2), "a-last", "b1");
            cluster.put(m.get(1), "a-last", "a2");     // newer than b1: wins
            // each side replicates within itself and nothing crosses
            HostCluster.within(System.nanoTime(), Bounds.START, "replication within each side", () ->
                    "a2".equals(m.get(0).get(CACHE, "a-last")) && "b1".equals(m.get(2).get(CACHE, "only-b")) ? null : "not yet");
            assertThat(m.get(2).get(CACHE, "only-a")).as("n1's write on n3").isNull();
            assertThat(m.get(1).get(CACHE, "only-b")).as("n4's write on n2").isNull();

            lab.heal();
            cluster.awaitHealed("partition" + (dns ? " (dns)" : "") + " heal", System.nanoTime());
            cluster.assertStaysConverged(Bounds.STAY);
            cluster.assertNoErrorsLogged();
        }
    }

    @Test
    void memberStartedDuringAPartitionJoinsOneSideAndConvergesAfterTheHeal() throws Exception {
        try (HostCluster cluster = new HostCluster(lab, "joiner", 4)) {
            List<HostMember> m = cluster.start(0, 1, 2);
            cluster.put(m.get(0), "shared", "v0");
            cluster.put(m.get(0), "gone-b", "v0");
            cluster.awaitConverged(System.nanoTime(), Bounds.START);

            // n4's host is on n1/n2's side before n4 exists
            long cut = System.nanoTime();
            lab.partition(List.of(cluster.host(0), cluster.host(1), cluster.host(3)), List.of(cluster.host(2)));
            long split = cluster.awaitViews(cut, Bounds.SPLIT, List.of(0, 1), List.of(2));
            System.out.println("[hosts] partition (joiner test) -> two views in " + split + " ms");
            cluster.put(m.get(0), "only-a", "a1");
            cluster.put(m.get(2), "shared", "b1");
            cluster.put(m.get(2), "only-b", "b1");
            cluster.delete(m.get(2), "gone-b");

            HostMember joiner = cluster.start(3).get(0);
            cluster.awaitViews(System.nanoTime(), Bounds.START, List.of(0, 1, 3), List.of(2));
            assertThat(joiner.get(CACHE, "only-a")).as("state from its side").isEqualTo("a1");
            assertThat(joiner.get(CACHE, "only-b")).as("nothing from the other side").isNull();
            cluster.put(joiner, "shared", "d1");        // newer than b1: wins
            cluster.put(joiner, "only-d", "d1");

            lab.heal();
            cluster.awaitHealed("joiner-during-partition heal", System.nanoTime());
            cluster.assertStaysConverged(Bounds.STAY);
            cluster.assertNoErrorsLogged();
        }
    }
}
