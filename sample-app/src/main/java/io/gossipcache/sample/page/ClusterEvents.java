package io.gossipcache.sample.page;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.spring.GossipCacheNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The last cluster events this node saw, for the cluster page: joins, leaves, suspicions, healed partitions and this
 * node's mode switches. Concurrency: recorded on JGroups' and the switching thread, read by request threads; the
 * ring is guarded by itself.
 */
@Component
public class ClusterEvents {

    /**
     * One event: when, its kind ({@code join}, {@code leave}, {@code suspect}, {@code merge}, {@code mode}), and what
     * happened, in a line.
     */
    public record Event(Instant time, String kind, String text) {
    }

    static final int KEPT = 50;

    private final Deque<Event> events = new ArrayDeque<>(); // guarded by itself

    public ClusterEvents(GossipCacheEngine engine, GossipCacheNode node) {
        engine.addClusterListener(new ClusterListener() {
            @Override
            public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                    List<ClusterMember> left) {
                if (current.merged()) {
                    add("merge", "partition healed: one view of " + current.size() + " members");
                }
                joined.stream().filter(m -> !m.self()).forEach(m -> add("join", m.name() + " joined"));
                left.stream().filter(m -> !m.self()).forEach(m -> add("leave", m.name() + " left"));
            }

            @Override
            public void memberSuspected(ClusterMember member) {
                add("suspect", member.name() + " suspected: failed, leaving the view");
            }
        });
        node.addModeListener(() -> add("mode", node.nodeName() + " switched to " + node.mode()));
    }

    void add(String kind, String text) {
        synchronized (events) {
            events.addFirst(new Event(Instant.now(), kind, text));
            while (events.size() > KEPT) {
                events.removeLast();
            }
        }
    }

    /** The kept events, newest first. */
    public List<Event> latest() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }
}
