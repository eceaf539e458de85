package io.gossipcache.core;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.placement.Placement;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * Where the keys of partitioned caches live now: the placement of the current view, replaced when a view is
 * installed (on the JGroups view thread) and read by every read and write of a partitioned cache.
 */
final class Partitions {

    private final Transport transport;
    private final String self;
    private volatile Placement placement;

    Partitions(Transport transport, String self) {
        this.transport = transport;
        this.self = self;
        this.placement = Placement.alone(self);
    }

    Placement placement() {
        return placement;
    }

    /** A view was installed ({@code null}: this member left the cluster). */
    void viewChanged(View view) {
        placement = view == null ? Placement.alone(self)
                : Placement.of(view, self, transport::nameOf, transport.protocolFor(null).partitions());
    }

    /** Whether this member answers reads of a segment from its own store. */
    boolean servesLocally(int owners, int segment) {
        return placement.owns(owners, segment);
    }

    /** The segments of caches with {@code owners} owners that this member and {@code peer} both hold. */
    boolean[] sharedWith(int owners, Address peer) {
        return placement.sharedWith(owners, transport.nameOf(peer));
    }

    /** The members to read a key of this segment from, in the order to ask them. */
    List<Address> readFrom(int owners, int segment) {
        Placement current = placement;
        Address me = transport.self();
        List<Address> from = new ArrayList<>(current.ownerAddresses(owners, segment));
        from.remove(me);
        return from;
    }
}
