package io.gossipcache.core.cluster;

import org.jgroups.JChannel;

/** Bare JGroups channels built like a member's, for tests that play a foreign process on the cluster port. */
public final class RawChannels {

    private RawChannels() {
    }

    /** A channel with the member stack of {@code config}, not connected, with no engine behind it. */
    public static JChannel create(ClusterConfig config) {
        return JGroupsStack.create(config);
    }
}
