package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.ClusterTls;
import io.gossipcache.core.cluster.RawChannels;
import io.gossipcache.core.cluster.TestCertificates;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.replication.TestMessages;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.HybridClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.Receiver;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster secured with member TLS, attacked by a foreign process playing a member: a raw JGroups channel of
 * the same cluster name on the same ports, without a certificate or with one the members do not trust. It
 * must not get into the view, see any cache traffic, or change any cache. A channel holding the cluster's
 * certificate does all three: that control shows the attacks would be noticed if they worked.
 */
class ClusterSecurityTest {

    private static final String SECRET = "card-4111-1111-1111-1111";
    private static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    static Path certs;
    private static SSLContext memberTls;
    private static SSLContext rogueTls;

    private TestCluster cluster;
    private GossipCacheEngine a;
    private GossipCacheEngine b;
    private JChannel raw;
    private final Queue<byte[]> seenByRaw = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void keyStores() throws Exception {
        memberTls = TestCertificates.sslContext(TestCertificates.createKeyStore(certs.resolve("cluster.p12"), "gossipcache"));
        rogueTls = TestCertificates.sslContext(TestCertificates.createKeyStore(certs.resolve("rogue.p12"), "gossipcache"));
    }

    @BeforeEach
    void securedCluster() {
        cluster = new TestCluster("secured").clusterTweaks(c -> c.tls(ClusterTls.of(memberTls)));
        a = cluster.start("node-a");
        b = cluster.start("node-b");
        await().atMost(TestCluster.WAIT).until(() -> a.view().size() == 2 && b.view().size() == 2);
        a.cache("orders").put("before", SECRET);
        await().atMost(TestCluster.WAIT).until(() -> SECRET.equals(b.cache("orders").get("before")));
    }

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        cluster.close();
    }

    @Test
    void aChannelWithoutACertificateCannotJoinReadOrInject() throws Exception {
        attackWith(null);
        assertNothingGotThrough();
    }

    @Test
    void aChannelWithACertificateTheMembersDoNotTrustCannotJoinReadOrInject() throws Exception {
        attackWith(ClusterTls.of(rogueTls));
        assertNothingGotThrough();
    }

    @Test
    void controlAChannelWithTheClusterCertificateJoinsReadsAndInjects() throws Exception {
        attackWith(ClusterTls.of(memberTls));

        await().atMost(TestCluster.WAIT).until(() -> raw.getView().size() == 3 && a.view().size() == 3);
        a.cache("orders").put("during", SECRET);
        await().atMost(TestCluster.WAIT).until(() -> seenByRaw.stream().anyMatch(ClusterSecurityTest::carriesSecret));
        inject();
        await().atMost(TestCluster.WAIT).until(() -> "injected".equals(a.cache("orders").get("injected-key"))
                && "injected".equals(b.cache("orders").get("injected-key")));
    }

    /** Starts the foreign channel on the cluster's ports, lets the members write, and tries to write to them. */
    private void attackWith(ClusterTls tls) throws Exception {
        ClusterConfig config = ClusterConfig.builder()
                .clusterName(cluster.name)
                .nodeName("rogue")
                .bindPort(cluster.basePort)
                .portRange(9)
                .tls(tls)
                .build();
        raw = RawChannels.create(config);
        raw.setDiscardOwnMessages(true);
        raw.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                seenByRaw.add(msg.getArray() == null ? new byte[0]
                        : Arrays.copyOfRange(msg.getArray(), msg.getOffset(), msg.getOffset() + msg.getLength()));
            }
        });
        raw.connect(cluster.name);
        a.cache("orders").put("during", SECRET);
        b.cache("orders").put("during-b", SECRET);
        inject();
    }

    /** A replicated put as a member would send it: to the whole view, and straight to each member's port. */
    private void inject() throws Exception {
        DefaultCodec codec = new DefaultCodec();
        long timestamp = HybridClock.fromMillis(System.currentTimeMillis() + 60_000); // newer than anything
        byte[] writes = WireFormat.encode(TestMessages.of(WireFormat.Type.WRITES, 0, List.of(Write.put("orders",
                codec.encode("injected-key"), codec.encode("injected"), timestamp, 42, 0))), System.currentTimeMillis());
        raw.send(new BytesMessage(null, writes));
        for (int i = 0; i <= 9; i++) {
            // an address of our own invention mapped to each port of the range: unicasts go out on that socket
            ExtendedUUID target = ExtendedUUID.randomUUID("member-" + i);
            PhysicalAddress port = new IpAddress("127.0.0.1", cluster.basePort + i);
            raw.down(new Event(Event.ADD_PHYSICAL_ADDRESS, new Tuple<>(target, port)));
            raw.send(new BytesMessage(target, writes));
        }
    }

    private void assertNothingGotThrough() {
        // Nothing must happen: watch for a while (polling, so that a breach fails at once).
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> {
            assertThat(raw.getView().size()).as("foreign channel's view").isEqualTo(1);
            assertThat(a.view().size()).as("members' view").isEqualTo(2);
            assertThat(b.view().size()).as("members' view").isEqualTo(2);
            assertThat(seenByRaw).as("messages the foreign channel received").isEmpty();
            assertThat(a.cache("orders").get("injected-key")).isNull();
            assertThat(b.cache("orders").get("injected-key")).isNull();
        });
        // and the members still replicate to each other
        a.cache("orders").put("after", "ok");
        await().atMost(TestCluster.WAIT).until(() -> "ok".equals(b.cache("orders").get("after")));
        assertThat(a.stats().messagesMalformed() + b.stats().messagesMalformed()).isZero();
    }

    private static boolean carriesSecret(byte[] payload) {
        return new String(payload, StandardCharsets.ISO_8859_1).contains(SECRET);
    }
}
