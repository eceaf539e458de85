package io.gossipcache.core;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.placement.Placement;
import io.gossipcache.core.placement.Segments;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;

/**
 * Where the keys of partitioned caches live now, and which of its segments this member holds: the placement of the
 * current view and, per owner count, the owned segments whose every write this member has (it owned and held them
 * in the previous view, or received them from every member since). A member reads a key from its own store only from
 * a segment it holds; the others it reads from their owners.
 *
 * <p>Concurrency: the state is one immutable {@link State}, replaced whole under this object's lock, by the view
 * thread when a view is installed and by the inbound thread when a rebalance completes; readers (application
 * threads) read the volatile field.
 */
final class Partitions {

    /**
     * The placement of a view and the segments held in it.
     *
     * @param previous the placements this member's data came from: the previous view's, or after a merge each
     *                 subgroup's (a reader asks their owners while the new owners do not hold a segment yet)
     * @param held     per owner count, the segments held ({@link Segments#COUNT} flags); absent: none
     */
    record State(Placement placement, List<Placement> previous, Map<Integer, boolean[]> held) {

        boolean holds(int owners, int segment) {
            boolean[] bits = held.get(owners);
            return bits != null && bits[segment];
        }
    }

    private final Transport transport;
    private volatile State state;

    Partitions(Transport transport) {
        this.transport = transport;
        this.state = alone(List.of());
    }

    State state() {
        return state;
    }

    Placement placement() {
        return state.placement();
    }

    /** Alone (no cluster, LOCAL mode): this member owns and holds everything, as any local cache would. */
    private State alone(Collection<Integer> ownerCounts) {
        Map<Integer, boolean[]> held = new HashMap<>();
        ownerCounts.forEach(n -> held.put(n, all()));
        return new State(Placement.alone(), List.of(), held);
    }

    /**
     * A view was installed ({@code null}: this member left the cluster). Segments held before stay held if this
     * member still owns them and the view follows the previous one (not a merge, not a return), since it received
     * every write to them meanwhile; the rest must be pulled ({@link Rebalance}).
     *
     * @param ownerCounts the owner counts of this member's partitioned caches
     */
    synchronized State install(View view, Collection<Integer> ownerCounts) {
        State before = state;
        if (view == null) {
            state = alone(ownerCounts);
            return state;
        }
        Address self = transport.self();
        Placement placement = Placement.of(view, self, transport.protocolFor(null).partitions());
        boolean follows = !before.placement().isAlone() && !(view instanceof MergeView);
        List<Placement> previous = new ArrayList<>();
        if (view instanceof MergeView merge) {
            for (View subgroup : merge.getSubgroups()) {
                previous.add(Placement.of(subgroup, self, placement.partitioning()));
            }
        } else if (!before.placement().isAlone()) {
            previous.add(before.placement());
        }
        Map<Integer, boolean[]> held = new HashMap<>();
        for (int owners : ownerCounts) {
            boolean[] bits = new boolean[Segments.COUNT];
            for (int s = 0; s < Segments.COUNT; s++) {
                // not partitioning (an older member is in the view): replicated, every copy kept up to date
                bits[s] = !placement.partitioning()
                        || (follows && placement.owns(owners, s) && before.holds(owners, s));
            }
            held.put(owners, bits);
        }
        state = new State(placement, List.copyOf(previous), held);
        return state;
    }

    /** Marks segments held, if the view is still {@code viewId}'s; answers the new state, or null if not. */
    synchronized State held(long viewId, int owners, boolean[] segments) {
        State current = state;
        if (current.placement().viewId() != viewId) {
            return null;
        }
        Map<Integer, boolean[]> held = new HashMap<>(current.held());
        boolean[] bits = held.getOrDefault(owners, new boolean[Segments.COUNT]).clone();
        for (int s = 0; s < Segments.COUNT; s++) {
            bits[s] |= segments[s];
        }
        held.put(owners, bits);
        state = new State(current.placement(), current.previous(), held);
        return state;
    }

    /** Whether this member answers reads of a segment from its own store: it owns and holds it. */
    boolean servesLocally(int owners, int segment) {
        State current = state;
        if (current.placement().isAlone()) {
            return true; // a local cache
        }
        return current.placement().owns(owners, segment) && current.holds(owners, segment);
    }

    /** What this member owns and holds of caches with {@code owners} owners. */
    Ownership ownership(int owners) {
        State current = state;
        int owned = 0;
        int held = 0;
        for (int s = 0; s < Segments.COUNT; s++) {
            if (current.placement().owns(owners, s)) {
                owned++;
                if (current.placement().isAlone() || current.holds(owners, s)) {
                    held++;
                }
            }
        }
        return new Ownership(owners, owned, held);
    }

    /** The segments of caches with {@code owners} owners that this member and {@code peer} both own. */
    boolean[] sharedWith(int owners, Address peer) {
        return state.placement().sharedWith(owners, peer);
    }

    /**
     * The members to read a key of this segment from, in the order to ask them: its owners, primary first; then,
     * while they may not hold it yet, the owners in the placements the data came from.
     */
    List<Address> readFrom(int owners, int segment) {
        State current = state;
        Address me = transport.self();
        Set<Address> from = new LinkedHashSet<>(current.placement().ownerAddresses(owners, segment));
        for (Placement before : current.previous()) {
            for (Address a : before.ownerAddresses(owners, segment)) {
                if (a != null && current.placement().contains(a)) {
                    from.add(a);
                }
            }
        }
        from.remove(me);
        from.remove(null);
        return new ArrayList<>(from);
    }

    static boolean[] all() {
        boolean[] bits = new boolean[Segments.COUNT];
        java.util.Arrays.fill(bits, true);
        return bits;
    }
}
