package io.gossipcache.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and keys of a {@link ReplicationObservationContext}'s observation. */
public interface ReplicationObservationConvention extends ObservationConvention<ReplicationObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ReplicationObservationContext;
    }
}
