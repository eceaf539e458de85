package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.InMemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replicator on an in-memory network: what reaches the other members, and what a synchronous write waits for. */
class ReplicatorProtocolTest {

    private static final String CACHE = "c";
    private final AtomicLong wallClock = new AtomicLong(1_767_225_600_000L);
    private final List<ProtocolNode> nodes = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (ProtocolNode node : nodes) {
            node.close();
        }
    }

    @Test
    void everyMemberServesTheWriterLastWrites() {
        InMemoryNetwork network = new InMemoryNetwork(1);
        ProtocolNode a = node(network, "a", Duration.ofSeconds(5));
        ProtocolNode b = node(network, "b", Duration.ofSeconds(5));
        ProtocolNode c = node(network, "c", Duration.ofSeconds(5));
        for (int i = 0; i < 5_000; i++) { // more than a batch holds
            a.put(CACHE, "k" + i % 700, "v" + i, ReplicationMode.ASYNC);
        }
        a.evict(CACHE, "k1", ReplicationMode.ASYNC);
        a.flush();
        network.deliverAll();

        assertThat(network.sent()).as("batches to 2 members").isGreaterThan(4);
        assertThat(b.contents(CACHE)).isEqualTo(a.contents(CACHE)).hasSize(699).containsEntry("k0", "v4900");
        assertThat(c.contents(CACHE)).isEqualTo(a.contents(CACHE));
    }

    /** Batches that arrive twice or out of order still leave each key at its newest write (seeds: fault patterns). */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24})
    void duplicatedAndReorderedBatchesLeaveTheNewestWrite(long seed) {
        System.out.println("ReplicatorProtocolTest seed " + seed);
        InMemoryNetwork network = new InMemoryNetwork(seed).duplication(0.5).reorder(true);
        ProtocolNode a = node(network, "a", Duration.ofSeconds(5));
        ProtocolNode b = node(network, "b", Duration.ofSeconds(5));
        for (int i = 0; i < 3_000; i++) {
            a.put(CACHE, "k" + i % 40, "v" + i, ReplicationMode.ASYNC);
            if (i % 500 == 0) {
                a.flush(); // several batches, so that there is something to reorder
            }
        }
        a.flush();
        network.deliverAll();

        assertThat(b.contents(CACHE)).isEqualTo(a.contents(CACHE)).containsEntry("k39", "v2999");
    }

    @Test
    void aSynchronousWriteReturnsOnceEveryMemberAcknowledged() {
        InMemoryNetwork network = new InMemoryNetwork(2);
        ProtocolNode a = node(network, "a", Duration.ofMinutes(1));
        ProtocolNode b = node(network, "b", Duration.ofMinutes(1));
        ProtocolNode c = node(network, "c", Duration.ofMinutes(1));

        CompletableFuture<ReplicationResult> write = CompletableFuture.supplyAsync(
                () -> a.put(CACHE, "k", "v", ReplicationMode.SYNC));
        deliverUntil(network, write);

        assertThat(write.join().fullyAcknowledged()).isTrue();
        assertThat(b.get(CACHE, "k")).isEqualTo("v");
        assertThat(c.get(CACHE, "k")).isEqualTo("v");
    }

    @Test
    void aSynchronousWriteNamesTheMemberThatNeverAcknowledged() {
        InMemoryNetwork network = new InMemoryNetwork(3);
        ProtocolNode a = node(network, "a", Duration.ofMillis(300));
        node(network, "b", Duration.ofMillis(300));
        ProtocolNode c = node(network, "c", Duration.ofMillis(300));
        network.mute(c.transport()); // c receives, but its acknowledgements are lost

        CompletableFuture<ReplicationResult> write = CompletableFuture.supplyAsync(
                () -> a.put(CACHE, "k", "v", ReplicationMode.SYNC));
        deliverUntil(network, write);

        assertThat(write.join().synchronous()).isTrue();
        assertThat(write.join().unacknowledged()).containsExactly("c");
        assertThat(c.get(CACHE, "k")).isEqualTo("v");
    }

    @Test
    void aMemberThatLeavesIsNoLongerWaitedFor() {
        InMemoryNetwork network = new InMemoryNetwork(4);
        ProtocolNode a = node(network, "a", Duration.ofMinutes(5));
        node(network, "b", Duration.ofMinutes(5));
        ProtocolNode c = node(network, "c", Duration.ofMinutes(5));
        network.mute(c.transport());

        CompletableFuture<ReplicationResult> write = CompletableFuture.supplyAsync(
                () -> a.put(CACHE, "k", "v", ReplicationMode.SYNC));
        a.flush();
        network.deliverAll();
        assertThat(write).as("c has not acknowledged").isNotDone();

        network.leave(c.transport());
        a.replicator().viewChanged(a.transport().currentView()); // as the engine does on every view
        deliverUntil(network, write);
        assertThat(write.join().fullyAcknowledged()).isTrue();
    }

    private ProtocolNode node(InMemoryNetwork network, String name, Duration syncTimeout) {
        ProtocolNode node = new ProtocolNode(network, name, nodes.size() + 1, wallClock, syncTimeout);
        nodes.add(node);
        return node;
    }

    /** Delivers what the members send (from their sender threads) until the write returned. */
    private static void deliverUntil(InMemoryNetwork network, CompletableFuture<?> write) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
            network.deliverAll();
            return write.isDone();
        });
    }
}
