package io.gossipcache.core.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of gossipcache, their names and keys (the conventions in docs/architecture.md, "Observations").
 */
public enum GossipCacheObservationDocumentation implements ObservationDocumentation {

    /** A cache operation on this member: get (with hit or miss), put, evict or clear. Span name "get quotes". */
    CACHE_OPERATION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultCacheObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return CacheKeys.values();
        }
    },

    /**
     * A batch of writes this member multicast to the others ({@code gossipcache.direction=send}, span name
     * "replication send"), or one received from another member and applied here ({@code apply}, "replication
     * apply").
     */
    REPLICATION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultReplicationObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ReplicationKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return ReplicationHighCardinalityKeys.values();
        }
    };

    /** Low-cardinality keys of {@link #CACHE_OPERATION}. */
    public enum CacheKeys implements KeyName {
        /** The cache's name. */
        CACHE {
            @Override
            public String asString() {
                return "gossipcache.cache";
            }
        },
        /** {@code get}, {@code put}, {@code evict} or {@code clear}. */
        OPERATION {
            @Override
            public String asString() {
                return "gossipcache.operation";
            }
        },
        /** A get's {@code hit} or {@code miss}; {@code none} for the other operations. */
        RESULT {
            @Override
            public String asString() {
                return "gossipcache.result";
            }
        }
    }

    /** Low-cardinality keys of {@link #REPLICATION}. */
    public enum ReplicationKeys implements KeyName {
        /** The cluster's name. */
        CLUSTER {
            @Override
            public String asString() {
                return "gossipcache.cluster";
            }
        },
        /** {@code send} or {@code apply}. */
        DIRECTION {
            @Override
            public String asString() {
                return "gossipcache.direction";
            }
        }
    }

    /** High-cardinality keys of {@link #REPLICATION} (on spans, not on meters). */
    public enum ReplicationHighCardinalityKeys implements KeyName {
        /** How many writes the batch held. */
        WRITES {
            @Override
            public String asString() {
                return "gossipcache.writes";
            }
        },
        /** APPLY: the member the batch came from. */
        PEER {
            @Override
            public String asString() {
                return "gossipcache.peer";
            }
        },
        /** APPLY: the largest lag of its writes, from the write on the other member until applied here, in ms. */
        LAG {
            @Override
            public String asString() {
                return "gossipcache.lag.ms";
            }
        }
    }
}
