package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A crashed member is confirmed as soon as its port refuses connections; a live member is never confirmed that way:
 * one paused (a GC pause, a SIGSTOP) for less than the failure-detection timeout under write load is not even
 * suspected, and one frozen for longer is suspected but excluded only after the full verification. The paused and
 * crashed members are real processes ({@link ForkedMember}).
 */
class SuspicionTest {

    private final TestCluster cluster = new TestCluster("suspicion");

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aKilledMemberIsConfirmedByItsRefusingPortNotByTheVerifyTimeout() throws Exception {
        Duration verify = Duration.ofSeconds(30); // were the refusal not seen, the member would stay this long
        cluster.clusterTweaks(b -> b.verifySuspectTimeout(verify));
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        try (ForkedMember c = ForkedMember.start(cluster, "node-c")) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);
            long killedAt = System.nanoTime();
            c.kill9();
            await().atMost(verify.dividedBy(3)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !a.view().contains("node-c") && !b.view().contains("node-c"));
            System.out.println("[suspicion] kill -9 left the view after " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
        }
    }

    @Test
    void pausesShorterThanTheTimeoutUnderWriteLoadRaiseNoSuspicion() throws Exception {
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        List<String> suspected = new CopyOnWriteArrayList<>();
        AtomicInteger viewChanges = new AtomicInteger();
        for (GossipCacheEngine engine : List.of(a, b)) {
            engine.addClusterListener(new ClusterListener() {
                @Override
                public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                        List<ClusterMember> left) {
                    viewChanges.incrementAndGet();
                }

                @Override
                public void memberSuspected(ClusterMember member) {
                    suspected.add(member.name());
                }
            });
        }
        try (ForkedMember c = ForkedMember.start(cluster, "node-c")) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);
            viewChanges.set(0);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                byte[] value = new byte[200];
                while (writing.get()) {
                    a.cache("load").put("k" + written.get() % 5_000, value);
                    written.incrementAndGet();
                }
            });
            // a GC-like pause, then one of 3 s, below TestCluster's 5 s failure-detection timeout
            for (Duration pause : List.of(Duration.ofSeconds(1), Duration.ofSeconds(3))) {
                c.freeze();
                LockSupport.parkNanos(pause.toNanos()); // the pause itself is what is tested, not a wait for a result
                c.signal("CONT");
                c.send("put probe after-" + pause.toMillis() + " ok");
                await().atMost(TestCluster.WAIT).until(() -> ("ok").equals(a.cache("probe").get("after-" + pause.toMillis())));
            }
            writing.set(false);
            load.get(30, TimeUnit.SECONDS);

            assertThat(written.get()).isPositive();
            assertThat(suspected).isEmpty();
            assertThat(viewChanges.get()).isZero();
            assertThat(a.view().size()).isEqualTo(3);
        }
    }

    /**
     * FD_ALL3 suspects the frozen member between timeout - interval and timeout + interval after it froze; the
     * verification then takes its full time. Had the probe taken the frozen member's accepting kernel for a crash, it
     * would have left about a verify timeout earlier.
     */
    @Test
    void aFrozenMemberIsExcludedOnlyAfterTheFullVerification() throws Exception {
        Duration interval = Duration.ofMillis(500);
        Duration timeout = Duration.ofSeconds(2);
        Duration verify = Duration.ofSeconds(3);
        cluster.clusterTweaks(b -> b.failureDetectionInterval(interval).failureDetectionTimeout(timeout)
                .verifySuspectTimeout(verify));
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        try (ForkedMember c = ForkedMember.start(cluster, "node-c")) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);
            c.freeze(); // its kernel still accepts connections
            long frozenAt = System.nanoTime();
            await().atMost(TestCluster.WAIT).pollInterval(Duration.ofMillis(10)).until(() -> !a.view().contains("node-c"));
            long excludedMs = (System.nanoTime() - frozenAt) / 1_000_000;
            c.signal("CONT");

            System.out.println("[suspicion] a frozen member left the view after " + excludedMs + " ms");
            assertThat(excludedMs).isGreaterThanOrEqualTo(timeout.minus(interval).plus(verify).toMillis() - 100);
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3); // it merges back once thawed
        }
    }
}
