package io.gossipcache.core.observation;

import io.gossipcache.core.observation.GossipCacheObservationDocumentation.CacheKeys;
import io.micrometer.common.KeyValues;

/**
 * Name {@code gossipcache.cache}; keys {@code gossipcache.cache}, {@code gossipcache.operation} and
 * {@code gossipcache.result} ({@code hit}/{@code miss} for a get, else {@code none}); span name
 * {@code "<operation> <cache>"}.
 */
public class DefaultCacheObservationConvention implements CacheObservationConvention {

    /** The shared instance. */
    public static final DefaultCacheObservationConvention INSTANCE = new DefaultCacheObservationConvention();

    @Override
    public String getName() {
        return "gossipcache.cache";
    }

    @Override
    public String getContextualName(CacheObservationContext context) {
        return context.getOperation().lowerCase() + " " + context.getCacheName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CacheObservationContext context) {
        Boolean hit = context.getHit();
        return KeyValues.of(CacheKeys.CACHE.withValue(context.getCacheName()),
                CacheKeys.OPERATION.withValue(context.getOperation().lowerCase()),
                CacheKeys.RESULT.withValue(hit == null ? "none" : hit ? "hit" : "miss"));
    }
}
