package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterTls;
import io.gossipcache.core.cluster.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crashed member leaves the others' view within the failure-detection timeout + 2 s; a member that leaves
 * gracefully is gone at once. The crash is real: a member in its own JVM killed with SIGKILL.
 */
class FailureDetectionTest {

    /** TestCluster's failure-detection timeout. */
    private static final Duration FD_TIMEOUT = Duration.ofSeconds(5);

    private final TestCluster cluster = new TestCluster("failure");

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void killedMemberLeavesTheViewWithinFailureDetectionTimeoutPlusTwoSeconds() throws Exception {
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        try (ForkedMember c = ForkedMember.start(cluster, "node-c")) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);
            c.send("put books k1 from-c");
            await().atMost(TestCluster.WAIT).until(() -> "from-c".equals(a.cache("books").get("k1")));

            long killedAt = System.nanoTime();
            c.kill9();
            await().atMost(FD_TIMEOUT.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !a.view().contains("node-c") && !b.view().contains("node-c"));
            long detectedMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("kill -9 detected after " + detectedMs + " ms");

            // the survivors keep working together
            a.cache("books").put("k2", "after-crash");
            await().atMost(TestCluster.WAIT).until(() -> "after-crash".equals(b.cache("books").get("k2")));
            assertThat(b.cache("books").get("k1")).isEqualTo("from-c");
        }
    }

    /**
     * A member that hangs (SIGSTOP) while another writes flat out: its socket buffers fill. The writer must still
     * reach the healthy member, and the view must drop the hung one. Before the transport was fixed, the writer's
     * single bundler thread blocked on the hung member's socket (the healthy member then suspected the writer),
     * and the view change that dropped the hung member waited forever on its connection's graceful close.
     */
    @Test
    void aHungMemberUnderWriteLoadIsDroppedWhileTheOthersKeepReplicating() throws Exception {
        hungMemberUnderWriteLoad(null);
    }

    /**
     * The same over TLS, where closing a connection also sends an alert: the hung member's connection must still
     * be closed without waiting for the write that is blocked on it. Once it has left the view, discovery keeps
     * connecting to its port, whose kernel still accepts: that TLS handshake must not hold up a's sends (it did,
     * in 10 of 23 runs, until connects moved off the sending thread and the handshake got a timeout).
     */
    @Test
    void aHungMemberUnderWriteLoadIsDroppedAlsoOverTls(@TempDir Path certificates) throws Exception {
        Path keyStore = TestCertificates.createKeyStore(certificates.resolve("cluster.p12"), "gossipcache");
        SSLContext tls = TestCertificates.sslContext(keyStore);
        cluster.clusterTweaks(config -> config.tls(ClusterTls.of(tls)));
        hungMemberUnderWriteLoad(keyStore);
    }

    private void hungMemberUnderWriteLoad(Path keyStore) throws Exception {
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        try (ForkedMember c = ForkedMember.start(cluster, "node-c", keyStore)) {
            await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);
            c.freeze();
            int writes = 200_000; // ~25 MB on the wire: many times what the hung member's sockets can buffer
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] value = new byte[100];
                for (int i = 0; i < writes; i++) {
                    a.cache("bulk").put("k" + i, value);
                }
            });
            await().atMost(FD_TIMEOUT.plusSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !a.view().contains("node-c") && !b.view().contains("node-c"));
            writer.get(30, TimeUnit.SECONDS);
            await().atMost(TestCluster.WAIT).until(() -> b.cache("bulk").get("k" + (writes - 1)) != null);
            assertThat(a.view().members()).extracting(ClusterMember::name).containsExactly("node-a", "node-b");
            assertThat(b.view().members()).extracting(ClusterMember::name).containsExactly("node-a", "node-b");
            assertThat(b.cache("bulk").store().size()).isEqualTo((long) writes);
        }
    }

    @Test
    void gracefulLeaveIsSeenAtOnce() {
        GossipCacheEngine a = cluster.start("node-a");
        GossipCacheEngine b = cluster.start("node-b");
        GossipCacheEngine c = cluster.start("node-c");
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 3 && b.view().size() == 3);

        List<String> suspected = new CopyOnWriteArrayList<>();
        ClusterListener suspicions = new ClusterListener() {
            @Override
            public void memberSuspected(ClusterMember member) {
                suspected.add(member.name());
            }
        };
        a.addClusterListener(suspicions);
        b.addClusterListener(suspicions);

        c.close();
        // "at once": well below any failure-detection timeout
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !a.view().contains("node-c") && !b.view().contains("node-c"));
        assertThat(a.view().size()).isEqualTo(2);
        // and it is a leave, not a failure: closing its sockets afterwards must not read as a crash
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(suspected::isEmpty);
    }
}
