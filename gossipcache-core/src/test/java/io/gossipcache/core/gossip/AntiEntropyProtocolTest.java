package io.gossipcache.core.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.core.cluster.InMemoryNetwork;
import io.gossipcache.core.replication.ProtocolNode;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anti-entropy alone, on an in-memory network: no replication, every difference is one anti-entropy must repair.
 * The invariant is what a user sees: after the rounds, every member serves the newest write of every key, or
 * nothing when that write is a delete.
 */
class AntiEntropyProtocolTest {

    private static final String CACHE = "c";
    private final AtomicLong wallClock = new AtomicLong(1_767_225_600_000L);
    private final List<ProtocolNode> nodes = new ArrayList<>();
    /** Every write made, to compute what each key must end as. */
    private final List<Write> writes = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (ProtocolNode node : nodes) {
            node.close();
        }
    }

    @Test
    void membersThatMissedEachOthersWritesConvergeThroughTheirRounds() {
        InMemoryNetwork network = new InMemoryNetwork(1);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        ProtocolNode c = node(network, "c");
        for (int i = 0; i < 300; i++) {
            writes.add(a.putHere(CACHE, "k" + i, "a" + i));
        }
        for (int i = 0; i < 300; i += 3) {
            writes.add(b.putHere(CACHE, "k" + i, "b" + i)); // newer than a's
        }
        for (int i = 1; i < 300; i += 5) {
            writes.add(c.evictHere(CACHE, "k" + i)); // newer deletes
        }
        settle();

        a.antiEntropy().round(); // 3 members, fanout 2: a talks to both, and each exchange goes both ways
        network.deliverAll();
        assertThat(a.contents(CACHE)).as("a after its round").isEqualTo(expected());
        assertThat(b.get(CACHE, "k2")).as("b has what only a had").isEqualTo("a2");
        assertThat(b.get(CACHE, "k1")).as("but not yet c's delete, which a brought in").isEqualTo("a1");

        b.antiEntropy().round();
        c.antiEntropy().round();
        network.deliverAll();
        assertEveryMemberServesTheNewestWrites();
        assertThat(a.antiEntropy().rounds()).isEqualTo(1);
        assertThat(nodes.stream().mapToLong(n -> n.antiEntropy().repairs()).sum()).isPositive();
    }

    @Test
    void anOlderValueNeverBringsBackADelete() {
        InMemoryNetwork network = new InMemoryNetwork(2);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        writes.add(a.putHere(CACHE, "gone", "old"));
        Write delete = b.evictHere(CACHE, "gone");
        writes.add(delete);
        writes.add(b.putHere(CACHE, "kept", "v"));
        settle();

        a.antiEntropy().round();
        b.antiEntropy().round();
        network.deliverAll();

        assertEveryMemberServesTheNewestWrites();
        assertThat(a.get(CACHE, "gone")).isNull();
        assertThat(a.store(CACHE).entry("gone").timestamp()).isEqualTo(delete.timestamp());
    }

    @Test
    void writesYoungerThanTheSettleTimeAreLeftToReplication() {
        InMemoryNetwork network = new InMemoryNetwork(3);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        writes.add(a.putHere(CACHE, "fresh", "v"));

        a.antiEntropy().round();
        b.antiEntropy().round();
        network.deliverAll();
        assertThat(b.get(CACHE, "fresh")).as("still young: replication's job").isNull();

        settle();
        a.antiEntropy().round();
        network.deliverAll();
        assertEveryMemberServesTheNewestWrites();
    }

    @Test
    void aMemberNoOneCanReachIsReconciledWhenItIsBack() {
        InMemoryNetwork network = new InMemoryNetwork(4);
        ProtocolNode a = node(network, "a");
        ProtocolNode b = node(network, "b");
        ProtocolNode c = node(network, "c");
        network.partition(List.of(a.transport(), b.transport()), List.of(c.transport()));
        writes.add(a.putHere(CACHE, "k", "from-a"));
        writes.add(c.putHere(CACHE, "k", "from-c")); // newer
        writes.add(c.putHere(CACHE, "only-c", "x"));
        settle();
        for (ProtocolNode node : nodes) {
            node.antiEntropy().round();
        }
        network.deliverAll();
        assertThat(a.get(CACHE, "k")).as("apart: nothing crosses").isEqualTo("from-a");

        network.heal();
        a.antiEntropy().reconcileWith(List.of(c.transport().self()));
        network.deliverAll();
        assertThat(a.get(CACHE, "k")).isEqualTo("from-c");
        b.antiEntropy().round();
        network.deliverAll();
        assertEveryMemberServesTheNewestWrites();
    }

    /**
     * Whatever the network loses, duplicates or reorders, rounds repeat until every member agrees: each seed is a
     * different fault pattern (printed, so that a failure can be replayed).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void convergesDespiteLossDuplicationAndReordering(long seed) {
        System.out.println("AntiEntropyProtocolTest seed " + seed);
        InMemoryNetwork network = new InMemoryNetwork(seed).loss(0.3).duplication(0.2).reorder(true);
        Random random = new Random(seed);
        for (int n = 0; n < 4; n++) {
            node(network, "m" + n);
        }
        for (int i = 0; i < 400; i++) {
            ProtocolNode writer = nodes.get(random.nextInt(nodes.size()));
            String key = "k" + random.nextInt(120);
            writes.add(random.nextInt(4) == 0 ? writer.evictHere(CACHE, key)
                    : writer.putHere(CACHE, key, writer.transport().name() + "-" + i));
        }
        settle();
        int rounds = 0;
        while (!converged() && rounds < 60) {
            nodes.get(rounds % nodes.size()).antiEntropy().round();
            network.deliverAll();
            rounds++;
        }
        assertThat(network.dropped()).as("the network lost messages").isPositive();
        assertEveryMemberServesTheNewestWrites();
    }

    private ProtocolNode node(InMemoryNetwork network, String name) {
        ProtocolNode node = new ProtocolNode(network, name, nodes.size() + 1, wallClock);
        nodes.add(node);
        return node;
    }

    /** Moves the clock past the settle time, so that every write so far is compared. */
    private void settle() {
        wallClock.addAndGet(3 * ProtocolNode.GOSSIP_INTERVAL.toMillis());
    }

    private Map<String, String> expected() {
        Map<String, Write> newest = new HashMap<>();
        for (Write w : writes) {
            String key = new String(w.key(), StandardCharsets.UTF_8);
            Write current = newest.get(key);
            if (current == null || Version.compare(w.timestamp(), w.node(), current.timestamp(), current.node()) > 0) {
                newest.put(key, w);
            }
        }
        Map<String, String> live = new TreeMap<>();
        newest.forEach((key, w) -> {
            if (w.kind() == Write.Kind.PUT) {
                live.put(key, new String(w.value(), StandardCharsets.UTF_8));
            }
        });
        return live;
    }

    private boolean converged() {
        Map<String, String> expected = expected();
        return nodes.stream().allMatch(n -> n.contents(CACHE).equals(expected));
    }

    private void assertEveryMemberServesTheNewestWrites() {
        Map<String, String> expected = expected();
        for (ProtocolNode node : nodes) {
            assertThat(node.contents(CACHE)).as(node.transport().name()).isEqualTo(expected);
        }
    }
}
