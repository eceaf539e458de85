package io.gossipcache.actuate;

import io.gossipcache.spring.GossipCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Spring's standard cache meters ({@code cache.gets} hit/miss, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size}) for one gossipcache cache on this node. Evictions count the evicts made on this node;
 * entries removed by expiry or the size bound are not counted.
 */
public class GossipCacheMeterBinder extends CacheMeterBinder<GossipCache> {

    public GossipCacheMeterBinder(GossipCache cache, Iterable<Tag> tags) {
        super(cache, cache.getName(), tags);
    }

    @Override
    protected @Nullable Long size() {
        GossipCache cache = getCache();
        return cache != null ? cache.size() : null;
    }

    @Override
    protected long hitCount() {
        GossipCache cache = getCache();
        return cache != null ? cache.hitCount() : 0;
    }

    @Override
    protected @Nullable Long missCount() {
        GossipCache cache = getCache();
        return cache != null ? cache.missCount() : null;
    }

    @Override
    protected @Nullable Long evictionCount() {
        GossipCache cache = getCache();
        return cache != null ? cache.evictionCount() : null;
    }

    @Override
    protected long putCount() {
        GossipCache cache = getCache();
        return cache != null ? cache.putCount() : 0;
    }

    /**
     * For a partitioned cache, {@code cache.segments} with {@code state=owned} (the segments this node owns) and
     * {@code state=held} (of those, the ones it has every write to: fewer while a rebalance moves segments here).
     */
    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        GossipCache cache = getCache();
        if (cache == null || cache.getNativeCache().ownership().isEmpty()) {
            return;
        }
        Gauge.builder("cache.segments", cache, c -> c.getNativeCache().ownership().map(o -> o.ownedSegments()).orElse(0))
                .tags(getTagsWithCacheName()).tag("state", "owned")
                .description("Segments of this partitioned cache that this node owns").register(registry);
        Gauge.builder("cache.segments", cache, c -> c.getNativeCache().ownership().map(o -> o.heldSegments()).orElse(0))
                .tags(getTagsWithCacheName()).tag("state", "held")
                .description("Owned segments whose every write this node has").register(registry);
    }
}
