package io.gossipcache.core;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.placement.Placement;
import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.ChunkedSender;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the segments of partitioned caches to their owners when the view changes. A member that owns a segment it
 * does not hold ({@link Partitions}) pulls it from every other member (each answers with what it has, and the
 * newest write of each key wins), and holds it once all have answered; every member announces what it holds; and a
 * member that no longer owns a segment drops it once every one of its owners announced that it holds it, so a
 * segment is never held by fewer than its owners. Writes reach the new owners from the view change on; a member
 * that receives a write for a segment it does not own passes it on to the owners ({@link #forward}), so that a write
 * sent on a view that the writer had not replaced yet is not lost.
 *
 * <p>Concurrency: everything here but {@link #viewChanged} runs on the inbound thread, which owns the pulls and the
 * announcements; a view change hands its work to that thread too.
 */
final class Rebalance {

    private static final Logger log = LoggerFactory.getLogger(Rebalance.class);

    /** Sends writes for a segment this member does not own on to its owners. */
    interface Forwarder {
        void forward(Write write, Address[] owners);
    }

    private final Transport transport;
    private final Partitions partitions;
    private final CacheRegistry caches;
    private final EngineStores stores;
    private final Forwarder forwarder;
    private final Executor inbound;
    private final LongSupplier wallClock;
    private final String node;
    private long pullIds;
    /** The pull under way: its id, view, the members still to answer and what it asks for. */
    private Pull pull;
    /** Announcements by view id, then member id ({@link Placement#idOf}), then owner count. */
    private final Map<Long, Map<String, Map<Integer, boolean[]>>> announced = new HashMap<>();
    /** Per owner count, the segments dropped in the current view (each is dropped once). */
    private final Map<Integer, boolean[]> dropped = new HashMap<>();
    private long droppedView;

    /**
     * @param received per member, the entries received for this pull so far
     * @param expected per member that sent its end, the entries it sent
     */
    private record Pull(long id, long viewId, Set<Address> waiting, Map<Integer, boolean[]> segments, long started,
                        Map<Address, Long> received, Map<Address, Long> expected) {
    }

    Rebalance(Transport transport, Partitions partitions, CacheRegistry caches, EngineStores stores,
              Forwarder forwarder, Executor inbound, LongSupplier wallClockMillis, String node) {
        this.transport = transport;
        this.partitions = partitions;
        this.caches = caches;
        this.stores = stores;
        this.forwarder = forwarder;
        this.inbound = inbound;
        this.wallClock = wallClockMillis;
        this.node = node;
    }

    /** The owner counts of this member's partitioned caches. */
    Set<Integer> ownerCounts() {
        Set<Integer> counts = new TreeSet<>();
        for (ReplicatedCache cache : caches.all()) {
            if (cache.settings().partitioned()) {
                counts.add(cache.settings().owners());
            }
        }
        return counts;
    }

    /** A view was installed (on the view thread; {@code null}: this member left): the placement now, pulls later. */
    void viewChanged(View view) {
        viewChanged(view, 0);
    }

    private void viewChanged(View view, int newOwnerCount) {
        Set<Integer> counts = ownerCounts();
        if (newOwnerCount > 0) {
            counts.add(newOwnerCount);
        }
        Partitions.State state = partitions.install(view, counts);
        if (view == null) {
            return;
        }
        try {
            inbound.execute(() -> start(state));
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    /**
     * A partitioned cache was created. A new owner count holds nothing yet in this view: its segments are pulled like
     * a view's (other members may have caches with this count already).
     */
    void cacheCreated(int owners) {
        if (owners > 0 && !partitions.state().held().containsKey(owners)) {
            viewChanged(transport.currentView(), owners); // the new cache is not in the registry yet
        }
    }

    /** Pulls what this member owns and does not hold, and announces what it holds. */
    private void start(Partitions.State state) {
        if (partitions.state() != state) {
            return; // a newer view came meanwhile: its own task follows
        }
        Placement placement = state.placement();
        Map<Integer, boolean[]> wanted = new HashMap<>();
        for (int owners : state.held().keySet()) {
            boolean[] missing = new boolean[Segments.COUNT];
            boolean any = false;
            for (int s = 0; s < Segments.COUNT; s++) {
                missing[s] = placement.owns(owners, s) && !state.holds(owners, s);
                any |= missing[s];
            }
            if (any) {
                wanted.put(owners, missing);
            }
        }
        pull = null;
        Set<Address> others = new HashSet<>(transport.currentView() == null ? List.of()
                : transport.currentView().getMembers());
        others.remove(transport.self());
        if (!wanted.isEmpty() && !placement.partitioning()) {
            wanted.clear();
        }
        if (!wanted.isEmpty()) {
            if (others.isEmpty()) {
                wanted.forEach((owners, segments) -> partitions.held(placement.viewId(), owners, segments));
            } else {
                pull = new Pull(++pullIds, placement.viewId(), others, wanted, wallClock.getAsLong(), new HashMap<>(),
                        new HashMap<>());
                byte[] payload = encode(new Message.SegmentPull(pull.id(), sets(wanted)));
                log.debug("Node {} pulls {} segment(s) from {} member(s)", node, count(wanted), others.size());
                for (Address other : others) {
                    send(other, payload);
                }
            }
        }
        announce();
        dropWhereHeld();
    }

    /** Another member pulls segments: everything this member has in them, then the end. */
    void onPull(Address source, Message.SegmentPull request) {
        long[] sent = {0};
        ChunkedSender entries = new ChunkedSender(batch -> {
            sent[0] += batch.size();
            send(source, encode(new Message.SegmentEntries(request.id(), batch)));
        });
        for (Message.SegmentSet set : request.segments()) {
            boolean[] segments = flags(set.bits());
            for (ReplicatedCache cache : caches.all()) {
                if (cache.settings().owners() != set.owners()) {
                    continue;
                }
                Version cleared = cache.store().clearVersion();
                if (!cleared.equals(Version.ZERO)) { // first: older entries from elsewhere are refused there
                    entries.accept(Write.clear(cache.name(), cleared.timestamp(), cleared.node()));
                }
                cache.store().forEachClustered(hash -> segments[Segments.of(hash)], (key, entry) -> {
                    Write write = stores.encode(cache.name(), key, entry);
                    if (write != null) {
                        entries.accept(write);
                    }
                });
            }
        }
        entries.flush();
        send(source, encode(new Message.SegmentDone(request.id(), sent[0])));
    }

    /** Entries of a member's answer to this member's pull (applied by the caller). */
    void onEntries(Address source, Message.SegmentEntries entries) {
        Pull current = pull;
        if (current != null && current.id() == entries.id()) {
            current.received().merge(source, (long) entries.writes().size(), Long::sum);
            complete(current, source);
        }
    }

    /** The end of a member's answer to this member's pull. */
    void onDone(Address source, Message.SegmentDone done) {
        Pull current = pull;
        if (current == null || current.id() != done.id()) {
            return;
        }
        current.expected().put(source, done.entries());
        complete(current, source);
    }

    /** A member's answer is complete once its end and all the entries it announced are here. */
    private void complete(Pull current, Address source) {
        Long expected = current.expected().get(source);
        if (expected == null || current.received().getOrDefault(source, 0L) < expected) {
            return;
        }
        current.waiting().remove(source);
        if (current.waiting().isEmpty()) {
            pull = null;
            current.segments().forEach((owners, segments) -> partitions.held(current.viewId(), owners, segments));
            log.info("Node {} holds the {} segment(s) of partitioned caches it now owns, pulled from every member in {}"
                    + " ms", node, count(current.segments()), wallClock.getAsLong() - current.started());
            announce();
            dropWhereHeld();
        }
    }

    /** A member announced what it holds. */
    void onHeld(Address source, Message.SegmentsHeld held) {
        Map<Integer, boolean[]> sets = new HashMap<>();
        held.segments().forEach(set -> sets.put(set.owners(), flags(set.bits())));
        announced.computeIfAbsent(held.id(), v -> new HashMap<>()).put(Placement.idOf(source), sets);
        dropWhereHeld();
    }

    /**
     * Passes received writes of partitioned caches on where the sender may have missed an owner: writes for segments
     * this member does not own go to their owners (the sender chose them on another view), and, when the sender chose
     * the owners on another view than this member's ({@code viewId}), writes for segments it owns go to the other
     * owners too (a new owner the sender did not know yet). They are applied here as well, which is harmless: this
     * member drops a segment it does not own, or still answers pulls from it. Duplicates are idempotent.
     *
     * @param viewId the view the sender chose the owners in, or -1 when it did not say (a replicated write)
     */
    void forwardNotOwned(List<Write> writes, long viewId) {
        Placement placement = partitions.placement();
        if (!placement.partitioning()) {
            return;
        }
        boolean otherView = viewId >= 0 && viewId != placement.viewId();
        for (Write write : writes) {
            if (write.kind() == Write.Kind.CLEAR) {
                continue;
            }
            int owners = stores.owners(write.cache());
            if (owners <= 0) {
                continue;
            }
            int segment = Segments.of(io.gossipcache.core.store.KeyHash.of(write.keyArray(), write.keyOffset(),
                    write.keyLength()));
            if (otherView || !placement.owns(owners, segment)) {
                Address[] to = placement.otherOwners(owners, segment);
                if (to != null && to.length > 0) {
                    forwarder.forward(write, to);
                }
            }
        }
    }

    /**
     * Pushes this member's entries of partitioned caches to their owners (after a return from LOCAL mode: what it
     * wrote meanwhile reaches them; the newest write of each key wins there).
     */
    void pushToOwners() {
        Placement placement = partitions.placement();
        if (!placement.partitioning()) {
            return;
        }
        for (ReplicatedCache cache : caches.all()) {
            int owners = cache.settings().owners();
            if (owners > 0) {
                pushTo(placement, cache, owners, hash -> true);
            }
        }
    }

    /** Sends the cache's entries whose key hash matches to their owners (but this member). */
    private void pushTo(Placement placement, ReplicatedCache cache, int owners, java.util.function.LongPredicate keys) {
        cache.store().forEachClustered(keys, (key, entry) -> {
            Write write = stores.encode(cache.name(), key, entry);
            if (write != null) {
                int segment = Segments.of(io.gossipcache.core.store.KeyHash.of(write.keyArray(), write.keyOffset(),
                        write.keyLength()));
                Address[] to = placement.otherOwners(owners, segment);
                if (to != null && to.length > 0) {
                    forwarder.forward(write, to);
                }
            }
        });
    }

    private void announce() {
        Partitions.State state = partitions.state();
        List<Message.SegmentSet> sets = new ArrayList<>();
        state.held().forEach((owners, bits) -> sets.add(new Message.SegmentSet(owners, words(bits))));
        if (sets.isEmpty() || transport.currentView() == null) {
            return;
        }
        announced.computeIfAbsent(state.placement().viewId(), v -> new HashMap<>())
                .put(Placement.idOf(transport.self()), state.held());
        send(null, encode(new Message.SegmentsHeld(state.placement().viewId(), sets)));
    }

    /** Drops the segments this member does not own once all their owners announced that they hold them. */
    private void dropWhereHeld() {
        Placement placement = partitions.placement();
        long viewId = placement.viewId();
        announced.keySet().removeIf(id -> id < viewId);
        if (!placement.partitioning()) {
            return;
        }
        if (droppedView != viewId) {
            dropped.clear();
            droppedView = viewId;
        }
        Map<String, Map<Integer, boolean[]>> byMember = announced.getOrDefault(viewId, Map.of());
        for (int owners : ownerCounts()) {
            boolean[] done = dropped.computeIfAbsent(owners, n -> new boolean[Segments.COUNT]);
            boolean[] drop = new boolean[Segments.COUNT];
            int count = 0;
            for (int s = 0; s < Segments.COUNT; s++) {
                if (done[s] || placement.owns(owners, s)) {
                    continue;
                }
                boolean allHold = true;
                for (String owner : placement.owners(owners).of(s)) {
                    boolean[] theirs = byMember.getOrDefault(owner, Map.of()).get(owners);
                    if (theirs == null || !theirs[s]) {
                        allHold = false;
                        break;
                    }
                }
                if (allHold) {
                    drop[s] = true;
                    done[s] = true;
                    count++;
                }
            }
            if (count > 0) {
                int removed = 0;
                for (ReplicatedCache cache : caches.all()) {
                    if (cache.settings().owners() == owners) {
                        // first to the owners: a write applied here while they pulled may not be in what they got
                        pushTo(placement, cache, owners, hash -> drop[Segments.of(hash)]);
                        removed += cache.store().dropKeys(hash -> drop[Segments.of(hash)]);
                    }
                }
                log.debug("Node {} dropped {} entries of {} segment(s) it no longer owns", node, removed, count);
            }
        }
    }

    private byte[] encode(Message message) {
        return WireFormat.encode(message, wallClock.getAsLong(), transport.protocolFor(null));
    }

    private void send(Address destination, byte[] payload) {
        try {
            transport.send(destination, payload);
        } catch (Exception e) {
            log.debug("Rebalance message to {} failed: {}", destination == null ? "all" : transport.nameOf(destination),
                    e.toString());
        }
    }

    private static List<Message.SegmentSet> sets(Map<Integer, boolean[]> segments) {
        List<Message.SegmentSet> sets = new ArrayList<>();
        segments.forEach((owners, bits) -> sets.add(new Message.SegmentSet(owners, words(bits))));
        return sets;
    }

    private static long[] words(boolean[] bits) {
        long[] words = new long[Message.SegmentSet.WORDS];
        for (int s = 0; s < bits.length; s++) {
            if (bits[s]) {
                words[s / 64] |= 1L << (s % 64);
            }
        }
        return words;
    }

    private static boolean[] flags(long[] words) {
        boolean[] bits = new boolean[Segments.COUNT];
        for (int s = 0; s < bits.length; s++) {
            bits[s] = (words[s / 64] & (1L << (s % 64))) != 0;
        }
        return bits;
    }

    private static int count(Map<Integer, boolean[]> segments) {
        int n = 0;
        for (boolean[] bits : segments.values()) {
            for (boolean b : bits) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }
}
