package io.gossipcache.spring;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Mode;
import io.gossipcache.core.Ownership;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.core.gossip.GossipStats;
import io.gossipcache.core.replication.ReplicationStats;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A small, read-mostly view of this node for operators (Actuator endpoint, health, metrics): membership,
 * mode, cache sizes and counters. It records the membership events that the engine does not keep (view changes,
 * merges, suspicions). The only write is {@link #switchMode(Mode)}.
 */
public class GossipCacheNode {

    private final GossipCacheEngine engine;
    private final LongAdder viewChanges = new LongAdder();
    private final LongAdder merges = new LongAdder();
    private final LongAdder suspicions = new LongAdder();
    private final AtomicReference<@Nullable Instant> lastMerge = new AtomicReference<>();
    private final AtomicReference<@Nullable Instant> lastViewChange = new AtomicReference<>();
    private final List<Runnable> modeListeners = new CopyOnWriteArrayList<>();

    public GossipCacheNode(GossipCacheEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        engine.addClusterListener(new ClusterListener() {
            @Override
            public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                    List<ClusterMember> left) {
                viewChanges.increment();
                Instant now = Instant.now();
                lastViewChange.set(now);
                if (current.merged()) {
                    merges.increment();
                    lastMerge.set(now);
                }
            }

            @Override
            public void memberSuspected(ClusterMember member) {
                suspicions.increment();
            }
        });
    }

    public String nodeName() {
        return engine.nodeName();
    }

    public String clusterName() {
        return engine.clusterName();
    }

    public Mode mode() {
        return engine.mode();
    }

    /** Whether the engine has started and not stopped. */
    public boolean isRunning() {
        return engine.isRunning();
    }

    public ClusterView view() {
        return engine.view();
    }

    /** The gossipcache protocol this node speaks, {@code major.minor}. */
    public String protocol() {
        return engine.protocol().toString();
    }

    /** The protocol this node writes in: the lowest among the members (a rolling upgrade in progress shows here). */
    public String writeProtocol() {
        return engine.writeProtocol().toString();
    }

    /** Why the cluster refuses this node (it speaks another protocol major), or {@code null}. */
    public @Nullable String refusal() {
        return engine.refusal().orElse(null);
    }

    /** Live entries per cache on this node, by cache name. */
    public Map<String, Long> cacheSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String name : engine.cacheNames()) {
            engine.existingCache(name).map(ReplicatedCache::size).ifPresent(size -> sizes.put(name, size));
        }
        return sizes;
    }

    /**
     * What this node holds of each partitioned cache, by cache name (replicated caches are not in it): owners per
     * key, segments owned and held.
     */
    public Map<String, Ownership> cacheOwnership() {
        Map<String, Ownership> owned = new LinkedHashMap<>();
        for (String name : engine.cacheNames()) {
            engine.existingCache(name).flatMap(ReplicatedCache::ownership).ifPresent(o -> owned.put(name, o));
        }
        return owned;
    }

    /** Switches this node between the cluster and local-only operation. */
    public void switchMode(Mode mode) {
        engine.switchMode(mode);
        modeListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every {@link #switchMode(Mode) mode switch}, on the switching thread. */
    public void addModeListener(Runnable listener) {
        modeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public ReplicationStats replicationStats() {
        return engine.stats();
    }

    public GossipStats antiEntropy() {
        return engine.antiEntropy();
    }

    /** View changes seen since start-up. */
    public long viewChanges() {
        return viewChanges.sum();
    }

    /** Views that healed a partition. */
    public long merges() {
        return merges.sum();
    }

    /** Members suspected by failure detection. */
    public long suspicions() {
        return suspicions.sum();
    }

    /** When the last view that healed a partition was installed, or {@code null}. */
    public @Nullable Instant lastMerge() {
        return lastMerge.get();
    }

    /** When the last view was installed, or {@code null}. */
    public @Nullable Instant lastViewChange() {
        return lastViewChange.get();
    }
}
