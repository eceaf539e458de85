package io.gossipcache.actuate;

import io.gossipcache.spring.GossipCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/** Lets Boot's {@code CacheMetricsRegistrar} bind {@link GossipCache}s. */
public class GossipCacheMeterBinderProvider implements CacheMeterBinderProvider<GossipCache> {

    @Override
    public MeterBinder getMeterBinder(GossipCache cache, Iterable<Tag> tags) {
        return new GossipCacheMeterBinder(cache, tags);
    }
}
