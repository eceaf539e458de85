package io.gossipcache.core.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * Where the keys of partitioned caches live in one view: for each owner count, every segment's owners (see
 * {@link SegmentOwners}) and their addresses. A member is known here by its address's UUID ({@link #idOf}), which
 * every member reads from the view itself: a node name may not be known yet on every member when the view that
 * brings the member in is installed, and one placement computed from different names would not be everyone's. (A
 * name's stability across restarts would buy nothing: a restarted member holds nothing.) Made once per view, when it is installed, and read on every write and
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
    /** Every member by id, in view order. */
    private final Map<String, Address> members;
    private final Map<Integer, Routes> routes = new ConcurrentHashMap<>();

    private Placement(long viewId, String self, boolean partitioning, Map<String, Address> members) {
        this.viewId = viewId;
        this.self = self;
        this.partitioning = partitioning;
        this.members = members;
    }

    /** This member on its own (not in a cluster, or in LOCAL mode): it owns everything. */
    public static Placement alone() {
        return new Placement(-1, ALONE, false, Map.of(ALONE, SELF_ONLY));
    }

    /**
     * The placement of a view.
     *
     * @param self         this member's address (a member of {@code view}, or not: a merge's other subgroup)
     * @param partitioning whether every member speaks the protocol of partitioned caches
     */
    public static Placement of(View view, Address self, boolean partitioning) {
        Map<String, Address> members = new LinkedHashMap<>();
        for (Address member : view.getMembers()) {
            members.put(idOf(member), member);
        }
        // self is in its own view; a merge's other subgroups (previous placements) do not hold it, and must not
        String selfId = self == null ? ALONE : idOf(self);
        return new Placement(view.getViewId().getId(), selfId, partitioning, Collections.unmodifiableMap(members));
    }

    /** A member's id in a placement: its UUID, as every member reads it from the view. */
    public static String idOf(Address member) {
        return member instanceof org.jgroups.util.UUID uuid ? uuid.toStringLong() : String.valueOf(member);
    }

    /** Whether this member is on its own (see {@link #alone()}). */
    public boolean isAlone() {
        return viewId < 0;
    }

    /** The id of the view this placement belongs to (-1 when alone). */
    public long viewId() {
        return viewId;
    }

    /** Whether keys live on their owners only; if not, every member owns every segment. */
    public boolean partitioning() {
        return partitioning;
    }

    /** Whether a member is in this placement's view. */
    public boolean contains(Address member) {
        return members.containsKey(idOf(member));
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
    public boolean[] sharedWith(int owners, Address peer) {
        Routes r = routes(owners);
        String id = idOf(peer);
        boolean[] shared = new boolean[Segments.COUNT];
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            shared[segment] = r.mine[segment] && r.owners.of(segment).contains(id);
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
    private static final String ALONE = "alone";
}
