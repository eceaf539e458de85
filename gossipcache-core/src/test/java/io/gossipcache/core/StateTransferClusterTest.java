package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jgroups.Message;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

/** A joiner receives the full state in chunks while another member keeps writing, and loses nothing. */
class StateTransferClusterTest {

    private static final int PRELOADED = 10_000;

    private final TestCluster cluster = new TestCluster("state");

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void joinerEndsWithEveryPreloadedEntryAndEveryWriteMadeDuringTheTransfer() throws Exception {
        List<GossipCacheEngine> members = cluster.start(3);
        GossipCacheEngine a = members.get(0);
        GossipCacheEngine b = members.get(1);
        for (int i = 0; i < PRELOADED; i++) {
            a.cache("preloaded").put("key-" + i, "value-" + i);
        }
        a.cache("preloaded").put("doomed", "x");
        a.cache("preloaded").evict("doomed"); // tombstones travel too
        a.cache("cleared").put("gone", "x");
        a.cache("cleared").clear();
        await().atMost(TestCluster.WAIT).until(() -> b.cache("preloaded").size() == PRELOADED);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Random random = new Random(1);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int n = written.getAndIncrement();
                b.cache("live").put("live-" + n, "v" + n);
                b.cache("preloaded").put("key-" + random.nextInt(PRELOADED), "overwritten-" + n);
                if (n % 10 == 0) {
                    b.cache("preloaded").evict("key-" + random.nextInt(PRELOADED));
                }
            }
        }, "writer");
        writer.start();
        await().atMost(TestCluster.WAIT).until(() -> written.get() > 200);

        GossipCacheEngine d = cluster.start("node-d"); // returns after the state arrived
        await().atMost(TestCluster.WAIT).until(() -> written.get() > 2_000 + 200);
        writing.set(false);
        writer.join();
        System.out.println("writes made by node-b around the join: " + written.get());

        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            assertThat(d.cache("live").size()).isEqualTo(written.get());
            assertThat(mismatches(a, d, "preloaded", "key-", PRELOADED)).isEmpty();
            assertThat(mismatches(a, d, "live", "live-", written.get())).isEmpty();
        });
        assertThat(d.cache("preloaded").get("doomed")).isNull();
        assertThat(d.cache("preloaded").store().entry("doomed").isTombstone()).isTrue();
        assertThat(d.cache("cleared").get("gone")).isNull();
        assertThat(d.cache("cleared").store().clearVersion()).isEqualTo(a.cache("cleared").store().clearVersion());
        assertThat(d.stats().stateEntriesReceived()).isGreaterThanOrEqualTo(PRELOADED);
    }

    /**
     * A joiner runs no anti-entropy while its state arrives (found in benchmark S5: its rounds pulled the whole
     * state a second time and slowed the join down). Every big incoming message (a state chunk) is delayed on the joiner so that the
     * transfer spans many gossip intervals.
     */
    @Test
    void joinerRunsNoAntiEntropyRoundsWhileReceivingState() {
        Duration gossip = Duration.ofMillis(20);
        try (TestCluster slow = new TestCluster("state-quiet", b -> b.gossipInterval(gossip))) {
            GossipCacheEngine a = slow.start("node-a");
            for (int i = 0; i < PRELOADED; i++) {
                a.cache("preloaded").put("key-" + i, "value-" + i);
            }
            slow.clusterTweaks(c -> c.channelCustomizer(channel -> {
                try {
                    channel.getProtocolStack().insertProtocol(new MessageTap(StateTransferClusterTest::holdUpBig),
                            ProtocolStack.Position.ABOVE, TP.class);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            long t0 = System.nanoTime();
            GossipCacheEngine d = slow.start("node-d"); // returns after the state arrived
            long startMillis = (System.nanoTime() - t0) / 1_000_000;
            long roundsDuringJoin = d.antiEntropy().rounds();

            assertThat(d.cache("preloaded").size()).isEqualTo(PRELOADED);
            assumeTrue(startMillis >= 10 * gossip.toMillis(), "the transfer was too quick to tell: " + startMillis);
            // at most one round may slip in between the end of the transfer and this line
            assertThat(roundsDuringJoin).as("rounds during a %d ms join", startMillis).isLessThanOrEqualTo(1);
            await().atMost(TestCluster.WAIT).until(() -> d.antiEntropy().rounds() > 3); // and they resume after
        }
    }

    /** Holds up every incoming message over 8 KB (state chunks; join and discovery messages are small). */
    private static void holdUpBig(Message msg) {
        if (msg.getLength() > 8_000) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(40));
        }
    }

    private static List<String> mismatches(GossipCacheEngine expected, GossipCacheEngine actual, String cache,
                                           String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count && out.size() < 10; i++) {
            Object e = expected.cache(cache).get(prefix + i);
            Object a = actual.cache(cache).get(prefix + i);
            if (e == null ? a != null : !e.equals(a)) {
                out.add(prefix + i + ": expected " + e + " but was " + a);
            }
        }
        return out;
    }
}
