package io.gossipcache.core.observation;

import io.micrometer.observation.Observation;

/** A cache operation being observed: which cache, which operation and, for a get, whether it hit. */
public final class CacheObservationContext extends Observation.Context {

    /** The operations observed. */
    public enum Operation {
        GET, PUT, EVICT, CLEAR;

        /** As it appears in key values and span names. */
        public String lowerCase() {
            return switch (this) {
                case GET -> "get";
                case PUT -> "put";
                case EVICT -> "evict";
                case CLEAR -> "clear";
            };
        }
    }

    private final String cacheName;
    private final Operation operation;
    private Boolean hit;

    public CacheObservationContext(String cacheName, Operation operation) {
        this.cacheName = cacheName;
        this.operation = operation;
    }

    public String getCacheName() {
        return cacheName;
    }

    public Operation getOperation() {
        return operation;
    }

    /** For a get once it is done: whether it found a value; otherwise {@code null}. */
    public Boolean getHit() {
        return hit;
    }

    public void setHit(boolean hit) {
        this.hit = hit;
    }
}
