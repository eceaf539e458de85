package io.gossipcache.core.cluster;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLSocket;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.stack.IpAddress;

/**
 * Bounds the TLS handshake of the connections a member opens. JGroups 5.5 runs it with no read timeout, so a peer
 * that accepted the TCP connect but never answers (a frozen process) held the connecting thread for good. The
 * socket gets a read timeout when it is created, and loses it once JGroups reports the connection established,
 * which it does on the connecting thread before it starts the connection's reader: a reader never sees the
 * timeout, so an idle connection is never closed for being idle.
 * <p>
 * The accepting side is bounded already: JGroups reads the connecting peer's handshake and address with its peer
 * address read timeout, and that same timeout is used here.
 */
final class BoundedHandshakes {

    private final IntSupplier timeoutMillis;
    /** The TLS socket the current thread is connecting with (JGroups creates and connects it on one thread). */
    private final ThreadLocal<Socket> connecting = new ThreadLocal<>();

    BoundedHandshakes(IntSupplier timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** For each socket the transport creates to connect to a peer. */
    void created(Socket socket) {
        if (socket instanceof SSLSocket) {
            try {
                socket.setSoTimeout(timeoutMillis.getAsInt());
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
            connecting.set(socket);
        }
    }

    /** For each connection established, before its reader starts: lifts the timeout if this thread connected it. */
    void established(Connection connection) {
        Socket socket = connecting.get();
        if (socket == null) {
            return; // accepted, not opened here (or plain TCP)
        }
        connecting.remove();
        if (socket.getLocalSocketAddress() instanceof InetSocketAddress local
                && new IpAddress(local).equals(connection.localAddress())) {
            try {
                socket.setSoTimeout(0);
            } catch (SocketException closed) {
                // closed meanwhile: its reader ends anyway
            }
        }
    }
}
