package io.gossipcache.core.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.jgroups.Address;

/**
 * Opens connections off the sending thread. JGroups' TCP connects on the thread that sends, and that is the
 * bundler's single thread: a peer that completes the TCP connect but never answers (a frozen process, whose kernel
 * still accepts; with TLS the handshake then waits for it) held up every send of this member, to every member.
 * Discovery probes every port of the range at each merge round, so a frozen member that had left the view was
 * enough (measured: the two healthy members suspected each other).
 * <p>
 * Here a send to a peer without a connection is queued, and one connector thread per such peer connects and then
 * sends what waits, in order; later sends go straight to the connection once the queue is empty. If connecting
 * fails, what waits is dropped, as a failed send drops its message in JGroups: the reliable protocols above
 * retransmit, and discovery probes again.
 */
final class PendingConnects {

    /** The transport underneath: JGroups' server in production. */
    interface Connections {
        /** Whether a send to {@code peer} goes out on an open connection without connecting first. */
        boolean isConnected(Address peer);

        /** Sends on the connection to {@code peer}, connecting first if there is none. */
        void send(Address peer, byte[] data, int offset, int length) throws Exception;

        /** A connect (or a send right after it) failed; what waited for it is dropped. */
        void connectFailed(Address peer, Exception cause);
    }

    private final Connections transport;
    private final Executor connectors;
    private final int maxQueued;
    /** Peers being connected to, with the sends waiting for them; changed, and queues used, under {@code this}. */
    private final Map<Address, ArrayDeque<byte[]>> pending = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param connectors runs one task per peer being connected to; a task may block for the connect timeout
     * @param maxQueued  sends kept per peer while connecting; more are dropped, as a full per-connection queue
     *                   drops them in JGroups
     */
    PendingConnects(Connections transport, Executor connectors, int maxQueued) {
        this.transport = transport;
        this.connectors = connectors;
        this.maxQueued = maxQueued;
    }

    /**
     * Sends at once on an open connection; otherwise queues a copy of the data and has a connector connect. A
     * connection that closes between the check and the send is connected to on this thread, as JGroups would;
     * the handshake is bounded ({@link BoundedHandshakes}), so that rare case costs at most its timeout.
     */
    void send(Address peer, byte[] data, int offset, int length) throws Exception {
        if (!pending.containsKey(peer) && transport.isConnected(peer)) {
            transport.send(peer, data, offset, length); // the common case, without a lock
            return;
        }
        ArrayDeque<byte[]> queue;
        boolean startConnector;
        synchronized (this) {
            queue = pending.get(peer);
            startConnector = queue == null && !transport.isConnected(peer);
            if (startConnector) {
                queue = new ArrayDeque<>();
                pending.put(peer, queue);
            }
            if (queue != null && queue.size() < maxQueued) {
                queue.add(Arrays.copyOfRange(data, offset, offset + length)); // the bundler reuses its buffer
            } else if (queue != null) {
                dropped.increment();
            }
        }
        if (queue == null) {
            transport.send(peer, data, offset, length); // a connector finished meanwhile
        } else if (startConnector) {
            startConnector(peer);
        }
    }

    /** Sends dropped because a peer's queue was full while connecting. */
    long dropped() {
        return dropped.sum();
    }

    /** Peers with a connect in progress. */
    int connecting() {
        return pending.size();
    }

    private void startConnector(Address peer) {
        try {
            connectors.execute(() -> connectAndSend(peer));
        } catch (RejectedExecutionException stopping) {
            synchronized (this) {
                pending.remove(peer);
            }
        }
    }

    /** The first send connects; the queue is left only when it is empty, so nothing overtakes what waits. */
    private void connectAndSend(Address peer) {
        try {
            while (true) {
                List<byte[]> batch;
                synchronized (this) {
                    ArrayDeque<byte[]> queue = pending.get(peer);
                    if (queue.isEmpty()) {
                        pending.remove(peer);
                        return;
                    }
                    batch = new ArrayList<>(queue);
                    queue.clear();
                }
                for (byte[] data : batch) {
                    transport.send(peer, data, 0, data.length);
                }
            }
        } catch (Exception e) {
            synchronized (this) {
                pending.remove(peer);
            }
            transport.connectFailed(peer, e);
        }
    }
}
