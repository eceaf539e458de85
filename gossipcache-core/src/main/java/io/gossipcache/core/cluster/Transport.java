package io.gossipcache.core.cluster;

import org.jgroups.Address;
import org.jgroups.View;

/**
 * What the replication protocols (replication, state transfer, anti-entropy) need from the network: who this member
 * is, who is in the view, and a way to send a payload. {@link Cluster} is the JGroups implementation; tests use an
 * in-memory one, so the protocols can be tested without sockets. Incoming payloads reach a {@link MessageHandler}.
 * Addresses and views are JGroups' value types either way.
 */
public interface Transport {

    /** This member's address, or {@code null} when it is not in a cluster. */
    Address self();

    /** The current view, or {@code null} when this member is not in a cluster. */
    View currentView();

    /**
     * Sends a payload reliably (per-sender FIFO) to one member, or to every other member when {@code destination}
     * is {@code null}. May block (flow control): never call it from a thread that must stay responsive.
     *
     * @return whether it was handed over (false when not in a cluster)
     * @throws Exception when the network refuses it
     */
    boolean send(Address destination, byte[] payload) throws Exception;

    /** The node name of a member's address, for logs. */
    String nameOf(Address address);

    /** The protocol this member speaks (its address carries it). */
    ProtocolVersion protocol();

    /**
     * The protocol to write a payload in for {@code destination} ({@code null}: every other member): the lowest
     * version of this member and the receivers, so that none of them receives what it cannot read. A multicast
     * takes the view at the time of the call: a member of an older minor that joins while the payload is on its way
     * may receive it, and drops it as unreadable; state transfer and anti-entropy bring it what it missed.
     */
    default ProtocolVersion protocolFor(Address destination) {
        return ViewProtocols.of(protocol(), currentView()).forDestination(destination);
    }
}
