package io.gossipcache.actuate;

import io.gossipcache.core.Mode;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.spring.GossipCacheNode;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code gossipCache} health component. Details: {@code mode}, {@code members} (count), {@code memberNames},
 * {@code coordinator}, {@code viewId}, {@code minMembers}, {@code rejectedWrites} (writes from other members this
 * member refused: too big, or a class outside gossipcache.serialization.allowed-packages), {@code protocol} (what this
 * member speaks), {@code writesProtocol} (the lowest of the members: what everyone writes), {@code memberProtocols}
 * (by member name) and, once a partition has healed, {@code lastMerge}.
 *
 * <ul>
 * <li>engine not running (not started yet, or stopped): DOWN;</li>
 * <li>refused by the cluster (this member speaks another protocol major; it serves nothing and tries again): DOWN,
 * with the cluster's reason;</li>
 * <li>mode LOCAL: UP, with mode LOCAL. It is an operator's deliberate choice and the node serves requests as a
 * local cache, so it must not be taken out of a load balancer for it; min-members does not apply;</li>
 * <li>mode CLUSTERED with fewer members than {@code gossipcache.health.min-members}: OUT_OF_SERVICE (so that a
 * readiness group can hold traffic back until the cluster has formed), else UP.</li>
 * </ul>
 */
public class GossipCacheHealthIndicator extends AbstractHealthIndicator {

    private final GossipCacheNode node;
    private final int minMembers;

    public GossipCacheHealthIndicator(GossipCacheNode node, int minMembers) {
        super("gossipcache health check failed");
        this.node = Objects.requireNonNull(node, "node");
        this.minMembers = minMembers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ClusterView view = node.view();
        Mode mode = node.mode();
        builder.withDetail("mode", mode.name())
                .withDetail("members", view.size())
                .withDetail("memberNames", view.members().stream().map(ClusterMember::name).toList())
                .withDetail("viewId", view.viewId())
                .withDetail("minMembers", minMembers)
                .withDetail("rejectedWrites", node.replicationStats().writesRejected())
                .withDetail("protocol", node.protocol())
                .withDetail("writesProtocol", node.writeProtocol())
                .withDetail("memberProtocols", view.members().stream()
                        .collect(Collectors.toMap(ClusterMember::name, ClusterMember::protocol, (x, y) -> x,
                                TreeMap::new)));
        if (view.coordinator() != null) {
            builder.withDetail("coordinator", view.coordinator().name());
        }
        Instant lastMerge = node.lastMerge();
        if (lastMerge != null) {
            builder.withDetail("lastMerge", lastMerge.toString());
        }
        String refusal = node.refusal();
        if (!node.isRunning()) {
            builder.down().withDetail("reason", "the gossipcache engine is not running");
        } else if (refusal != null) {
            builder.down().withDetail("reason", "refused by the cluster: " + refusal);
        } else if (mode == Mode.LOCAL) {
            builder.up();
        } else if (view.size() < minMembers) {
            builder.outOfService().withDetail("reason",
                    view.size() + " member(s), fewer than gossipcache.health.min-members=" + minMembers);
        } else {
            builder.up();
        }
    }
}
