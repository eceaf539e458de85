package io.gossipcache.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and keys of a {@link CacheObservationContext}'s observation. */
public interface CacheObservationConvention extends ObservationConvention<CacheObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CacheObservationContext;
    }
}
