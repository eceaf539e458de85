package io.gossipcache.core.cluster;

/**
 * A member as shown to operators.
 *
 * @param name    the member's node name
 * @param address its transport address, {@code ip:port}
 * @param self    whether this is the local member
 */
public record ClusterMember(String name, String address, boolean self) {
}
