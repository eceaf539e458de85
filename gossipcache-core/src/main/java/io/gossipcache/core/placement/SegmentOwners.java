package io.gossipcache.core.placement;

import io.gossipcache.core.store.KeyHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The owners of every segment for one set of members, by rendezvous (highest random weight) hashing: a segment's
 * owners are the {@code owners} members with the highest weight {@code mix(hash(member) ^ hash(segment))}, the first
 * of them its primary. It depends on the members' ids alone ({@link Placement} uses each member's UUID as every member
 * reads it from the view), so every member computes the same owners from the same view, with no table to agree on;
 * and a change of the members
 * moves only what it must: a member that joins takes a segment only where it outranks one of its owners (whom it
 * replaces), a member that leaves gives each of its segments to the next in rank. Immutable.
 */
public final class SegmentOwners {

    private static final long SEGMENT_SALT = 0x9E3779B97F4A7C15L;

    private final List<String> members;
    private final int owners;
    private final String[][] bySegment;

    private SegmentOwners(List<String> members, int owners, String[][] bySegment) {
        this.members = members;
        this.owners = owners;
        this.bySegment = bySegment;
    }

    /**
     * The owners of every segment among {@code memberNames} (duplicates count once; the order does not matter).
     *
     * @param owners how many owners a segment has (fewer when there are fewer members), at least 1
     */
    public static SegmentOwners of(Collection<String> memberNames, int owners) {
        if (owners < 1) {
            throw new IllegalArgumentException("owners must be at least 1, not " + owners);
        }
        List<String> members = List.copyOf(new TreeSet<>(memberNames));
        long[] memberHashes = new long[members.size()];
        for (int m = 0; m < members.size(); m++) {
            memberHashes[m] = KeyHash.of(members.get(m).getBytes(StandardCharsets.UTF_8));
        }
        int count = Math.min(owners, members.size());
        String[][] bySegment = new String[Segments.COUNT][];
        Integer[] order = new Integer[members.size()];
        long[] weights = new long[members.size()];
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            long segmentHash = KeyHash.mix(segment * SEGMENT_SALT + SEGMENT_SALT);
            for (int m = 0; m < members.size(); m++) {
                order[m] = m;
                weights[m] = KeyHash.mix(memberHashes[m] ^ segmentHash);
            }
            // highest weight first; a tie (not expected of 64-bit weights) by name, so it is decided alike everywhere
            Arrays.sort(order, (a, b) -> weights[a] != weights[b] ? Long.compare(weights[b], weights[a])
                    : members.get(a).compareTo(members.get(b)));
            String[] ranked = new String[count];
            for (int i = 0; i < count; i++) {
                ranked[i] = members.get(order[i]);
            }
            bySegment[segment] = ranked;
        }
        return new SegmentOwners(members, owners, bySegment);
    }

    /** The members, in name order. */
    public List<String> members() {
        return members;
    }

    /** How many owners a segment has when there are enough members. */
    public int owners() {
        return owners;
    }

    /** The segment's owners, primary first. Empty when there are no members. */
    public List<String> of(int segment) {
        return Collections.unmodifiableList(Arrays.asList(bySegment[Objects.checkIndex(segment, Segments.COUNT)]));
    }

    /** The segment's primary owner, or {@code null} when there are no members. */
    public String primary(int segment) {
        String[] ranked = bySegment[Objects.checkIndex(segment, Segments.COUNT)];
        return ranked.length == 0 ? null : ranked[0];
    }

    /** Whether {@code member} is one of the segment's owners. */
    public boolean owns(String member, int segment) {
        for (String owner : bySegment[Objects.checkIndex(segment, Segments.COUNT)]) {
            if (owner.equals(member)) {
                return true;
            }
        }
        return false;
    }

    /** The segments {@code member} owns, in order. */
    public List<Integer> ownedBy(String member) {
        List<Integer> owned = new ArrayList<>();
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            if (owns(member, segment)) {
                owned.add(segment);
            }
        }
        return owned;
    }

    /** The segments whose owners (as a set) differ from those in {@code previous}. */
    public List<Integer> changedSince(SegmentOwners previous) {
        List<Integer> changed = new ArrayList<>();
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            if (!new TreeSet<>(of(segment)).equals(new TreeSet<>(previous.of(segment)))) {
                changed.add(segment);
            }
        }
        return changed;
    }
}
