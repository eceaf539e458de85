package io.gossipcache.core.cluster;

import java.util.List;

/**
 * One membership view: who is in the cluster as this member sees it.
 *
 * @param viewId      increases with every view change
 * @param members     members in join order (the first is the coordinator)
 * @param coordinator the member that manages membership
 * @param self        this member
 * @param merged      whether this view healed a partition
 */
public record ClusterView(long viewId, List<ClusterMember> members, ClusterMember coordinator, ClusterMember self,
                          boolean merged) {

    public ClusterView {
        members = List.copyOf(members);
    }

    /** A view of this member alone, before it has joined or after it left. */
    public static ClusterView alone(ClusterMember self) {
        return new ClusterView(0, List.of(self), self, self, false);
    }

    public int size() {
        return members.size();
    }

    /** Whether a member with this name is in the view. */
    public boolean contains(String name) {
        return members.stream().anyMatch(m -> m.name().equals(name));
    }
}
