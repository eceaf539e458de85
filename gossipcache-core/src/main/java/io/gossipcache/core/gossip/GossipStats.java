package io.gossipcache.core.gossip;

/** Anti-entropy's counters, read-only (meters, Actuator, tests). */
public interface GossipStats {

    /** Rounds this member started. */
    long rounds();

    /** Entries other members' anti-entropy repaired here (writes it applied that replication had not delivered). */
    long repairs();

    /** Bytes of anti-entropy messages this member sent. */
    long bytesSent();
}
