/**
 * Operations views of a gossipcache node: the {@code gossipcache} Actuator endpoint, the {@code gossipCache}
 * health component and Micrometer meters. Everything here reads the node through
 * {@link io.gossipcache.spring.GossipCacheNode} (and the cache adapters' counters for the cache meters), never
 * through the engine's internals. Each part is optional: it is configured only when Actuator or Micrometer is on
 * the classpath.
 */
@NullMarked
package io.gossipcache.actuate;

import org.jspecify.annotations.NullMarked;
