package io.gossipcache.benchmarks.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.benchmarks.member.CacheSystem;
import io.gossipcache.benchmarks.member.MemberOptions;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.Version;
import org.jgroups.View;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.BaseBundler;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The floor: what replication costs with nothing on top of JGroups. A put stores into a local Caffeine map and
 * sends one message {@code [key length][key][value]} to the cluster from the caller's thread (JGroups' bundler
 * batches them); every other member puts what it receives into its own map, on the delivery thread.
 *
 * <p>What the floor does not do: no versions (a late message overwrites a newer value), no state transfer (a
 * joiner starts empty), no anti-entropy, no TTL (a put with a TTL stores without one), no evict or clear, no
 * back-pressure beyond JGroups' flow control blocking the writer.
 */
public final class JGroupsFloorSystem implements CacheSystem {

    private final Cache<String, byte[]> map = Caffeine.newBuilder().build();
    private JChannel channel;

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public String version() {
        return "JGroups " + Version.printVersion();
    }

    @Override
    public String describe(MemberOptions o) {
        return "Plain JGroups channel, same protocol list and transport settings as gossipcache's stack (TCP on"
                + " 127.0.0.1 with tcp_nodelay and the transfer-queue bundler, TCPPING over every member, MERGE3,"
                + " FD_SOCK2 on 127.0.0.1 port + 100 + FD_ALL3 " + fdInterval(o) + "/" + fdTimeout(o)
                + " ms + VERIFY_SUSPECT2 " + verifyTimeout(o) + " ms, NAKACK2, UNICAST3, STABLE, GMS join timeout"
                + " 500 ms, MFC, UFC, FRAG4; MFC and UFC with 1 MB of credits instead of 5, so that flow control"
                + " blocks the writer before the bundler's queue of 16,384 messages overflows), diagnostics off;"
                + " each put is one multicast message sent from the"
                + " caller's thread into an unbounded Caffeine map on every member. No versions, no state"
                + " transfer, no anti-entropy, no TTL.";
    }

    private static long fdInterval(MemberOptions o) {
        return o.tunedFailureDetection() ? 1000 : 2000;
    }

    private static long fdTimeout(MemberOptions o) {
        return o.tunedFailureDetection() ? 3000 : 10000;
    }

    private static long verifyTimeout(MemberOptions o) {
        return o.tunedFailureDetection() ? 500 : 1000;
    }

    @Override
    public void start(MemberOptions o) throws Exception {
        InetAddress bind = InetAddress.getByName(MemberOptions.BIND_ADDRESS);
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int port : o.seedPorts()) {
            seeds.add(new InetSocketAddress(bind, port));
        }
        TCP tcp = new TCP();
        tcp.tcpNodelay(true);
        tcp.setBindAddress(bind).setBindPort(o.port()).setPortRange(0).setBundlerType("transfer-queue");
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(seeds);
        ping.setPortRange(0);
        List<Protocol> stack = List.of(
                tcp,
                ping,
                new MERGE3().setMaxInterval(Long.MAX_VALUE / 4).setMinInterval(2500).setMaxInterval(5000),
                // the same offset on every member: see GossipCacheSystem#pinFailureDetectionPort
                new FD_SOCK2().setBindAddress(bind).setOffset(GossipCacheSystem.FD_SOCK_OFFSET).setPortRange(0),
                new FD_ALL3().setTimeout(fdTimeout(o)).setInterval(fdInterval(o)),
                new VERIFY_SUSPECT2().setTimeout(verifyTimeout(o)),
                new BARRIER(),
                new NAKACK2().useMcastXmit(false),
                new UNICAST3(),
                new STABLE(),
                new GMS().setJoinTimeout(500).printLocalAddress(false),
                // Credits count payload bytes. With the 5 MB default, a writer of ~115-byte messages may have ~43,000
                // in flight, more than the transfer-queue bundler's queue of 16,384: it dropped thousands, and NAKACK2
                // retransmitted them one by one (S2 fell from ~130,000 to 9,000-19,000 puts/s in about one round in
                // five). 1 MB keeps them below 9,000, so flow control blocks the writer before the queue overflows.
                new MFC().setMaxCredits(1_000_000),
                new UFC().setMaxCredits(1_000_000),
                new FRAG4());
        channel = new JChannel(stack);
        channel.getProtocolStack().getTransport().getDiagnosticsHandler().setEnabled(false);
        channel.setDiscardOwnMessages(true);
        channel.name(o.memberName());
        channel.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                apply(msg.getArray(), msg.getOffset(), msg.getLength());
            }

            @Override
            public void viewAccepted(View view) {
                // nothing: viewSize() reads the channel's view
            }
        });
        channel.connect(o.clusterName());
    }

    private void apply(byte[] buf, int offset, int length) {
        ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
        int keyLength = b.getInt();
        String key = new String(buf, b.position(), keyLength, StandardCharsets.UTF_8);
        b.position(b.position() + keyLength);
        byte[] value = new byte[b.remaining()];
        b.get(value);
        map.put(key, value);
    }

    @Override
    public void put(String key, byte[] value) {
        map.put(key, value);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] payload = ByteBuffer.allocate(4 + k.length + value.length).putInt(k.length).put(k).put(value).array();
        try {
            channel.send(new BytesMessage(null, payload));
        } catch (Exception e) {
            throw new IllegalStateException("send failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        put(key, value); // the floor has no TTL
    }

    @Override
    public byte[] get(String key) {
        return map.getIfPresent(key);
    }

    @Override
    public long localSize() {
        return map.estimatedSize();
    }

    @Override
    public int viewSize() {
        View view = channel == null ? null : channel.getView();
        return view == null ? 0 : view.size();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            logDropsAndRetransmissions();
            channel.close();
            channel = null;
        }
    }

    /** To the member's log: messages the bundler dropped on a full queue, and the retransmissions that followed. */
    private void logDropsAndRetransmissions() {
        Object drops;
        try {
            // no getter in JGroups 5.5
            Field f = BaseBundler.class.getDeclaredField("num_drops_on_full_queue");
            f.setAccessible(true);
            drops = f.get(channel.getProtocolStack().getTransport().getBundler());
        } catch (ReflectiveOperationException | RuntimeException e) {
            drops = "unknown (" + e + ")";
        }
        NAKACK2 nak = channel.getProtocolStack().findProtocol(NAKACK2.class);
        System.err.println("DIAG bundler queue-full drops " + drops + ", retransmission requests sent "
                + nak.getXmitRequestsSent() + ", received " + nak.getXmitRequestsReceived());
    }
}
