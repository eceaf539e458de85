package io.gossipcache.autoconfigure;

import io.gossipcache.core.cluster.ClusterConfig;

/**
 * Adjusts the cluster configuration built from {@code gossipcache.cluster.*} before the engine is created. Use
 * {@link ClusterConfig.Builder#channelCustomizer} to change the JGroups stack itself (a protocol's attribute, an
 * extra protocol): it receives the {@code JChannel} after it is built and before it connects. Beans of this type
 * are applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface GossipCacheClusterCustomizer {

    void customize(ClusterConfig.Builder cluster);
}
