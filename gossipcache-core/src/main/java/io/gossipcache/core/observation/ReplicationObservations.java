package io.gossipcache.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Starts the engine's replication observations. With a registry that observes nothing (no handlers, or
 * {@link ObservationRegistry#NOOP}) it returns {@link Observation#NOOP} and creates nothing.
 */
public final class ReplicationObservations {

    private final ObservationRegistry registry;
    private final String clusterName;

    public ReplicationObservations(ObservationRegistry registry, String clusterName) {
        this.registry = registry;
        this.clusterName = clusterName;
    }

    /** A batch of {@code writes} writes about to be multicast; stop it once sent. */
    public Observation send(int writes) {
        return start(ReplicationObservationContext.Direction.SEND, writes, null);
    }

    /** A batch of {@code writes} writes from {@code peer} about to be applied; stop it once applied. */
    public Observation apply(int writes, String peer) {
        return start(ReplicationObservationContext.Direction.APPLY, writes, peer);
    }

    /** Records the largest lag of the applied batch on its observation (before it stops). */
    public static void lag(Observation apply, long lagMillis) {
        if (apply.getContext() instanceof ReplicationObservationContext context) {
            context.setLagMillis(lagMillis);
        }
    }

    private Observation start(ReplicationObservationContext.Direction direction, int writes, String peer) {
        if (registry.isNoop()) {
            return Observation.NOOP;
        }
        return GossipCacheObservationDocumentation.REPLICATION.observation(null,
                DefaultReplicationObservationConvention.INSTANCE,
                () -> new ReplicationObservationContext(direction, clusterName, writes, peer), registry).start();
    }
}
