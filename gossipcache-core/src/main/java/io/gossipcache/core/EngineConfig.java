package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Everything a {@link GossipCacheEngine} needs. Build with {@link #builder()}. */
public final class EngineConfig {

    private final ClusterConfig cluster;
    private final CacheSettings defaultCacheSettings;
    private final Map<String, CacheSettings> caches;
    private final boolean dynamicCaches;
    private final int maxCaches;
    private final ReplicationMode replicationMode;
    private final Duration syncTimeout;
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

    private EngineConfig(Builder b) {
        this.cluster = Objects.requireNonNull(b.cluster, "cluster");
        this.defaultCacheSettings = Objects.requireNonNull(b.defaultCacheSettings, "defaultCacheSettings");
        this.caches = Map.copyOf(b.caches);
        this.dynamicCaches = b.dynamicCaches;
        this.maxCaches = b.maxCaches;
        if (maxCaches < 1) {
            throw new IllegalArgumentException("max caches must be at least 1: " + maxCaches);
        }
        if (caches.size() > maxCaches) {
            throw new IllegalArgumentException("max caches (" + maxCaches + ") is less than the " + caches.size()
                    + " caches configured");
        }
        this.replicationMode = Objects.requireNonNull(b.replicationMode, "replicationMode");
        this.syncTimeout = positive(b.syncTimeout, "sync timeout");
        this.replicationQueueCapacity = b.replicationQueueCapacity;
        this.keyCodec = Objects.requireNonNull(b.keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(b.valueCodec, "valueCodec");
        this.tombstoneRetention = positive(b.tombstoneRetention, "tombstone retention");
        this.stateTransferTimeout = positive(b.stateTransferTimeout, "state transfer timeout");
        this.sweepInterval = positive(b.sweepInterval, "sweep interval");
        this.gossipInterval = positive(b.gossipInterval, "gossip interval");
        this.gossipFanout = b.gossipFanout;
        this.startMode = Objects.requireNonNull(b.startMode, "startMode");
        this.maxKeySize = b.maxKeySize;
        this.maxValueSize = b.maxValueSize;
        if (maxKeySize < 1 || maxValueSize < 1) {
            throw new IllegalArgumentException("max key and value sizes must be positive: " + maxKeySize + ", " + maxValueSize);
        }
        if (gossipFanout < 1) {
            throw new IllegalArgumentException("gossip fanout must be at least 1: " + gossipFanout);
        }
        if (replicationQueueCapacity < 1) {
            throw new IllegalArgumentException("replication queue capacity must be positive: " + replicationQueueCapacity);
        }
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
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
        private boolean dynamicCaches = true;
        private int maxCaches = 256;
        private ReplicationMode replicationMode = ReplicationMode.ASYNC;
        private Duration syncTimeout = Duration.ofSeconds(2);
        private int replicationQueueCapacity = 100_000;
        private Codec keyCodec = new DefaultCodec();
        private Codec valueCodec = keyCodec;
        private Duration tombstoneRetention = Duration.ofMinutes(10);
        private Duration stateTransferTimeout = Duration.ofSeconds(30);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private Duration gossipInterval = Duration.ofSeconds(2);
        private int gossipFanout = 2;
        private Mode startMode = Mode.CLUSTERED;
        private int maxKeySize = 8 * 1024;
        private int maxValueSize = 1024 * 1024;

        private Builder() {
        }

        /** Membership settings. Default: {@link ClusterConfig#builder()} defaults. */
        public Builder cluster(ClusterConfig v) { this.cluster = v; return this; }

        /** Settings of caches not listed with {@link #cache}. Default: no TTL, unbounded. */
        public Builder defaultCacheSettings(CacheSettings v) { this.defaultCacheSettings = v; return this; }

        /** A cache that exists from start-up. */
        public Builder cache(String name, CacheSettings settings) { this.caches.put(name, settings); return this; }

        /** Create unknown caches on first use. Default true. */
        public Builder dynamicCaches(boolean v) { this.dynamicCaches = v; return this; }

        /**
         * Most caches on one member, configured ones included: past it, a new name fails locally with a
         * {@link TooManyCachesException}, and a write from another member to a new name is refused and counted, so
         * that no peer (or bug) can create caches without end. Default 256.
         */
        public Builder maxCaches(int v) { this.maxCaches = v; return this; }

        /** Default {@link ReplicationMode#ASYNC}. */
        public Builder replicationMode(ReplicationMode v) { this.replicationMode = v; return this; }

        /** How long a synchronous write waits for acknowledgements. Default 2 s. */
        public Builder syncTimeout(Duration v) { this.syncTimeout = v; return this; }

        /** Writes that may wait for the sender before writers block. Default 100,000. */
        public Builder replicationQueueCapacity(int v) { this.replicationQueueCapacity = v; return this; }

        /** Codec for keys. Default {@link DefaultCodec} with JDK types only. */
        public Builder keyCodec(Codec v) { this.keyCodec = v; return this; }

        /** Codec for values. Default: the key codec. */
        public Builder valueCodec(Codec v) { this.valueCodec = v; return this; }

        /**
         * How long an evict's tombstone is kept, and so how long a delete is remembered. Anti-entropy exchanges
         * only writes younger than this; a member separated for longer drops its older entries on return.
         * Default 10 min.
         */
        public Builder tombstoneRetention(Duration v) { this.tombstoneRetention = v; return this; }

        /** How long {@link GossipCacheEngine#start()} waits for a joiner's state. Default 30 s. */
        public Builder stateTransferTimeout(Duration v) { this.stateTransferTimeout = v; return this; }

        /** How often expired entries and old tombstones are removed. Default 1 s. */
        public Builder sweepInterval(Duration v) { this.sweepInterval = v; return this; }

        /** Period of anti-entropy rounds. Default 2 s. */
        public Builder gossipInterval(Duration v) { this.gossipInterval = v; return this; }

        /** Peers contacted per anti-entropy round. Default 2. */
        public Builder gossipFanout(int v) { this.gossipFanout = v; return this; }

        /** The mode {@link GossipCacheEngine#start()} starts in. Default {@link Mode#CLUSTERED}. */
        public Builder startMode(Mode v) { this.startMode = v; return this; }

        /**
         * Largest encoded key in bytes: a bigger one fails the write locally, and one arriving from the network is
         * dropped and counted. Default 8 KiB.
         */
        public Builder maxKeySize(int v) { this.maxKeySize = v; return this; }

        /**
         * Largest encoded value in bytes: a bigger one fails the write locally, and one arriving from the network
         * is dropped and counted. Default 1 MiB.
         */
        public Builder maxValueSize(int v) { this.maxValueSize = v; return this; }

        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
