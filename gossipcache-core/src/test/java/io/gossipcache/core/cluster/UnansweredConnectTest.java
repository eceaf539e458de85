package io.gossipcache.core.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import org.jgroups.JChannel;
import org.jgroups.ViewId;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port in the discovery range that accepts connections and never answers, as a frozen member's does (its kernel
 * still completes the TCP connect). With TLS, JGroups waits for the handshake on the thread that connects, which
 * was the bundler, the one thread that sends everything: every merge round probed the port, the member went
 * silent, and the healthy members suspected each other. Now connects run on connector threads and the handshake
 * is bounded, so the port keeps being probed while the members keep hearing each other.
 */
class UnansweredConnectTest {

    /** Longer than the failure-detection timeout: a handshake stall on the sending thread gets a member suspected. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    @Test
    void aPortThatNeverAnswersTheTlsHandshakeHoldsUpNoMember(@TempDir Path certificates) throws Exception {
        SSLContext tls = TestCertificates.sslContext(
                TestCertificates.createKeyStore(certificates.resolve("cluster.p12"), "gossipcache"));
        int port = 25200 + ThreadLocalRandom.current().nextInt(100) * 5; // 25200-25699: no other test uses it
        String name = "unanswered-" + ProcessHandle.current().pid();
        List<String> received = new CopyOnWriteArrayList<>();
        try (MutePort mute = new MutePort(port);
             Cluster a = new Cluster(config(name, port, tls).nodeName("a")
                     .channelCustomizer(UnansweredConnectTest::boundHandshakes).build(),
                     (source, buffer, offset, length) -> { });
             Cluster b = new Cluster(config(name, port, tls).nodeName("b")
                     .channelCustomizer(UnansweredConnectTest::boundHandshakes).build(),
                     (source, buffer, offset, length) -> received.add(new String(buffer, offset, length, UTF_8)))) {
            a.connect();
            b.connect();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.view().size() == 2 && b.view().size() == 2);
            ViewId view = a.currentView().getViewId();

            // three probes per member, each given up only after the bounded handshake: ~10 s of probing
            await().atMost(Duration.ofSeconds(60)).until(() -> mute.accepted() >= 6);

            assertThat(a.currentView().getViewId()).as("a's view since the probing began").isEqualTo(view);
            assertThat(b.currentView().getViewId()).as("b's view since the probing began").isEqualTo(view);
            a.send(b.self(), "still heard".getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("still heard"));
        }
    }

    private static ClusterConfig.Builder config(String cluster, int port, SSLContext tls) {
        return ClusterConfig.builder().clusterName(cluster).bindAddress("127.0.0.1").bindPort(port).portRange(4)
                .tls(ClusterTls.of(tls))
                .failureDetectionInterval(Duration.ofMillis(500)).failureDetectionTimeout(Duration.ofSeconds(3))
                .mergeInterval(Duration.ofSeconds(1));
    }

    /** The handshake bound is the transport's peer-address read timeout. */
    private static void boundHandshakes(JChannel channel) {
        ((TCP) channel.getProtocolStack().getTransport()).setPeerAddrReadTimeout(HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** Accepts connections and never reads or writes: a TLS client waits for a server hello that never comes. */
    private static final class MutePort implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        MutePort(int port) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            acceptor = new Thread(this::acceptAll, "mute-port-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int accepted() {
            return accepted.size();
        }

        private void acceptAll() {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join(5_000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
