package io.gossipcache.core.cluster;

/**
 * A member as shown to operators.
 *
 * @param name     the member's node name
 * @param address  its transport address, {@code ip:port}
 * @param self     whether this is the local member
 * @param protocol the gossipcache protocol version it speaks ({@code 1.1}; {@code 1.0} if its address carries none)
 */
public record ClusterMember(String name, String address, boolean self, String protocol) {
}
