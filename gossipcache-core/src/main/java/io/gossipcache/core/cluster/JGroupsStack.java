package io.gossipcache.core.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.Encrypt;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.jgroups.util.StackType;
import org.jgroups.util.TLSClientAuth;
import org.jgroups.util.Util;

/**
 * Builds the JGroups channel for a {@link ClusterConfig}: TCP (safe against a hung member, see
 * {@link HungPeerSafeTcp}) with TCPPING or DNS_PING discovery, MERGE3, FD_SOCK2 + FD_ALL3 + VERIFY_SUSPECT2 (checked promptly,
 * see {@link PromptVerifySuspect}), NAKACK2, UNICAST3, STABLE, GMS, flow control and fragmentation, with
 * diagnostics off and every socket on the configured bind address.
 */
final class JGroupsStack {

    /**
     * Longest frame a connection may announce. FRAG4 (60 KB fragments) and the bundler (64 KB) keep real frames
     * far below; without a bound a hostile length prefix makes the receiver allocate up to 2 GB.
     */
    static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    /** Bounds of GMS's merge timeout, which follows the merge interval ({@link #mergeTimeout(long)}). */
    private static final long MERGE_TIMEOUT_MIN_MS = 1_000;
    private static final long MERGE_TIMEOUT_MAX_MS = 5_000;

    private JGroupsStack() {
    }

    static JChannel create(ClusterConfig config) {
        return create(config, -1);
    }

    /**
     * @param preferredPort the port to try first (the one this member had before it reconnects), or -1: a
     *                      member that comes back on another member's former port confuses the others'
     *                      address caches for a while
     */
    static JChannel create(ClusterConfig config, int preferredPort) {
        JChannel channel;
        try {
            channel = config.jgroupsConfig() != null ? new JChannel(config.jgroupsConfig()) : new JChannel(protocols(config, preferredPort));
        } catch (ClusterException e) {
            throw e;
        } catch (Exception e) {
            throw new ClusterException("Cannot build the JGroups stack: " + e.getMessage(), e);
        }
        TP transport = channel.getProtocolStack().getTransport();
        // JGroups 5.5 turns diagnostics on by default: a multicast socket on every interface.
        transport.getDiagnosticsHandler().setEnabled(false);
        FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
        if (fdSock != null && fdSock.getBindAddress() == null) {
            fdSock.setBindAddress(transport.getBindAddress());
        }
        verifyBindAddresses(config, transport, fdSock);
        channel.name(config.nodeName());
        for (var customizer : config.channelCustomizers()) {
            customizer.accept(channel);
        }
        return channel;
    }

    private static List<Protocol> protocols(ClusterConfig config, int preferredPort) throws Exception {
        InetAddress bind = resolve(config.bindAddress());
        long fdInterval = config.failureDetectionInterval().toMillis();
        long fdTimeout = config.failureDetectionTimeout().toMillis();
        long mergeMax = config.mergeInterval().toMillis();
        List<Protocol> stack = new ArrayList<>();
        TCP tcp = new HungPeerSafeTcp();
        tcp.tcpNodelay(true); // measured: p50 replication latency 0.2 ms instead of 4-5 ms
        int lastPort = config.bindPort() + config.portRange();
        boolean preferred = preferredPort >= config.bindPort() && preferredPort <= lastPort;
        int firstPort = preferred ? preferredPort : config.bindPort();
        tcp.setBindAddress(bind).setBindPort(firstPort).setPortRange(lastPort - firstPort)
                .setBundlerType("transfer-queue");
        tcp.setMaxLength(MAX_FRAME_BYTES);
        // A peer's connection closing while it is read (a member leaving or crashing) is expected: one log line
        // ("failed handling message: Stream closed"), not JGroups' default stack trace.
        tcp.logDetails(false);
        if (config.tls() != null) {
            useTls(tcp, config.tls());
        }
        stack.add(tcp);
        stack.add(config.dnsDiscovery() != null ? DnsPings.create(config.dnsDiscovery()) : discovery(config, bind));
        stack.add(merge(mergeMax));
        stack.add(new FD_SOCK2().setBindAddress(bind));
        stack.add(new FD_ALL3().setTimeout(fdTimeout).setInterval(fdInterval));
        // checks its suspects every 100 ms, not only once per timeout: kill -9 leaves the view within timeout + 0.1 s
        stack.add(new PromptVerifySuspect().setTimeout(config.verifySuspectTimeout().toMillis()));
        stack.add(new BARRIER());
        stack.add(new NAKACK2().useMcastXmit(false));
        stack.add(new UNICAST3());
        stack.add(new STABLE());
        stack.add(new GMS().setJoinTimeout(config.joinTimeout().toMillis()).printLocalAddress(false)
                .setMergeTimeout(mergeTimeout(mergeMax)));
        stack.add(new MFC());
        stack.add(new UFC());
        stack.add(new FRAG4());
        return stack;
    }

