package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.gossip.AntiEntropy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this member together with a side it was apart from: when a partition heals (a merge view), it reconciles at
 * once with the members of the other side(s); if a side was apart from this member's data longer than the tombstone
 * retention, this member first drops its entries older than the retention, as the other side may have deleted them
 * and forgotten the delete. To know how long, it keeps the departures: when each member that left (and has not come
 * back) was last in this member's view, or in the view of the member this one took its state from.
 *
 * <p>Concurrency: departures are a concurrent map, written by the view-change callback and read on the maintenance
 * and anti-entropy threads. Healed partitions are queued in arrival order and processed under {@code healLock}, by the
 * maintenance thread or by the anti-entropy thread before it handles anything, so that no entries are exchanged with
 * the other side before the old ones are dropped.
 */
final class PartitionHealer {

    private static final Logger log = LoggerFactory.getLogger(PartitionHealer.class);

    /** Departures kept at most: past it the longest-gone are forgotten (most likely replaced, never to return). */
    static final int MAX_DEPARTURES = 1_024;
    /** The longest node name a state transfer carries (the wire's limit). */
    private static final int MAX_NAME_BYTES = 1024;

    private final Transport transport;
    private final CacheRegistry caches;
    private final AntiEntropy antiEntropy;
    private final Duration retention;
    private final String nodeName;
    private final LongSupplier wallClock;
    private final Map<String, Long> lostAt = new ConcurrentHashMap<>();
    private final Queue<Runnable> pendingHeals = new ConcurrentLinkedQueue<>();
    private final Object healLock = new Object();

    PartitionHealer(Transport transport, CacheRegistry caches, AntiEntropy antiEntropy, Duration retention,
                    String nodeName, LongSupplier wallClockMillis) {
        this.transport = transport;
        this.caches = caches;
        this.antiEntropy = antiEntropy;
        this.retention = retention;
        this.nodeName = nodeName;
        this.wallClock = wallClockMillis;
    }

    /**
     * A new view: members that left are departed now; a merge view is queued as a heal (the caller has it run by
     * {@link #runPendingHeals()}); a plain join is a new start, which receives state, so its departure is forgotten.
     *
     * @return whether a heal was queued
     */
    boolean viewChanged(View view, List<ClusterMember> joined, List<ClusterMember> left) {
        long now = wallClock.getAsLong();
        left.forEach(m -> departed(m.name(), now));
        if (view instanceof MergeView merge) {
            pendingHeals.add(() -> heal(merge, joined));
            return true;
        }
        joined.forEach(m -> lostAt.remove(m.name()));
        return false;
    }

    /** This member leaves the cluster (LOCAL mode): no view tells of it, so every other member departs now. */
    void leaving(long atMillis) {
        View view = transport.currentView();
        if (view != null) {
            view.getMembers().stream().map(transport::nameOf).filter(name -> !name.equals(nodeName))
                    .forEach(name -> departed(name, atMillis));
        }
    }

    /** Takes over a state provider's departures (how many ms ago each left), but for members in this member's view. */
    void learnDepartures(Map<String, Long> agoMillis) {
        long now = wallClock.getAsLong();
        Set<String> present = new HashSet<>();
        View view = transport.currentView();
        if (view != null) {
            view.getMembers().forEach(a -> present.add(transport.nameOf(a)));
        }
        agoMillis.forEach((name, ago) -> {
            if (!present.contains(name)) {
                departed(name, now - ago);
            }
        });
    }

    /** The departures as a state provider hands them to a joiner: how many ms ago each member left. */
    Map<String, Long> departuresAgo() {
        long now = wallClock.getAsLong();
        Map<String, Long> ago = new HashMap<>();
        lostAt.forEach((name, since) -> {
            if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
                ago.put(name, Math.max(0, now - since));
            }
        });
        return ago;
    }

    /**
     * Processes the healed partitions whose merge views have arrived, in order. Anti-entropy calls this first, so that
     * this member drops its entries older than the retention (after a long separation) before it exchanges entries
     * with the other side: answered before, it handed back entries whose deletes the other side had forgotten
     * (AntiEntropyClusterTest's retention test failed 4 runs in 7 once the timing shifted).
     */
    void runPendingHeals() {
        synchronized (healLock) {
            Runnable heal;
            while ((heal = pendingHeals.poll()) != null) {
                heal.run();
            }
        }
    }

    /** Drops every entry older than the tombstone retention; how many. */
    int dropOlderThanRetention() {
        long horizon = antiEntropy.horizon(wallClock.getAsLong());
        int dropped = 0;
        for (ReplicatedCache cache : caches.all()) {
            dropped += cache.store().dropOlderThan(horizon);
        }
        return dropped;
    }

    /** Records that a member left this member's view at {@code atMillis}, unless an earlier departure is known. */
    private void departed(String name, long atMillis) {
        lostAt.merge(name, atMillis, Math::min);
        if (lostAt.size() > MAX_DEPARTURES) {
            lostAt.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> lostAt.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /**
     * How long a side was apart is the longest that any of its members this member knows of was gone; members it
     * never saw leave (started on the other side meanwhile) are judged by their side's other members, and a side of
     * none it knows is assumed apart for ever.
     */
    private void heal(MergeView merge, List<ClusterMember> rejoined) {
        Address self = transport.self();
        long now = wallClock.getAsLong();
        long longestAway = 0;
        List<Address> otherSide = new ArrayList<>();
        for (View subgroup : merge.getSubgroups()) {
            if (subgroup.containsMember(self)) {
                continue;
            }
            long sideAway = -1; // none of its members known
            for (Address member : subgroup.getMembers()) {
                otherSide.add(member);
                Long since = lostAt.remove(transport.nameOf(member));
                if (since != null) {
                    sideAway = Math.max(sideAway, now - since);
                }
            }
            longestAway = Math.max(longestAway, sideAway < 0 ? Long.MAX_VALUE : sideAway);
        }
        rejoined.forEach(m -> lostAt.remove(m.name()));
        if (longestAway > retention.toMillis()) {
            int dropped = dropOlderThanRetention();
            String apart = longestAway == Long.MAX_VALUE ? "for an unknown time" : "for " + longestAway / 1000 + " s";
            log.info("Node {}: the healed side was apart {}, longer than the tombstone retention ({}); dropped {}"
                    + " entries older than it", nodeName, apart, retention, dropped);
        }
        log.info("Node {} reconciling with {} member(s) of the healed partition", nodeName, otherSide.size());
        antiEntropy.reconcileWith(otherSide);
    }
}
