package io.gossipcache.core;

import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.Write;
import org.jgroups.Address;

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

    /** Sends a write of a partitioned cache to {@code targets} ({@code null}: every member); see {@link #replicate}. */
    ReplicationResult replicate(Write write, Address[] targets);

    /** Whether this member owns a segment of caches with {@code owners} owners. */
    boolean owns(int owners, int segment);

    /** Whether this member reads keys of a segment from its own store: it owns the segment and holds it. */
    boolean servesLocally(int owners, int segment);

    /** The other owners of a segment, to send a write to ({@code null}: every member; see {@code Placement}). */
    Address[] otherOwners(int owners, int segment);

    /** What this member owns and holds of caches with {@code owners} owners. */
    Ownership ownership(int owners);

    /**
     * Reads a key of a partitioned cache from its owners: the live value with its expiry, or {@code null}; with a
     * near cache, keeps what an owner that holds the key answered, and asks it to tell of the key's next write.
     *
     * @param local what this member stores for the key, or {@code null}: while no owner holds the key's segment (a
     *              rebalance), the newest of the answers and this is the value
     */
    CachedValue readRemote(String cache, int owners, int segment, byte[] keyBytes, NearValues near, long nearTtlMillis,
                           io.gossipcache.core.store.StoreEntry local);
}
