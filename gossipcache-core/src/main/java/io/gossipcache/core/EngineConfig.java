package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.micrometer.observation.ObservationRegistry;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link GossipCacheEngine} needs. Build with {@link #builder()}.
 *
 * <p>The {@code DEFAULT_*} constants are the defaults of the builder and of the Spring Boot starter's properties
 * alike, and {@link Builder#problems()} holds the rules for both: so a default or a rule is written once. Messages
 * name the starter's property ({@code gossipcache.*}); the setter of each value says which property sets it.
 */
public final class EngineConfig {

    /** Default of {@link Builder#dynamicCaches(boolean)}. */
    public static final boolean DEFAULT_DYNAMIC_CACHES = true;
    /** Default of {@link Builder#maxCaches(int)}. */
    public static final int DEFAULT_MAX_CACHES = 256;
    /** Default of {@link Builder#replicationMode(ReplicationMode)}. */
    public static final ReplicationMode DEFAULT_REPLICATION_MODE = ReplicationMode.ASYNC;
    /** Default of {@link Builder#syncTimeout(Duration)}. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(2);
    /** Default of {@link Builder#replicationQueueCapacity(int)}. */
    public static final int DEFAULT_REPLICATION_QUEUE_CAPACITY = 100_000;
    /** Default of {@link Builder#tombstoneRetention(Duration)}. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofMinutes(10);
    /** Default of {@link Builder#stateTransferTimeout(Duration)}. */
    public static final Duration DEFAULT_STATE_TRANSFER_TIMEOUT = Duration.ofSeconds(30);
    /** Default of {@link Builder#sweepInterval(Duration)}. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Default of {@link Builder#gossipInterval(Duration)}. */
    public static final Duration DEFAULT_GOSSIP_INTERVAL = Duration.ofSeconds(2);
    /** Default of {@link Builder#gossipFanout(int)}. */
    public static final int DEFAULT_GOSSIP_FANOUT = 2;
    /** Default of {@link Builder#startMode(Mode)}. */
    public static final Mode DEFAULT_START_MODE = Mode.CLUSTERED;
    /** Default of {@link Builder#maxKeySize(int)}, in bytes: 8 KiB. */
    public static final int DEFAULT_MAX_KEY_SIZE = 8 * 1024;
    /** Default of {@link Builder#maxValueSize(int)}, in bytes: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

    private final ClusterConfig cluster;
    private final CacheSettings defaultCacheSettings;
    private final Map<String, CacheSettings> caches;
    private final boolean dynamicCaches;
    private final int maxCaches;
    private final ReplicationMode replicationMode;
    private final Duration syncTimeout;
    private final ObservationRegistry observationRegistry;
    private final int replicationQueueCapacity;
    private final Codec keyCodec;
    private final Codec valueCodec;
    private final Duration tombstoneRetention;
    private final Duration stateTransferTimeout;
    private final Duration sweepInterval;
    private final Duration gossipInterval;
    private final int gossipFanout;
    private final Mode startMode;
    private final int maxKeySize;
    private final int maxValueSize;

    /** Only from {@link Builder#build()}, which has checked the values. */
    private EngineConfig(Builder b) {
        this.cluster = Objects.requireNonNull(b.cluster, "cluster");
        this.defaultCacheSettings = Objects.requireNonNull(b.defaultCacheSettings, "defaultCacheSettings");
        this.caches = Map.copyOf(b.caches);
        this.dynamicCaches = b.dynamicCaches;
        this.maxCaches = b.maxCaches;
        this.replicationMode = b.replicationMode;
        this.syncTimeout = b.syncTimeout;
        this.observationRegistry = Objects.requireNonNull(b.observationRegistry, "observationRegistry");
        this.replicationQueueCapacity = b.replicationQueueCapacity;
        this.keyCodec = Objects.requireNonNull(b.keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(b.valueCodec, "valueCodec");
        this.tombstoneRetention = b.tombstoneRetention;
        this.stateTransferTimeout = b.stateTransferTimeout;
        this.sweepInterval = b.sweepInterval;
        this.gossipInterval = b.gossipInterval;
        this.gossipFanout = b.gossipFanout;
        this.startMode = b.startMode;
        this.maxKeySize = b.maxKeySize;
        this.maxValueSize = b.maxValueSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClusterConfig cluster() { return cluster; }

    public CacheSettings defaultCacheSettings() { return defaultCacheSettings; }

    /** Caches that exist from start-up, with their own settings. */
    public Map<String, CacheSettings> caches() { return caches; }

    /** Whether {@link GossipCacheEngine#cache(String)} creates unknown caches with the default settings. */
    public boolean dynamicCaches() { return dynamicCaches; }
    public int maxCaches() { return maxCaches; }

    public ReplicationMode replicationMode() { return replicationMode; }

    public Duration syncTimeout() { return syncTimeout; }

    /** Where the engine's replication observations go (docs/architecture.md, "Observations"). */
    public ObservationRegistry observationRegistry() { return observationRegistry; }

    public int replicationQueueCapacity() { return replicationQueueCapacity; }

    public Codec keyCodec() { return keyCodec; }

    public Codec valueCodec() { return valueCodec; }

    public Duration tombstoneRetention() { return tombstoneRetention; }

    public Duration stateTransferTimeout() { return stateTransferTimeout; }

    public Duration sweepInterval() { return sweepInterval; }

    public Duration gossipInterval() { return gossipInterval; }

    public int gossipFanout() { return gossipFanout; }

    public Mode startMode() { return startMode; }

    /** Largest encoded key, in bytes, that a write may have. */
    public int maxKeySize() { return maxKeySize; }

    /** Largest encoded value, in bytes, that a write may have. */
    public int maxValueSize() { return maxValueSize; }

    /** Builder; each setter documents its default. */
    public static final class Builder {
        private ClusterConfig cluster = ClusterConfig.builder().build();
        private CacheSettings defaultCacheSettings = CacheSettings.DEFAULTS;
        private final Map<String, CacheSettings> caches = new LinkedHashMap<>();
        private boolean dynamicCaches = DEFAULT_DYNAMIC_CACHES;
        private int maxCaches = DEFAULT_MAX_CACHES;
        private ReplicationMode replicationMode = DEFAULT_REPLICATION_MODE;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private int replicationQueueCapacity = DEFAULT_REPLICATION_QUEUE_CAPACITY;
        private Codec keyCodec = new DefaultCodec();
        private Codec valueCodec = keyCodec;
        private Duration tombstoneRetention = DEFAULT_TOMBSTONE_RETENTION;
        private Duration stateTransferTimeout = DEFAULT_STATE_TRANSFER_TIMEOUT;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration gossipInterval = DEFAULT_GOSSIP_INTERVAL;
        private int gossipFanout = DEFAULT_GOSSIP_FANOUT;
        private Mode startMode = DEFAULT_START_MODE;
        private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
        private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;

        private Builder() {
        }

        /** Membership settings. Default: {@link ClusterConfig#builder()} defaults. */
        public Builder cluster(ClusterConfig v) { this.cluster = v; return this; }

        /**
         * Settings of caches not listed with {@link #cache}. Default {@link CacheSettings#DEFAULTS}: no TTL,
         * unbounded. Properties: {@code gossipcache.default-ttl}, {@code gossipcache.default-max-entries}.
         */
        public Builder defaultCacheSettings(CacheSettings v) { this.defaultCacheSettings = v; return this; }

        /** A cache that exists from start-up; its name must not be blank. Property: {@code gossipcache.caches.NAME}. */
        public Builder cache(String name, CacheSettings settings) { this.caches.put(name, settings); return this; }

        /** Create unknown caches on first use. Default true. Property: {@code gossipcache.dynamic-caches}. */
        public Builder dynamicCaches(boolean v) { this.dynamicCaches = v; return this; }

        /**
         * Most caches on one member, configured ones included: past it, a new name fails locally with a
         * {@link TooManyCachesException}, and a write from another member to a new name is refused and counted, so
         * that no peer (or bug) can create caches without end. At least 1 and at least the caches configured with
         * {@link #cache}. Default 256. Property: {@code gossipcache.max-caches}.
         */
        public Builder maxCaches(int v) { this.maxCaches = v; return this; }

        /** Default {@link ReplicationMode#ASYNC}. Property: {@code gossipcache.replication.mode}. */
        public Builder replicationMode(ReplicationMode v) { this.replicationMode = v; return this; }

        /**
         * How long a synchronous write waits for acknowledgements; positive. Default 2 s. Property:
         * {@code gossipcache.replication.sync-timeout}.
         */
        public Builder syncTimeout(Duration v) { this.syncTimeout = v; return this; }

        /**
         * Where replication observations go: a batch sent, a batch applied with its lag. Default
         * {@link ObservationRegistry#NOOP}: none are made.
         */
        public Builder observationRegistry(ObservationRegistry v) { this.observationRegistry = v; return this; }

        /**
         * Writes that may wait for the sender before writers block; positive. Default 100,000. Property:
         * {@code gossipcache.replication.queue-capacity}.
         */
        public Builder replicationQueueCapacity(int v) { this.replicationQueueCapacity = v; return this; }

        /**
         * Codec for keys. Default {@link DefaultCodec} in its default format with JDK types only. A
         * {@link DefaultCodec} is used {@link DefaultCodec#forKeys() for keys}.
         */
        public Builder keyCodec(Codec v) { this.keyCodec = v; return this; }

        /** Codec for values. Default: the key codec. */
        public Builder valueCodec(Codec v) { this.valueCodec = v; return this; }

        /**
         * How long an evict's tombstone is kept, and so how long a delete is remembered. Anti-entropy exchanges
         * only writes younger than this; a member separated for longer drops its older entries on return.
         * Positive. Default 10 min. Property: {@code gossipcache.tombstone-retention}.
         */
        public Builder tombstoneRetention(Duration v) { this.tombstoneRetention = v; return this; }

        /**
         * How long {@link GossipCacheEngine#start()} waits for a joiner's state; positive. Default 30 s. Property:
         * {@code gossipcache.replication.state-transfer-timeout}.
         */
        public Builder stateTransferTimeout(Duration v) { this.stateTransferTimeout = v; return this; }

        /** How often expired entries and old tombstones are removed; positive. Default 1 s. No property. */
        public Builder sweepInterval(Duration v) { this.sweepInterval = v; return this; }

        /** Period of anti-entropy rounds; positive. Default 2 s. Property: {@code gossipcache.gossip.interval}. */
        public Builder gossipInterval(Duration v) { this.gossipInterval = v; return this; }

        /**
         * Peers contacted per anti-entropy round, at least 1. Default 2. Property: {@code gossipcache.gossip.fanout}.
         */
        public Builder gossipFanout(int v) { this.gossipFanout = v; return this; }

        /**
         * The mode {@link GossipCacheEngine#start()} starts in. Default {@link Mode#CLUSTERED}. Property:
         * {@code gossipcache.mode}.
         */
        public Builder startMode(Mode v) { this.startMode = v; return this; }

        /**
         * Largest encoded key in bytes: a bigger one fails the write locally, and one arriving from the network is
         * dropped and counted. Positive. Default 8 KiB. Property: {@code gossipcache.limits.max-key-size}.
         */
        public Builder maxKeySize(int v) { this.maxKeySize = v; return this; }

        /**
         * Largest encoded value in bytes: a bigger one fails the write locally, and one arriving from the network
         * is dropped and counted. Positive. Default 1 MiB. Property: {@code gossipcache.limits.max-value-size}.
         */
        public Builder maxValueSize(int v) { this.maxValueSize = v; return this; }

        /**
         * What {@link #build()} would refuse, one message per problem, each naming the Spring Boot property that sets
         * the value (or the builder method, for a value without one); empty when the values are valid. The starter
         * reports these when its properties are bound, so that every problem shows at once.
         */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (caches.keySet().stream().anyMatch(name -> name == null || name.isBlank())) {
                problems.add("gossipcache.caches: a cache name must not be empty");
            }
            if (maxCaches < 1 || maxCaches < caches.size()) {
                problems.add("gossipcache.max-caches must be at least 1 and at least the " + caches.size()
                        + " caches configured from start-up (gossipcache.caches, spring.cache.cache-names) (was "
                        + maxCaches + ")");
            }
            if (replicationMode == null) {
                problems.add("gossipcache.replication.mode must be set");
            }
            positive(problems, "gossipcache.replication.sync-timeout", syncTimeout);
            if (replicationQueueCapacity < 1) {
                problems.add("gossipcache.replication.queue-capacity must be positive (was " + replicationQueueCapacity
                        + ")");
            }
            positive(problems, "gossipcache.tombstone-retention", tombstoneRetention);
            positive(problems, "gossipcache.replication.state-transfer-timeout", stateTransferTimeout);
            positive(problems, "sweepInterval", sweepInterval);
            positive(problems, "gossipcache.gossip.interval", gossipInterval);
            if (gossipFanout < 1) {
                problems.add("gossipcache.gossip.fanout must be at least 1 (was " + gossipFanout + ")");
            }
            if (startMode == null) {
                problems.add("gossipcache.mode must be set");
            }
            size(problems, "gossipcache.limits.max-key-size", maxKeySize);
            size(problems, "gossipcache.limits.max-value-size", maxValueSize);
            return problems;
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                problems.add(name + " must be positive (was " + value + ")");
            }
        }

        /** Written as the starter's DataSize writes bytes ("0B"), so both sides read alike. */
        private static void size(List<String> problems, String name, int bytes) {
            if (bytes < 1) {
                problems.add(name + " must be between 1B and 2GB (was " + bytes + "B)");
            }
        }

        /**
         * @throws IllegalArgumentException listing every {@link #problems() problem}
         * @throws NullPointerException     without a cluster, default cache settings or codecs
         */
        public EngineConfig build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new EngineConfig(this);
        }
    }
}
