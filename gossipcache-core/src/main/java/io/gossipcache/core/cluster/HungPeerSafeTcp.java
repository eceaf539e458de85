package io.gossipcache.core.cluster;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.blocks.cs.BaseServer;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.protocols.TCP;
import org.jgroups.util.DefaultSocketFactory;
import org.jgroups.util.SocketFactory;

/**
 * JGroups' TCP transport, made safe against a member that hangs (SIGSTOP, a frozen VM, a stalled network)
 * while others write to it. Two things go wrong in JGroups 5.5 when such a member's socket buffers fill:
 * <ul>
 *   <li>the bundler's single thread blocks writing to the hung member, and every other member stops hearing
 *       from this one (they suspected the healthy writer, measured). Sends therefore go through a bounded queue
 *       per connection ({@code non_blocking_sends}): only the hung member's queue stalls and drops, and the
 *       protocols above retransmit what it missed if it ever comes back;</li>
 *   <li>when the view drops the hung member, the transport closes its connection gracefully: it writes a close
 *       marker under the connection's output lock, which the sender blocked in a write that never returns
 *       still holds. That happens inside GMS's view installation, so the coordinator never installed the view
 *       without the hung member and every later view change waited behind it (measured: for minutes). This
 *       class closes the connections of members leaving the view first, without the marker, which releases the
 *       blocked write; JGroups' own close then finds them closed and skips the marker. Connections of
 *       non-members (a joiner still discovering) keep JGroups' graceful close.</li>
 *   <li>connecting happens on the sending thread too, the bundler's: a peer that accepts the TCP connect and then
 *       never answers (a frozen process's kernel still accepts) held up every send when TLS waited for its
 *       handshake, and discovery probes every port at each merge round. Connects therefore run on connector
 *       threads ({@link PendingConnects}), and the TLS handshake of a connection this member opens is bounded
 *       ({@link BoundedHandshakes}).</li>
 * </ul>
 * On the wire it is plain TCP (every transport carries TP's protocol id).
 */
final class HungPeerSafeTcp extends TCP {

    /** Physical addresses of the members of the previous view (the transport passes physical ones). */
    private volatile Set<Address> previousMembers = Set.of();
    private final BoundedHandshakes handshakes = new BoundedHandshakes(this::getPeerAddrReadTimeout);
    private volatile ExecutorService connectors;
    private volatile PendingConnects pendingConnects;

    HungPeerSafeTcp() {
        nonBlockingSends(true);
    }

    @Override
    public void start() throws Exception {
        // threads come and go with peers being connected to: idle ones end after a minute
        connectors = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
                this::connectorThread);
        pendingConnects = new PendingConnects(new ServerTransport(), connectors, maxSendQueue());
        super.start();
        srv.log(new ExpectedClosesLog(log)); // before any connection: they log through the server's log
    }

    private Thread connectorThread(Runnable runnable) {
        Thread thread = getThreadFactory().newThread(runnable, "Connector");
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void stop() {
        super.stop();
        if (connectors != null) {
            connectors.shutdown();
        }
    }

    /** TCP.start() installs its TLS socket factory here, right before it creates its server. */
    @Override
    public void setSocketFactory(SocketFactory factory) {
        if (tls().enabled() && factory instanceof DefaultSocketFactory sockets) {
            sockets.setSocketConfigurator(handshakes::created);
        }
        super.setSocketFactory(factory);
    }

    @Override
    public void connectionEstablished(Connection connection) {
        handshakes.established(connection);
        super.connectionEstablished(connection);
    }

    /**
     * Opens a connection to {@code peer} unless one is open (a JGroups connection, as a send would open it), on a
     * connector thread, and completes with whether the peer's port refused it. A refusal means no process listens
     * there: a crashed member's kernel refuses at once, while a frozen or paused member's kernel still accepts and a
     * vanished host does not answer at all. Completes with {@code false} for anything but a refusal.
     */
    CompletableFuture<Boolean> refusesConnections(PhysicalAddress peer) {
        CompletableFuture<Boolean> refused = new CompletableFuture<>();
        ExecutorService pool = connectors;
        BaseServer server = srv;
        if (pool == null || server == null) {
            refused.complete(false);
            return refused;
        }
        try {
            pool.execute(() -> {
                try {
                    server.getConnection(peer);
                    refused.complete(false);
                } catch (Exception e) {
                    refused.complete(isRefusal(e));
                }
            });
        } catch (RejectedExecutionException stopping) {
            refused.complete(false);
        }
        return refused;
    }

    /** ECONNREFUSED; not a timeout, nor an unreachable host or network (which Java may also report as ConnectException). */
    static boolean isRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null && t.getMessage().contains("refused")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void send(Address dest, byte[] data, int offset, int length) throws Exception {
        PendingConnects connects = pendingConnects;
        if (connects == null || srv == null) {
            super.send(dest, data, offset, length);
        } else {
            connects.send(dest, data, offset, length);
        }
    }

    @Override
    public void retainAll(Collection<Address> members) {
        Set<Address> previous = previousMembers;
        previousMembers = Set.copyOf(members);
        if (srv != null) {
            List<Connection> leaving = new ArrayList<>();
            srv.forAllConnections((address, connection) -> {
                if (isLeaving(address, previous, members, is_member)) {
                    leaving.add(connection);
                }
            });
            for (Connection connection : leaving) {
                try {
                    connection.close(false);
                } catch (Exception e) {
                    log.trace("%s: closing the connection to a former member: %s", getAddress(), e);
                }
            }
        }
        super.retainAll(members);
    }

    /**
     * Whether the connection to {@code address} belongs to a member that leaves with this view. Only those are
     * closed without the marker: any other connection JGroups drops here (a joiner's discovery connection, say)
     * keeps JGroups' graceful close.
     */
    static boolean isLeaving(Address address, Set<Address> previousMembers, Collection<Address> members,
                             Predicate<PhysicalAddress> stillMember) {
        return previousMembers.contains(address) && !members.contains(address)
                && !(address instanceof PhysicalAddress physical && stillMember.test(physical));
    }

    /** JGroups' server, as seen by {@link PendingConnects}. */
    private final class ServerTransport implements PendingConnects.Connections {
        @Override
        public boolean isConnected(Address peer) {
            return srv.connectionEstablishedTo(peer) || peer.equals(srv.localAddress());
        }

        @Override
        public void send(Address peer, byte[] data, int offset, int length) throws Exception {
            HungPeerSafeTcp.super.send(peer, data, offset, length);
        }

        @Override
        public void connectFailed(Address peer, Exception cause) {
            // as JGroups logs a failed send: expected for ports without a member and for peers that left or hang
            log.trace("%s: failed connecting to %s: %s", getAddress(), peer, cause);
        }
    }
}
