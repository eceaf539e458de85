package io.gossipcache.core.observation;

import io.micrometer.observation.Observation;

/**
 * A batch of replicated writes being observed: sent by this member to every other, or received from one and applied
 * here (then with the lag of its oldest write: from the write on the other member until it was applied here).
 */
public final class ReplicationObservationContext extends Observation.Context {

    /** Which side of the replication. */
    public enum Direction { SEND, APPLY }

    private final Direction direction;
    private final String clusterName;
    private final int writes;
    private final String peer;
    private long lagMillis = -1;

    /**
     * @param peer the member the batch came from (APPLY), or {@code null} (SEND: every other member)
     */
    public ReplicationObservationContext(Direction direction, String clusterName, int writes, String peer) {
        this.direction = direction;
        this.clusterName = clusterName;
        this.writes = writes;
        this.peer = peer;
    }

    public Direction getDirection() {
        return direction;
    }

    public String getClusterName() {
        return clusterName;
    }

    /** How many writes the batch holds. */
    public int getWrites() {
        return writes;
    }

    /** The member the batch came from (APPLY), else {@code null}. */
    public String getPeer() {
        return peer;
    }

    /** APPLY, once applied: the largest lag of its writes in milliseconds; otherwise -1. */
    public long getLagMillis() {
        return lagMillis;
    }

    public void setLagMillis(long lagMillis) {
        this.lagMillis = lagMillis;
    }
}
