package io.gossipcache.core.replication;

/** When a write returns to its caller. */
public enum ReplicationMode {
    /** At once, after the local apply; replication follows in the background. */
    ASYNC,
    /** After every other member acknowledged the write, or the sync timeout passed. */
    SYNC
}
