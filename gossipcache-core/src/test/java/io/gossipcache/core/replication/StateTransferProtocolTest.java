package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.core.cluster.InMemoryNetwork;
import io.gossipcache.core.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** State transfer on an in-memory network: what a joiner holds when its transfer completes. */
class StateTransferProtocolTest {

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
    void aJoinerReceivesEveryValueTombstoneAndClearInChunks() {
        InMemoryNetwork network = new InMemoryNetwork(1);
        ProtocolNode a = node(network, "a");
        for (int i = 0; i < 2_500; i++) { // more than one chunk holds
            a.putHere(CACHE, "k" + i, "v" + i);
        }
        Write delete = a.evictHere(CACHE, "k7");
        a.putHere("other", "x", "1");
        a.store("other").clear(new Version(a.putHere("other", "y", "2").timestamp() + 1, 1));
        ProtocolNode b = node(network, "b");

        CompletableFuture<Void> state = b.stateTransfer().requestState();
        assertThat(b.stateTransfer().receiving()).isTrue();
        int delivered = network.deliverAll();

        assertThat(state).isDone();
        assertThat(b.stateTransfer().receiving()).isFalse();
        assertThat(delivered).as("request, at least 3 chunks, done").isGreaterThanOrEqualTo(5);
        assertThat(b.contents(CACHE)).isEqualTo(a.contents(CACHE)).hasSize(2_499);
        assertThat(b.store(CACHE).entry("k7").timestamp()).as("the delete travels").isEqualTo(delete.timestamp());
        assertThat(b.store("other").clearVersion()).isEqualTo(a.store("other").clearVersion());
        assertThat(b.contents("other")).isEmpty();
    }

    @Test
    void aProviderThatLeavesBeforeItAnswersIsReplacedByTheNextMember() {
        InMemoryNetwork network = new InMemoryNetwork(2);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        for (int i = 0; i < 100; i++) {
            a.putHere(CACHE, "k" + i, "v" + i);
            b.putHere(CACHE, "k" + i, "v" + i);
        }
        ProtocolNode c = node(network, "c");
        CompletableFuture<Void> state = c.stateTransfer().requestState(); // asks a, the oldest

        network.leave(a.transport()); // before a's answer: the request is lost with it
        c.stateTransfer().viewChanged(c.transport().currentView()); // as the engine does on every view
        network.deliverAll();

        assertThat(state).isDone();
        assertThat(c.contents(CACHE)).isEqualTo(b.contents(CACHE)).hasSize(100);
    }

    @Test
    void duplicatedChunksAndEndMarkersLeaveTheSameState() {
        InMemoryNetwork network = new InMemoryNetwork(3).duplication(1.0);
        ProtocolNode a = node(network, "a");
        for (int i = 0; i < 1_500; i++) {
            a.putHere(CACHE, "k" + i % 900, "v" + i);
        }
        ProtocolNode b = node(network, "b");

        CompletableFuture<Void> state = b.stateTransfer().requestState();
        network.deliverAll();

        assertThat(state).isDone();
        assertThat(b.contents(CACHE)).isEqualTo(a.contents(CACHE)).hasSize(900);
    }

    @Test
    void anEndMarkerOfAnotherTransferDoesNotEndThisOne() {
        InMemoryNetwork network = new InMemoryNetwork(4);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        ProtocolNode c = node(network, "c");

        CompletableFuture<Void> state = c.stateTransfer().requestState(); // asks a
        assertThat(c.stateTransfer().finished(b.transport().self(), 1)).as("not the provider asked").isFalse();
        assertThat(state).isNotDone();
        network.deliverAll();
        assertThat(state).isDone();
    }

    @Test
    void aMemberAloneHasNoOneToAsk() {
        ProtocolNode alone = node(new InMemoryNetwork(5), "alone");
        assertThat(alone.stateTransfer().requestState()).isDone();
        assertThat(alone.stateTransfer().receiving()).isFalse();
    }

    private ProtocolNode node(InMemoryNetwork network, String name) {
        ProtocolNode node = new ProtocolNode(network, name, nodes.size() + 1, wallClock);
        nodes.add(node);
        return node;
    }
}
