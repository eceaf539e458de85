/**
 * Micrometer {@code Observation}s of the engine: cache operations (get with hit or miss, put, evict, clear) and
 * replication (a batch sent, a batch applied on the receiver with its lag). The names and keys are in
 * {@link io.gossipcache.core.observation.GossipCacheObservationDocumentation}; the default conventions can be
 * replaced as any Micrometer convention is (a {@code GlobalObservationConvention}). With a registry that has no
 * handlers (or {@code ObservationRegistry.NOOP}, the default), nothing is created.
 */
package io.gossipcache.core.observation;
