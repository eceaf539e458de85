package io.gossipcache.core;

import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.Write;

/**
 * What a {@link ReplicatedCache} needs from its engine to write: encoding within the limits, new versions, and
 * replication. Called on application threads.
 */
interface LocalWrites {

    /**
     * Whether the caches store writes: false while the cluster refuses this member (another protocol major), since
     * a member that cannot hear the cluster's writes must not serve what the cluster may have replaced.
     */
    boolean serving();

    /** Encodes a key for a write, within the size limit. */
    byte[] encodeKey(Object key);

    /** Encodes a value for a write, within the size limit. */
    byte[] encodeValue(Object value);

    /** A new version's timestamp, newer than any this member has seen. */
    long tick();

    /** This member's id: the tie-break of its writes' versions. */
    long nodeId();

    /** The wall clock, in milliseconds (expiries). */
    long wallClockMillis();

    /** A key changed here (a state transfer being provided sends it again). */
    void changed(String cache, Object key);

    /** Replicates a write that was applied here; nothing to do outside a cluster. */
    ReplicationResult replicate(Write write);
}
