package io.gossipcache.core;

/** Whether a node takes part in its cluster. */
public enum Mode {
    /** A member of the cluster: writes replicate, gossip reconciles. */
    CLUSTERED,
    /** Out of the cluster: a plain local cache. On return, its writes and the cluster's reconcile newest-wins. */
    LOCAL
}