    /** Both ends of every connection must present a certificate the other end trusts (client auth NEED). */
    private static void useTls(TCP tcp, ClusterTls tls) {
        tcp.tls().enabled(true)
                .setSSLContext(tls.context())
                .setClientAuth(TLSClientAuth.NEED)
                .setProtocols(tls.protocols().toArray(String[]::new));
        if (!tls.cipherSuites().isEmpty()) {
            tcp.tls().setCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
    }

    /** Whether the stack authenticates members or encrypts their traffic (TLS transport, SYM/ASYM_ENCRYPT). */
    static boolean isSecured(JChannel channel) {
        TP transport = channel.getProtocolStack().getTransport();
        if (transport instanceof TCP tcp && tcp.tls().enabled()) {
            return true;
        }
        return channel.getProtocolStack().getProtocols().stream().anyMatch(p -> p instanceof Encrypt<?>);
    }

    /**
     * A healed split merges within the merge interval M: MERGE3 sends INFO every 0.2-0.4 M and checks for differing
     * subgroups every 0.5 M. At MERGE3's own pace (INFO every M/2..M, a check every 1.6 M) a merge came up to about
     * 3 M after the heal. The faster pace needs {@link #mergeTimeout(long) a short merge timeout}. MERGE3's
     * setMinInterval checks the min it already has against the max (docs/architecture.md, 'JGroups facts we rely
     * on'): widen the max, set the min, set the real max, then the check interval (setMaxInterval resets it).
     */
    private static MERGE3 merge(long mergeMillis) {
        long merge = Math.max(10, mergeMillis);
        long max = Math.max(2, merge * 2 / 5);
        return new MERGE3().setMaxInterval(Long.MAX_VALUE / 4).setMinInterval(max / 2).setMaxInterval(max)
                .setCheckInterval(Math.max(max + 1, merge / 2));
    }

    /**
     * How long a merge waits for the subgroup coordinators: the merge interval, within 1-5 s (JGroups' default is
     * 5 s). A merge in flight suspends view changes until it ends or is given up (after twice this), so a crash or a
     * new partition during a merge waits for it. With merges checked every 0.5 M and JGroups' 5 s, the fault checker
     * failed 4 of 100 schedules (views unchanged for over 20 s); with this, 0 of 100.
     */
    static long mergeTimeout(long mergeMillis) {
        return Math.max(MERGE_TIMEOUT_MIN_MS, Math.min(MERGE_TIMEOUT_MAX_MS, mergeMillis));
    }

    /**
     * Without seeds, every port of the local range is a seed. The range is spelled out here because TCPPING
     * applies its {@code port_range} only to hosts given as a string: with hosts set programmatically it
     * probed the first port alone, so two members that both restarted while the member on that port was
     * gone never found each other (they kept splitting the others between them).
     */
    private static List<InetSocketAddress> discoveryHosts(ClusterConfig config, InetAddress bind) {
        List<InetSocketAddress> hosts = new ArrayList<>();
        if (config.seeds().isEmpty()) {
            for (int port = config.bindPort(); port <= config.bindPort() + config.portRange(); port++) {
                hosts.add(new InetSocketAddress(bind, port));
            }
        } else {
            for (InetSocketAddress seed : Seeds.parseAll(config.seeds())) {
                hosts.add(new InetSocketAddress(seed.getHostString(), seed.getPort()));
            }
        }
        return hosts;
    }

    private static TCPPING discovery(ClusterConfig config, InetAddress bind) {
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(discoveryHosts(config, bind));
        ping.setPortRange(0);
        ping.numDiscoveryRuns(DnsPings.DISCOVERY_RUNS);
        return ping;
    }

    static InetAddress resolve(String bindAddress) {
        try {
            StackType type = bindAddress.contains(":") && !bindAddress.startsWith("match") ? StackType.IPv6 : Util.getIpStackType();
            InetAddress address = Util.getAddress(bindAddress, type);
            if (address == null) {
                throw new ClusterException(ClusterException.Problem.BIND_ADDRESS_NOT_LOCAL,
                        "Bind address '" + bindAddress + "' matches no interface address", null);
            }
            // checked here, before any socket: JGroups would fail later, with a stack trace naming no setting
            if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()
                    && java.net.NetworkInterface.getByInetAddress(address) == null) {
                throw new ClusterException(ClusterException.Problem.BIND_ADDRESS_NOT_LOCAL,
                        "Bind address '" + bindAddress + "' is not an address of this host", null);
            }
            return address;
        } catch (ClusterException e) {
            throw e;
        } catch (Exception e) {
            throw new ClusterException(ClusterException.Problem.BIND_ADDRESS_NOT_LOCAL,
                    "Cannot resolve bind address '" + bindAddress + "': " + e.getMessage(), e);
        }
    }

    /**
     * JGroups can silently fall back to another address (docs/architecture.md, 'JGroups facts we rely on'): refuse
     * to start instead.
     */
    private static void verifyBindAddresses(ClusterConfig config, TP transport, FD_SOCK2 fdSock) {
        InetAddress actual = transport.getBindAddress();
        if (actual == null || actual.isAnyLocalAddress()) {
            throw new ClusterException("The JGroups transport would listen on every interface; set a bind address");
        }
        if (config.jgroupsConfig() == null) {
            InetAddress expected = resolve(config.bindAddress());
            if (!actual.equals(expected)) {
                throw new ClusterException("The JGroups transport resolved bind address " + actual.getHostAddress()
                        + " instead of the configured " + config.bindAddress()
                        + (expected instanceof Inet6Address ? " (is -Djava.net.preferIPv4Stack=true set?)" : ""));
            }
        }
        if (fdSock != null && !actual.equals(fdSock.getBindAddress())) {
            throw new ClusterException("FD_SOCK2 would bind " + fdSock.getBindAddress() + ", not the transport's "
                    + actual.getHostAddress());
        }
    }
}
