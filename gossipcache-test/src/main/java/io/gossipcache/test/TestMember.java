package io.gossipcache.test;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import java.util.Optional;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One member of a {@link GossipCacheClusterExtension} cluster: a plain engine, or an application context of the
 * application's own configuration. A member that was killed or stopped stays in the list, not running, until it is
 * restarted (which makes a new member of the same name).
 */
public final class TestMember {

    private final String name;
    private final GossipCacheEngine engine;
    private final ConfigurableApplicationContext context;

    TestMember(String name, GossipCacheEngine engine, ConfigurableApplicationContext context) {
        this.name = name;
        this.engine = engine;
        this.context = context;
    }

    /** The member's node name ({@code member-1}, {@code member-2}, ...), the same across restarts. */
    public String name() {
        return name;
    }

    /** The member's engine. */
    public GossipCacheEngine engine() {
        return engine;
    }

    /** The member's application context, for a member of a Spring application. */
    public Optional<ConfigurableApplicationContext> context() {
        return Optional.ofNullable(context);
    }

    /** A bean of the member's application context. */
    public <T> T bean(Class<T> type) {
        if (context == null) {
            throw new IllegalStateException(name + " is a plain engine, without an application context");
        }
        return context.getBean(type);
    }

    /** The engine's cache of that name (created if the engine allows dynamic caches). */
    public ReplicatedCache cache(String cacheName) {
        return engine.cache(cacheName);
    }

    /** The Spring {@link Cache} of that name, for a member of a Spring application. */
    public Cache springCache(String cacheName) {
        Cache cache = bean(CacheManager.class).getCache(cacheName);
        if (cache == null) {
            throw new IllegalStateException(name + " has no cache named '" + cacheName + "'");
        }
        return cache;
    }

    /** Whether the member runs (it was not killed or stopped). */
    public boolean isRunning() {
        return engine.isRunning() && (context == null || context.isActive());
    }

    void close() {
        if (context != null) {
            context.close();
        } else {
            engine.close();
        }
    }

    @Override
    public String toString() {
        return name + (isRunning() ? "" : " (stopped)");
    }
}
