package io.gossipcache.core.observation;

import io.gossipcache.core.observation.GossipCacheObservationDocumentation.ReplicationHighCardinalityKeys;
import io.gossipcache.core.observation.GossipCacheObservationDocumentation.ReplicationKeys;
import io.micrometer.common.KeyValues;

/**
 * Name {@code gossipcache.replication}; keys {@code gossipcache.cluster} and {@code gossipcache.direction}
 * ({@code send}/{@code apply}); on spans also {@code gossipcache.writes} and, when applied, {@code gossipcache.peer}
 * and {@code gossipcache.lag.ms}; span names {@code "replication send"} and {@code "replication apply"}.
 */
public class DefaultReplicationObservationConvention implements ReplicationObservationConvention {

    /** The shared instance. */
    public static final DefaultReplicationObservationConvention INSTANCE = new DefaultReplicationObservationConvention();

    @Override
    public String getName() {
        return "gossipcache.replication";
    }

    @Override
    public String getContextualName(ReplicationObservationContext context) {
        return context.getDirection() == ReplicationObservationContext.Direction.SEND ? "replication send"
                : "replication apply";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ReplicationObservationContext context) {
        return KeyValues.of(ReplicationKeys.CLUSTER.withValue(context.getClusterName()),
                ReplicationKeys.DIRECTION.withValue(context.getDirection() == ReplicationObservationContext.Direction.SEND
                        ? "send" : "apply"));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ReplicationObservationContext context) {
        KeyValues values = KeyValues.of(ReplicationHighCardinalityKeys.WRITES.withValue(
                Integer.toString(context.getWrites())));
        if (context.getDirection() == ReplicationObservationContext.Direction.APPLY) {
            values = values.and(ReplicationHighCardinalityKeys.PEER.withValue(String.valueOf(context.getPeer())),
                    ReplicationHighCardinalityKeys.LAG.withValue(Long.toString(context.getLagMillis())));
        }
        return values;
    }
}
