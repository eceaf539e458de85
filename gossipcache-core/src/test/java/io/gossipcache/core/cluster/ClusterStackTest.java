package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jgroups.JChannel;
import org.jgroups.Version;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

/** The JGroups stack stays on the configured address: the network rule, checked on real sockets. */
class ClusterStackTest {

    private static final MessageHandler IGNORE = (source, buffer, offset, length) -> { };

    private static ClusterConfig.Builder config(String cluster, int port) {
        return ClusterConfig.builder().clusterName(cluster).bindAddress("127.0.0.1").bindPort(port).portRange(4)
                .failureDetectionInterval(Duration.ofSeconds(1)).failureDetectionTimeout(Duration.ofSeconds(5));
    }

    /**
     * Five free ports (and FD_SOCK2's, 100 above) below Linux's ephemeral range: a random port in it (this test used
     * 30000-39999) may be taken at any moment by an outgoing connection, which failed a CI run with "Address already
     * in use".
     */
    private static int basePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 25700 + ThreadLocalRandom.current().nextInt(60) * 5; // UnansweredConnectTest has 25200-25699
            if (free(base) && free(base + 100)) {
                return base;
            }
        }
        throw new IllegalStateException("no 5 free ports in 25700-25999");
    }

    private static boolean free(int from) {
        for (int port = from; port < from + 5; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                socket.setReuseAddress(true);
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return true;
    }

    @Test
    void builtInStackBindsOnlyTheConfiguredAddressWithDiagnosticsOff() throws Exception {
        try (JChannel channel = JGroupsStack.create(config("stack", basePort()).build())) {
            TP transport = channel.getProtocolStack().getTransport();
            assertThat(transport.getDiagnosticsHandler().isEnabled()).isFalse();
            assertThat(transport.getBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            // plain TCP on the wire (every initialized transport carries TP's id), sends queued per connection
            assertThat(transport).isInstanceOf(HungPeerSafeTcp.class);
            assertThat(transport.getId()).isEqualTo(ClassConfigurator.getProtocolId(TP.class)).isNotZero();
            assertThat(((TCP) transport).nonBlockingSends()).isTrue();
            assertThat(((TCP) transport).logDetails()).as("a stack trace per closed connection").isFalse();
            FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
            assertThat(fdSock.getBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void verifySuspectIsPromptAndSpeaksPlainVerifySuspect2() throws Exception {
        try (JChannel channel = JGroupsStack.create(config("verify", basePort())
                .verifySuspectTimeout(Duration.ofMillis(700)).build())) {
            VERIFY_SUSPECT2 verify = channel.getProtocolStack().findProtocol(VERIFY_SUSPECT2.class);
            assertThat(verify).isInstanceOf(PromptVerifySuspect.class);
            assertThat(verify.getTimeout()).isEqualTo(700);
            // same protocol id as VERIFY_SUSPECT2: its headers are understood by members with the plain protocol
            assertThat(verify.getId()).isEqualTo(ClassConfigurator.getProtocolId(VERIFY_SUSPECT2.class)).isNotZero();
        }
    }

    /** Worst case from a heal to a merge: an INFO round (max interval), then the next consistency check. */
    @Test
    void aHealedSplitIsMergedWithinTheMergeInterval() throws Exception {
        try (JChannel channel = JGroupsStack.create(config("merge", basePort())
                .mergeInterval(Duration.ofSeconds(5)).build())) {
            MERGE3 merge = channel.getProtocolStack().findProtocol(MERGE3.class);
            assertThat(merge.getMinInterval()).isPositive().isLessThan(merge.getMaxInterval());
            assertThat(merge.getCheckInterval()).isGreaterThan(merge.getMaxInterval()); // MERGE3 resets it otherwise
            assertThat(merge.getMaxInterval() + merge.getCheckInterval()).isLessThanOrEqualTo(5_000);
            GMS gms = channel.getProtocolStack().findProtocol(GMS.class);
            assertThat(gms.getMergeTimeout()).isEqualTo(5_000);
        }
        assertThat(JGroupsStack.mergeTimeout(2_000)).isEqualTo(2_000);
        assertThat(JGroupsStack.mergeTimeout(100)).isEqualTo(1_000);
        assertThat(JGroupsStack.mergeTimeout(60_000)).isEqualTo(5_000);
    }

    @Test
    void ownJGroupsXmlIsUsedAndStillKeptOffTheNetwork() throws Exception {
        ClusterConfig cfg = config("xml", 0).jgroupsConfig("test-tcp.xml").build();
        try (JChannel channel = JGroupsStack.create(cfg)) {
            TP transport = channel.getProtocolStack().getTransport();
            assertThat(transport.getDiagnosticsHandler().isEnabled()).isFalse();
            assertThat(transport.getBindPort()).isEqualTo(31990); // from the XML, not from the config
            FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
            assertThat(fdSock.getBindAddress()).isEqualTo(transport.getBindAddress());
        }
    }

    @Test
    void everySocketOfAClusterIsOnLoopbackAndNoneIsUdp() throws Exception {
        int port = basePort();
        String name = "sockets-" + ProcessHandle.current().pid();
        try (Cluster a = new Cluster(config(name, port).nodeName("a").build(), IGNORE);
             Cluster b = new Cluster(config(name, port).nodeName("b").build(), IGNORE)) {
            a.connect();
            b.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.view().size() == 2 && b.view().size() == 2);
            a.send(null, new byte[] {1});

            List<OpenSockets.Socket> sockets = OpenSockets.ofThisProcess();
            assertThat(sockets).as("cluster sockets").isNotEmpty();
            assertThat(sockets).noneMatch(s -> s.protocol().startsWith("udp"));
            assertThat(sockets).filteredOn(OpenSockets.Socket::listening)
                    .extracting(OpenSockets.Socket::localAddress)
                    .containsOnly("127.0.0.1");
            assertThat(sockets).extracting(OpenSockets.Socket::localAddress).containsOnly("127.0.0.1");
        }
    }

    /**
     * The engine reads a received message's bytes later, on its inbound thread, without copying them
     * ({@link MessageHandler}): they must be the message's own and never change after delivery, for small messages,
     * batched ones and ones FRAG4 reassembles, multicast and unicast.
     */
    @Test
    void receivedBytesAreTheMessagesOwnAndNeverChangeAfterDelivery() throws Exception {
        record Delivered(byte[] buffer, int offset, int length, byte[] copy) {
        }
        int port = basePort();
        String name = "bytes-" + ProcessHandle.current().pid();
        int messages = 300;
        List<Delivered> received = Collections.synchronizedList(new ArrayList<>());
        MessageHandler keep = (source, buffer, offset, length) -> received.add(
                new Delivered(buffer, offset, length, Arrays.copyOfRange(buffer, offset, offset + length)));
        List<Integer> sentLengths = new ArrayList<>();
        try (Cluster a = new Cluster(config(name, port).nodeName("a").build(), IGNORE);
             Cluster b = new Cluster(config(name, port).nodeName("b").build(), keep)) {
            a.connect();
            b.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.view().size() == 2 && b.view().size() == 2);
            Random random = new Random(11);
            for (int i = 0; i < messages; i++) {
                // mostly small (bundled into batches), some larger than FRAG4's 60 KB fragments
                int length = random.nextInt(10) == 0 ? 60_000 + random.nextInt(80_000) : 1 + random.nextInt(300);
                byte[] payload = new byte[length];
                Arrays.fill(payload, (byte) i);
                a.send(i % 2 == 0 ? null : b.self(), payload);
                sentLengths.add(length);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == messages);
        }
        List<Integer> receivedLengths = new ArrayList<>();
        for (Delivered d : received) {
            assertThat(Arrays.copyOfRange(d.buffer(), d.offset(), d.offset() + d.length())).isEqualTo(d.copy());
            byte first = d.copy()[0];
            for (byte x : d.copy()) {
                assertThat(x).isEqualTo(first);
            }
            receivedLengths.add(d.length());
        }
        assertThat(receivedLengths).containsExactlyInAnyOrderElementsOf(sentLengths);
    }

    @Test
    void withoutSeedsDiscoveryProbesEveryPortOfTheRange() throws Exception {
        try (JChannel channel = JGroupsStack.create(config("probe", 31000).build())) {
            TCPPING discovery = channel.getProtocolStack().findProtocol(TCPPING.class);
            assertThat(discovery.getInitialHosts()).extracting(a -> ((IpAddress) a).getPort())
                    .containsExactly(31000, 31001, 31002, 31003, 31004);
            assertThat(discovery.getPortRange()).isZero();
        }
    }

    /**
     * The member on the first port of the range is gone and the two members that start now know nothing of
     * each other: they must still find each other on the other ports of the range. (TCPPING probed only the
     * first port: they stayed two clusters of one.)
     */
    @Test
    void membersFindEachOtherWhenTheFirstPortOfTheRangeIsNotAMember() throws Exception {
        int port = basePort();
        String name = "range-" + ProcessHandle.current().pid();
        // holds the first port, like a process that is not a member (or a member that died, its port reused)
        try (ServerSocket firstPort = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
             Cluster b = new Cluster(config(name, port).nodeName("b").build(), IGNORE);
             Cluster c = new Cluster(config(name, port).nodeName("c").build(), IGNORE)) {
            b.connect();
            c.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> b.view().size() == 2 && c.view().size() == 2);
            assertThat(c.view().members()).extracting(ClusterMember::address)
                    .containsExactly("127.0.0.1:" + (port + 1), "127.0.0.1:" + (port + 2));
        }
    }

    /**
     * A view change makes the transport drop the connections of non-members, a joiner's that is still discovering
     * among them: those keep JGroups' graceful close (a close marker, then the end of the stream). Only members
     * leaving the view are cut without it (HungPeerSafeTcp); cutting every non-member that way changed
     * JGroups' behaviour towards joiners. The non-member here is a raw socket that introduces itself the way a
     * JGroups peer does.
     */
    @Test
    void aNonMembersConnectionDroppedAtAViewChangeIsClosedGracefully() throws Exception {
        int port = basePort();
        String name = "graceful-" + ProcessHandle.current().pid();
        AtomicReference<JChannel> aChannel = new AtomicReference<>();
        try (Cluster a = new Cluster(config(name, port).nodeName("a").channelCustomizer(aChannel::set).build(), IGNORE);
             Cluster b = new Cluster(config(name, port).nodeName("b").build(), IGNORE);
             Socket joiner = new Socket()) {
            a.connect();
            b.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.view().size() == 2 && b.view().size() == 2);
            joiner.bind(new InetSocketAddress("127.0.0.1", 0));
            joiner.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            joiner.setSoTimeout(20_000);
            IpAddress joinerAddress = new IpAddress("127.0.0.1", joiner.getLocalPort());
            DataOutputStream out = new DataOutputStream(joiner.getOutputStream());
            out.write(Connection.cookie);
            out.writeShort(Version.version);
            out.writeShort(joinerAddress.serializedSize());
            joinerAddress.writeTo(out);
            out.flush();
            TCP transport = (TCP) aChannel.get().getProtocolStack().getTransport();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> transport.printConnections().contains(joinerAddress.toString()));

            b.close(); // a's view changes, and a drops the joiner's connection
            DataInputStream in = new DataInputStream(joiner.getInputStream());
            assertThat(in.readInt()).as("close marker").isEqualTo(Connection.GRACEFUL_CLOSE);
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void membershipShowsNamesAddressesCoordinatorAndSelf() throws Exception {
        int port = basePort();
        String name = "members-" + ProcessHandle.current().pid();
        try (Cluster a = new Cluster(config(name, port).nodeName("alpha").build(), IGNORE);
             Cluster b = new Cluster(config(name, port).nodeName("beta").build(), IGNORE)) {
            a.connect();
            b.connect();
            await().atMost(Duration.ofSeconds(20)).until(() -> b.view().size() == 2
                    && b.view().members().stream().noneMatch(m -> m.address().isEmpty()));
            ClusterView view = b.view();
            assertThat(view.coordinator().name()).isEqualTo("alpha");
            assertThat(view.self().name()).isEqualTo("beta");
            assertThat(view.members()).extracting(ClusterMember::name).containsExactly("alpha", "beta");
            assertThat(view.members()).extracting(ClusterMember::self).containsExactly(false, true);
            assertThat(view.members()).extracting(ClusterMember::address)
                    .containsExactly("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
        }
    }

    @Test
    void invalidConfigurationFailsNamingTheProblem() {
        assertThatThrownBy(() -> ClusterConfig.builder().seeds(List.of("127.0.0.1[7800]", "nonsense")).build())
                .hasMessageContaining("'nonsense'");
        assertThatThrownBy(() -> ClusterConfig.builder().seeds(List.of("host:99999")).build())
                .hasMessageContaining("host:99999");
        assertThatThrownBy(() -> ClusterConfig.builder().failureDetectionTimeout(Duration.ofSeconds(1))
                .failureDetectionInterval(Duration.ofSeconds(2)).build())
                .hasMessageContaining("gossipcache.failure-detection.timeout (PT1S) must exceed");
        assertThatThrownBy(() -> ClusterConfig.builder().portRange(-1).build())
                .hasMessageContaining("gossipcache.cluster.port-range");
        assertThatThrownBy(() -> ClusterConfig.builder().joinTimeout(Duration.ZERO).build())
                .hasMessageContaining("gossipcache.cluster.join-timeout");
    }

    @Test
    void seedsAcceptBothNotations() {
        assertThat(Seeds.parse("10.0.0.5[7801]").getHostString()).isEqualTo("10.0.0.5");
        assertThat(Seeds.parse("10.0.0.5[7801]").getPort()).isEqualTo(7801);
        assertThat(Seeds.parse("cache-1.svc:7802").getHostString()).isEqualTo("cache-1.svc");
        assertThat(Seeds.parse("[::1]:7803").getHostString()).isEqualTo("::1");
        assertThat(Seeds.parse("::1[7804]").getPort()).isEqualTo(7804);
    }

    @Test
    void anAddressThisMachineDoesNotHaveFailsStartup() {
        // TEST-NET-1 (RFC 5737): never assigned to a local interface; binding fails locally, nothing is sent
        Cluster cluster = new Cluster(config("nowhere", basePort()).bindAddress("192.0.2.1").build(), IGNORE);
        assertThatThrownBy(cluster::connect).isInstanceOf(ClusterException.class).hasMessageContaining("192.0.2.1");
        cluster.close();
    }
}
