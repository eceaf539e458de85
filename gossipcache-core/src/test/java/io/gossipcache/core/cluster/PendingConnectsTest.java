package io.gossipcache.core.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jgroups.Address;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

/** Sends to a peer without a connection wait for a connector thread, in order, and never on the sender. */
class PendingConnectsTest {

    private static final Address PEER = new IpAddress(InetAddress.getLoopbackAddress(), 7801);
    private static final Address OTHER = new IpAddress(InetAddress.getLoopbackAddress(), 7802);

    /** Runs connector tasks only when the test says so, on the test's thread. */
    private final Queue<Runnable> connectorTasks = new ArrayDeque<>();
    private final FakeTransport transport = new FakeTransport();
    private PendingConnects connects = new PendingConnects(transport, connectorTasks::add, 100);

    @Test
    void aConnectedPeerIsSentToAtOnceOnTheSendersThread() throws Exception {
        transport.connected.add(PEER);
        send(PEER, "m1");
        assertThat(transport.sent).containsExactly("m1 to " + PEER);
        assertThat(connectorTasks).isEmpty();
    }

    @Test
    void anUnconnectedPeerIsConnectedToByAConnectorAndItsSendsGoOutThereInOrder() throws Exception {
        byte[] buffer = "m1".getBytes(US_ASCII);
        connects.send(PEER, buffer, 0, buffer.length);
        buffer[1] = '9'; // the bundler reuses its buffer: what waits must be a copy
        send(PEER, "m2");
        assertThat(transport.sent).as("nothing on the sender's thread").isEmpty();
        assertThat(connectorTasks).as("one connector per peer").hasSize(1);
        assertThat(connects.connecting()).isEqualTo(1);

        connectorTasks.remove().run();
        send(PEER, "m3");
        assertThat(transport.sent).containsExactly("m1 to " + PEER, "m2 to " + PEER, "m3 to " + PEER);
        assertThat(transport.connects).containsExactly(PEER);
        assertThat(connects.connecting()).isZero();
    }

    @Test
    void aSendWhileTheConnectorSendsWaitsBehindWhatWasQueuedBeforeIt() throws Exception {
        send(PEER, "m1");
        // m2 arrives while the connector is sending m1 on the fresh connection: it must not overtake
        transport.duringNextSend = () -> send(PEER, "m2");
        connectorTasks.remove().run();
        send(PEER, "m3");
        assertThat(transport.sent).containsExactly("m1 to " + PEER, "m2 to " + PEER, "m3 to " + PEER);
    }

    @Test
    void aPeerBeingConnectedToDoesNotHoldUpSendsToOthers() throws Exception {
        transport.connected.add(OTHER);
        send(PEER, "m1");
        send(OTHER, "m2");
        assertThat(transport.sent).containsExactly("m2 to " + OTHER);
    }

    @Test
    void aFailedConnectDropsWhatWaitedAndTheNextSendTriesAgain() throws Exception {
        transport.refused.add(PEER);
        send(PEER, "m1");
        send(PEER, "m2");
        connectorTasks.remove().run();
        assertThat(transport.sent).isEmpty();
        assertThat(transport.failures).containsExactly(PEER);
        assertThat(connects.connecting()).isZero();

        transport.refused.clear();
        send(PEER, "m3");
        connectorTasks.remove().run();
        assertThat(transport.sent).containsExactly("m3 to " + PEER);
    }

    @Test
    void sendsBeyondTheBoundWhileConnectingAreDropped() throws Exception {
        connects = new PendingConnects(transport, connectorTasks::add, 2);
        send(PEER, "m1");
        send(PEER, "m2");
        send(PEER, "m3");
        assertThat(connects.dropped()).isEqualTo(1);
        connectorTasks.remove().run();
        assertThat(transport.sent).containsExactly("m1 to " + PEER, "m2 to " + PEER);
    }

    @Test
    void aStoppedTransportQueuesNothing() throws Exception {
        Executor stopped = task -> {
            throw new RejectedExecutionException("stopped");
        };
        connects = new PendingConnects(transport, stopped, 100);
        send(PEER, "m1");
        assertThat(connects.connecting()).isZero();
        assertThat(transport.sent).isEmpty();
    }

    private void send(Address peer, String message) throws Exception {
        byte[] data = ("xx" + message + "yy").getBytes(US_ASCII);
        connects.send(peer, data, 2, message.length());
    }

    /** Connects on the first send to a peer; records what was sent, in order. */
    private static final class FakeTransport implements PendingConnects.Connections {
        final Set<Address> connected = new HashSet<>();
        final Set<Address> refused = new HashSet<>();
        final List<Address> connects = new ArrayList<>();
        final List<Address> failures = new ArrayList<>();
        final List<String> sent = new ArrayList<>();
        ThrowingRunnable duringNextSend;

        @Override
        public boolean isConnected(Address peer) {
            return connected.contains(peer);
        }

        @Override
        public void send(Address peer, byte[] data, int offset, int length) throws Exception {
            if (!connected.contains(peer)) {
                if (refused.contains(peer)) {
                    throw new ConnectException("Connection refused");
                }
                connects.add(peer);
                connected.add(peer);
            }
            sent.add(new String(data, offset, length, US_ASCII) + " to " + peer);
            ThrowingRunnable during = duringNextSend;
            duringNextSend = null;
            if (during != null) {
                during.run();
            }
        }

        @Override
        public void connectFailed(Address peer, Exception cause) {
            failures.add(peer);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
