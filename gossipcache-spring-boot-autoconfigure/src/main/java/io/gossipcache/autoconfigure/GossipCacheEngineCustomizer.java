package io.gossipcache.autoconfigure;

import io.gossipcache.core.EngineConfig;

/**
 * Adjusts the engine configuration built from {@code gossipcache.*} (codecs, caches, timings) before the engine
 * is created; applied after the {@link GossipCacheClusterCustomizer}s, in
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface GossipCacheEngineCustomizer {

    void customize(EngineConfig.Builder engine);
}
