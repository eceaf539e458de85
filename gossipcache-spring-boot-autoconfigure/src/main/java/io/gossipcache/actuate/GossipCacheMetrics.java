package io.gossipcache.actuate;

import io.gossipcache.core.Mode;
import io.gossipcache.core.gossip.GossipStats;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.spring.GossipCacheNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Meters of the node under {@code gossipcache.*}, tagged with {@code cluster}: membership
 * ({@code gossipcache.cluster.members}, {@code .view.changes}, {@code .merges}, {@code .suspicions},
 * {@code gossipcache.mode.clustered}), replication ({@code gossipcache.replication.sent}, {@code .received},
 * {@code .applied}, {@code .stale}, {@code .rejected}, {@code .malformed}, {@code .messages}, {@code .bytes} with
 * {@code direction=sent|received}, {@code .sync.timeouts}, timers {@code .sync.ack} and {@code .lag}, {@code gossipcache.state.entries} with
 * {@code direction}), anti-entropy ({@code gossipcache.gossip.rounds}, {@code .repairs}, {@code .bytes}) and
 * {@code gossipcache.caches.refused} (writes to new caches refused past gossipcache.max-caches).
 */
public class GossipCacheMetrics implements MeterBinder {

    private final GossipCacheNode node;

    public GossipCacheMetrics(GossipCacheNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("cluster", node.clusterName());
        Gauge.builder("gossipcache.cluster.members", node, n -> n.view().size())
                .tags(tags).description("Members in this node's current view (1 when alone or local)")
                .baseUnit("members").register(registry);
        Gauge.builder("gossipcache.mode.clustered", node, n -> n.mode() == Mode.CLUSTERED && n.isRunning() ? 1 : 0)
                .tags(tags).description("1 while this node takes part in the cluster, 0 while local-only or stopped")
                .register(registry);
        counter(registry, "gossipcache.cluster.view.changes", tags, "Membership views installed", node,
                GossipCacheNode::viewChanges);
        counter(registry, "gossipcache.cluster.merges", tags, "Views that healed a partition", node,
                GossipCacheNode::merges);
        counter(registry, "gossipcache.cluster.suspicions", tags, "Members suspected by failure detection", node,
                GossipCacheNode::suspicions);

        ReplicationStats stats = node.replicationStats();
        counter(registry, "gossipcache.replication.sent", tags, "Writes sent to the cluster", stats,
                ReplicationStats::writesSent);
        counter(registry, "gossipcache.replication.messages", tags, "Batched replication messages sent", stats,
                ReplicationStats::messagesSent);
        counter(registry, "gossipcache.replication.received", tags, "Writes received from other members", stats,
                ReplicationStats::writesReceived);
        counter(registry, "gossipcache.replication.applied", tags, "Received writes newer than the local entry", stats,
                ReplicationStats::writesApplied);
        counter(registry, "gossipcache.replication.stale", tags, "Received writes older than the local entry", stats,
                ReplicationStats::writesStale);
        counter(registry, "gossipcache.replication.rejected", tags,
                "Received writes refused: too big, or of a class outside the allow-list", stats,
                ReplicationStats::writesRejected);
        counter(registry, "gossipcache.replication.malformed", tags, "Messages dropped as malformed", stats,
                ReplicationStats::messagesMalformed);
        counter(registry, "gossipcache.caches.refused", tags,
                "Writes from other members to new caches, refused past gossipcache.max-caches", stats,
                ReplicationStats::cachesRefused);
        counter(registry, "gossipcache.replication.sync.timeouts", tags,
                "Synchronous writes not acknowledged in time by some member", stats, ReplicationStats::syncTimeouts);
        FunctionCounter.builder("gossipcache.replication.bytes", stats, s -> s.bytesSent()).tags(tags)
                .tag("direction", "sent").baseUnit("bytes").description("Replication bytes").register(registry);
        FunctionCounter.builder("gossipcache.replication.bytes", stats, s -> s.bytesReceived()).tags(tags)
                .tag("direction", "received").baseUnit("bytes").description("Replication bytes").register(registry);
        FunctionCounter.builder("gossipcache.state.entries", stats, s -> s.stateEntriesSent()).tags(tags)
                .tag("direction", "sent").description("Entries moved by state transfer to joiners").register(registry);
        FunctionCounter.builder("gossipcache.state.entries", stats, s -> s.stateEntriesReceived()).tags(tags)
                .tag("direction", "received").description("Entries moved by state transfer to joiners")
                .register(registry);

        FunctionTimer.builder("gossipcache.replication.sync.ack", stats, ReplicationStats::syncAcks,
                        ReplicationStats::syncAckNanos, TimeUnit.NANOSECONDS).tags(tags)
                .description("Time synchronous writes waited until every member acknowledged").register(registry);
        FunctionTimer.builder("gossipcache.replication.lag", stats, ReplicationStats::lagSamples,
                        ReplicationStats::lagMillisTotal, TimeUnit.MILLISECONDS).tags(tags)
                .description("Time from a write on another member until it was applied here (writer's clock)")
                .register(registry);

        GossipStats gossip = node.antiEntropy();
        counter(registry, "gossipcache.gossip.rounds", tags, "Anti-entropy rounds", gossip, GossipStats::rounds);
        counter(registry, "gossipcache.gossip.repairs", tags, "Entries repaired by anti-entropy", gossip,
                GossipStats::repairs);
        FunctionCounter.builder("gossipcache.gossip.bytes", gossip, g -> g.bytesSent()).tags(tags)
                .baseUnit("bytes").description("Anti-entropy bytes sent").register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, String description, T source,
                                    ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).tags(tags).description(description).register(registry);
    }
}
