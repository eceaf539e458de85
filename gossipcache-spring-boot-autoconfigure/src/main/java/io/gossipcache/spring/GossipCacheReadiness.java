package io.gossipcache.spring;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Mode;
import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Keeps Boot's readiness state at {@link ReadinessState#REFUSING_TRAFFIC} while this node should not take traffic:
 * until it holds the state of the cluster it joined at start, and, in CLUSTERED mode, while it sees fewer members
 * than {@code gossipcache.health.min-members}. Liveness is left alone: a node receiving a large state is alive.
 *
 * <p>Boot declares the application ready ({@code ACCEPTING_TRAFFIC}) once it has started; this component answers
 * that with {@code REFUSING_TRAFFIC} while the node is not ready, and declares {@code ACCEPTING_TRAFFIC} itself
 * once it is. It never overrides a {@code REFUSING_TRAFFIC} that someone else published (a shutting-down
 * application, say). It must hear Boot's events after Boot's {@link ApplicationAvailability} bean records them:
 * it depends on that bean, which therefore is created, and registered as a listener, first.
 *
 * <p>Concurrency: {@link #reconcile()} runs on Boot's thread (availability events), on JGroups threads (view
 * changes), on the thread that completes the state transfer and on the Actuator thread that switches the mode; it
 * decides and publishes under this object's lock, so that two threads cannot publish in the wrong order.
 */
public class GossipCacheReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(GossipCacheReadiness.class);

    private final GossipCacheEngine engine;
    private final int minMembers;
    private final ApplicationEventPublisher publisher;
    private final ApplicationAvailability availability;
    private final CompletableFuture<Void> initialState;
    /** Guarded by this: whether the application itself (Boot, or the user) last declared it accepts traffic. */
    private boolean applicationAccepts;
    /** Guarded by this: why this node last refused traffic, or null once it accepted (for one log line per change). */
    private @Nullable String lastReason;

    public GossipCacheReadiness(GossipCacheEngine engine, GossipCacheNode node, int minMembers,
                                ApplicationEventPublisher publisher, ApplicationAvailability availability) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.minMembers = minMembers;
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.initialState = engine.initialState();
        initialState.whenComplete((ignored, failure) -> reconcile());
        engine.addClusterListener(new ClusterListener() {
            @Override
            public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                    List<ClusterMember> left) {
                reconcile();
            }
        });
        node.addModeListener(this::reconcile);
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getSource() == this) {
            return;
        }
        synchronized (this) {
            applicationAccepts = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
        }
        reconcile();
    }

    /** Why this node should not take traffic now, or {@code null} when it may. */
    public @Nullable String notReadyReason() {
        if (!engine.isRunning()) {
            return null; // stopping: Boot refuses traffic itself
        }
        if (!initialState.isDone()) {
            return "it is receiving the cluster's state";
        }
        int members = engine.view().size();
        if (engine.mode() == Mode.CLUSTERED && members < minMembers) {
            return members + " member(s), fewer than gossipcache.health.min-members=" + minMembers;
        }
        return null;
    }

    synchronized void reconcile() {
        if (!applicationAccepts) {
            return; // not started yet, or shutting down: nothing to hold back or to release
        }
        String reason = notReadyReason();
        ReadinessState target = reason == null ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC;
        if (!Objects.equals(reason, lastReason)) {
            if (reason != null) {
                log.info("Node {} refuses traffic (readiness REFUSING_TRAFFIC): {}", engine.nodeName(), reason);
            } else {
                log.info("Node {} accepts traffic (readiness ACCEPTING_TRAFFIC): it holds the cluster's state, {} member(s)",
                        engine.nodeName(), engine.view().size());
            }
            lastReason = reason;
        }
        if (availability.getReadinessState() != target) {
            AvailabilityChangeEvent.publish(publisher, this, target);
        }
    }
}
