package io.gossipcache.core.replication;

import java.util.List;

/**
 * What became of a write's replication.
 *
 * @param synchronous  whether the caller waited for acknowledgements
 * @param unacknowledged for a synchronous write, the members that did not acknowledge within the timeout
 */
public record ReplicationResult(boolean synchronous, List<String> unacknowledged) {

    /** An asynchronous write: handed to the replication queue. */
    public static final ReplicationResult ASYNC = new ReplicationResult(false, List.of());

    /** A synchronous write that every member acknowledged (or that had no one to replicate to). */
    public static final ReplicationResult ACKNOWLEDGED = new ReplicationResult(true, List.of());

    public ReplicationResult {
        unacknowledged = List.copyOf(unacknowledged);
    }

    /** Whether every member acknowledged a synchronous write. */
    public boolean fullyAcknowledged() {
        return synchronous && unacknowledged.isEmpty();
    }
}
