package io.gossipcache.core.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * Where the keys of partitioned caches live in one view: for each owner count, every segment's owners (see
 * {@link SegmentOwners}) and their addresses. Made once per view, when it is installed, and read on every write and
 * read of a partitioned cache, so the routes of an owner count are computed once and kept.
 *
 * <p>While some member of the view does not speak the protocol of partitioned caches ({@code partitioning} false),
 * and when this member is alone, every member owns every segment: a partitioned cache is then replicated. Immutable
 * but for that memo, which is safe to share.
 */
public final class Placement {

    private final long viewId;
    private final String self;
    private final boolean partitioning;
    /** Every member by node name, in view order; for a name held by two addresses (a restart), the newer one. */
    private final Map<String, Address> members;
    private final Map<Integer, Routes> routes = new ConcurrentHashMap<>();

    private Placement(long viewId, String self, boolean partitioning, Map<String, Address> members) {
        this.viewId = viewId;
        this.self = self;
        this.partitioning = partitioning;
        this.members = members;
    }

    /** This member on its own (not in a cluster, or in LOCAL mode): it owns everything. */
    public static Placement alone(String self) {
        return new Placement(0, self, false, Map.of(self, SELF_ONLY));
    }

    /**
     * The placement of a view.
     *
     * @param names        the node name of each member's address
     * @param partitioning whether every member speaks the protocol of partitioned caches
     */
    public static Placement of(View view, String self, Function<Address, String> names, boolean partitioning) {
        Map<String, Address> members = new LinkedHashMap<>();
        for (Address member : view.getMembers()) {
            members.put(names.apply(member), member); // view order: a later (newer) address of a name replaces it
        }
        members.putIfAbsent(self, SELF_ONLY);
        return new Placement(view.getViewId().getId(), self, partitioning, Collections.unmodifiableMap(members));
    }

    /** The id of the view this placement belongs to (0 when alone). */
    public long viewId() {
        return viewId;
    }

    /** Whether keys live on their owners only; if not, every member owns every segment. */
    public boolean partitioning() {
        return partitioning;
    }

    /** The members' node names, in view order. */
    public List<String> memberNames() {
        return List.copyOf(members.keySet());
    }

    /** The address of a member, or {@code null} when it is not in this view. */
    public Address addressOf(String name) {
        return members.get(name);
    }

    /** The owners of every segment for caches with {@code owners} owners. */
    public SegmentOwners owners(int owners) {
        return routes(owners).owners;
    }

    /** Whether this member owns {@code segment} of caches with {@code owners} owners. */
    public boolean owns(int owners, int segment) {
        return routes(owners).mine[segment];
    }

    /**
     * The other owners of a segment, to send a write to: {@code null} when every member owns it (send it to
     * everyone), empty when this member is its only owner.
     */
    public Address[] otherOwners(int owners, int segment) {
        Routes r = routes(owners);
        return r.everyone ? null : r.others[segment];
    }

    /** The owners of a segment in rank order (primary first), this member included if it is one. */
    public List<Address> ownerAddresses(int owners, int segment) {
        Routes r = routes(owners);
        List<String> names = r.owners.of(segment);
        List<Address> addresses = new ArrayList<>(names.size());
        for (String name : names) {
            addresses.add(members.get(name));
        }
        return addresses;
    }

    /** The segments that this member and {@code peer} both own ({@link Segments#COUNT} flags). */
    public boolean[] sharedWith(int owners, String peer) {
        Routes r = routes(owners);
        boolean[] shared = new boolean[Segments.COUNT];
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            shared[segment] = r.mine[segment] && r.owners.of(segment).contains(peer);
        }
        return shared;
    }

    private Routes routes(int owners) {
        // owners 0 (a replicated cache), or a view that is not partitioning: every member owns every segment
        int effective = partitioning && owners > 0 ? Math.min(owners, members.size()) : members.size();
        return routes.computeIfAbsent(effective, this::computeRoutes);
    }

    private Routes computeRoutes(int owners) {
        SegmentOwners placed = SegmentOwners.of(members.keySet(), owners);
        boolean everyone = owners >= members.size();
        boolean[] mine = new boolean[Segments.COUNT];
        Address[][] others = new Address[Segments.COUNT][];
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            List<String> names = placed.of(segment);
            mine[segment] = names.contains(self);
            others[segment] = names.stream().filter(n -> !n.equals(self)).map(members::get).toArray(Address[]::new);
        }
        return new Routes(placed, everyone, mine, others);
    }

    /** The routes of one owner count. */
    private record Routes(SegmentOwners owners, boolean everyone, boolean[] mine, Address[][] others) {
    }

    /** Stands for this member's address when it has none (alone): never sent to, since it is never another owner. */
    private static final Address SELF_ONLY = new org.jgroups.util.UUID(0, 0);
}
