package io.gossipcache.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Placement by rendezvous hashing (issue 24): the same owners from the same members on every member, balanced, and a
 * join or a leave moves only what it must. Randomized over member sets; the seed is printed.
 */
class SegmentOwnersTest {

    private static List<String> members(int count, Random random) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("pod-" + Integer.toHexString(random.nextInt()) + ":" + (8080 + i));
        }
        return names;
    }

    /**
     * The bounds of a member's share of the segments: a segment picks each member with chance owners/members, as a
     * fair coin would, so a share is binomial; six standard deviations either side of the fair share (a false alarm
     * about once in 500 million checks), which still catches a placement that favours some members.
     */
    private static double low(int owners, int members) {
        double p = Math.min(1.0, (double) owners / members);
        return Segments.COUNT * p - 6 * Math.sqrt(Segments.COUNT * p * (1 - p));
    }

    private static double high(int owners, int members) {
        double p = Math.min(1.0, (double) owners / members);
        return Segments.COUNT * p + 6 * Math.sqrt(Segments.COUNT * p * (1 - p));
    }

    @Test
    void everyMemberComputesTheSameOwnersFromTheSameMembersInAnyOrder() {
        List<String> names = List.of("c:8083", "a:8081", "b:8082", "d:8084");
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.add("a:8081"); // a duplicate counts once
        SegmentOwners one = SegmentOwners.of(names, 2);
        SegmentOwners other = SegmentOwners.of(shuffled, 2);
        for (int segment = 0; segment < Segments.COUNT; segment++) {
            assertThat(other.of(segment)).isEqualTo(one.of(segment)).hasSize(2).doesNotHaveDuplicates();
            assertThat(one.primary(segment)).isEqualTo(one.of(segment).get(0));
        }
        assertThat(one.members()).containsExactly("a:8081", "b:8082", "c:8083", "d:8084");
    }

    @Test
    void fewerMembersThanOwnersOwnEverythingAndNoMembersOwnNothing() {
        SegmentOwners two = SegmentOwners.of(List.of("a", "b"), 3);
        assertThat(two.ownedBy("a")).hasSize(Segments.COUNT);
        assertThat(two.of(5)).containsExactlyInAnyOrder("a", "b");
        SegmentOwners none = SegmentOwners.of(List.of(), 2);
        assertThat(none.of(0)).isEmpty();
        assertThat(none.primary(0)).isNull();
        assertThatThrownBy(() -> SegmentOwners.of(List.of("a"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentsAreSpreadEvenlyAndPrimariesToo() {
        long seed = new Random().nextLong();
        System.out.println("SegmentOwnersTest balance seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            int count = 3 + random.nextInt(6);
            int owners = 1 + random.nextInt(3);
            List<String> names = members(count, random);
            SegmentOwners placement = SegmentOwners.of(names, owners);
            for (String member : names) {
                assertThat((double) placement.ownedBy(member).size()).as("seed %d, %s of %s, owners %d", seed,
                        member, names, owners).isBetween(low(owners, count), high(owners, count));
                long primaries = IntStream.range(0, Segments.COUNT).filter(s -> member.equals(placement.primary(s)))
                        .count();
                assertThat((double) primaries).as("seed %d: primaries of %s", seed, member)
                        .isBetween(low(1, count), high(1, count));
            }
        }
    }

    @Test
    void aJoinMovesOnlySegmentsToTheJoinerAndALeaveOnlyTheLeaversSegments() {
        long seed = new Random().nextLong();
        System.out.println("SegmentOwnersTest movement seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 30; round++) {
            int owners = 1 + random.nextInt(3);
            List<String> before = members(2 + random.nextInt(6), random);
            String joiner = "joiner-" + round;
            List<String> after = new ArrayList<>(before);
            after.add(joiner);
            SegmentOwners old = SegmentOwners.of(before, owners);
            SegmentOwners now = SegmentOwners.of(after, owners);
            for (int segment = 0; segment < Segments.COUNT; segment++) {
                Set<String> was = new HashSet<>(old.of(segment));
                Set<String> is = new HashSet<>(now.of(segment));
                Set<String> gained = new HashSet<>(is);
                gained.removeAll(was);
                assertThat(gained).as("seed %d, segment %d: only the joiner gains", seed, segment)
                        .isSubsetOf(Set.of(joiner));
                Set<String> lost = new HashSet<>(was);
                lost.removeAll(is);
                assertThat(lost.size()).as("seed %d, segment %d: at most the one it replaces", seed, segment)
                        .isLessThanOrEqualTo(gained.size());
            }
            // what it took is about its fair share, no more
            int holders = Math.min(owners, after.size());
            assertThat((double) now.ownedBy(joiner).size()).as("seed %d", seed)
                    .isBetween(low(holders, after.size()), high(holders, after.size()));

            // and the same member leaving again moves exactly the segments it held back
            assertThat(old.changedSince(now)).as("seed %d", seed).isEqualTo(now.ownedBy(joiner));
            String leaver = before.get(random.nextInt(before.size()));
            List<String> without = new ArrayList<>(after);
            without.remove(leaver);
            SegmentOwners gone = SegmentOwners.of(without, owners);
            assertThat(gone.changedSince(now)).as("seed %d: what changes is what the leaver owned", seed)
                    .isEqualTo(now.ownedBy(leaver));
        }
    }

    @Test
    void aKeysSegmentIsTheSameOnEveryMemberAndContainsItsAntiEntropyBucket() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            byte[] key = ("key-" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            long hash = KeyHash.of(key);
            int segment = Segments.of(hash);
            assertThat(segment).isBetween(0, Segments.COUNT - 1).isEqualTo(Segments.of(KeyHash.of(key.clone())));
            for (int buckets : new int[] {Segments.COUNT, 4 * Segments.COUNT, 1 << 16}) {
                assertThat(CacheStore.bucketOf(hash, buckets) % Segments.COUNT).isEqualTo(segment);
            }
        }
    }
}
