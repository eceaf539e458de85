/**
 * Spring's cache abstraction over the gossipcache engine: {@link io.gossipcache.spring.GossipCacheManager},
 * {@link io.gossipcache.spring.GossipCache}, the lifecycle that joins and leaves the cluster, and
 * {@link io.gossipcache.spring.GossipCacheNode}, the read-only view that operations tools use.
 */
@NullMarked
package io.gossipcache.spring;

import org.jspecify.annotations.NullMarked;
