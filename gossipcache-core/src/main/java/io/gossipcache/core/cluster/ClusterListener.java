package io.gossipcache.core.cluster;

import java.util.List;

/**
 * Membership events. Called on a JGroups thread: implementations must return quickly and hand real work
 * to their own threads.
 */
public interface ClusterListener {

    /**
     * A new view was installed.
     *
     * @param joined members new in this view
     * @param left   members gone since the previous view (gracefully or excluded after a failure)
     */
    default void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                             List<ClusterMember> left) {
    }

    /** Failure detection suspected a member and verification confirmed it (or its port refused connections): it is being excluded. */
    default void memberSuspected(ClusterMember member) {
    }
}
