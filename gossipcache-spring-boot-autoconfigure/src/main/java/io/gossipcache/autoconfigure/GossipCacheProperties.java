package io.gossipcache.autoconfigure;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.Mode;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.DnsDiscovery;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.ObjectFormat;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of gossipcache, under {@code gossipcache.*}. The properties validate themselves when bound, so
 * that a bad value fails start-up with a message that names the property.
 *
 * <p>A setting the engine has takes its default from the core's {@link EngineConfig} and {@link ClusterConfig}
 * constants and its rules from their builders' {@code problems()}, so that each is written once. The configuration
 * processor cannot read another class's constant, so those defaults reach the metadata through
 * {@code META-INF/additional-spring-configuration-metadata.json}; {@code ConfigurationMetadataTests} fails when it
 * and the core disagree. docs/configuration.md is the reference, kept in step by {@code ConfigurationReferenceTests}.
 * What only Spring knows (the properties without an engine setting, and conversions such as DataSize to bytes) is
 * defined and checked here.
 */
@ConfigurationProperties("gossipcache")
public class GossipCacheProperties implements Validator {

    /** Whether to start a gossipcache node and its CacheManager. With false, no cluster and no CacheManager from this starter. */
    private boolean enabled = true;

    /** The mode this node starts in: clustered (joins the cluster) or local (a local cache until switched). */
    private Mode mode = EngineConfig.DEFAULT_START_MODE;

    /**
     * Name of this node in the cluster's membership. Default: host name and server port ("host:8080") when
     * server.port is set, else host name and process id.
     */
    private @Nullable String nodeName;

    /** Lifetime of entries of caches without their own TTL. 0 means no expiry. */
    private Duration defaultTtl = CacheSettings.DEFAULTS.defaultTtl();

    /** Local size bound (entries per member) of caches without their own max-entries. 0 means unbounded. */
    private long defaultMaxEntries = CacheSettings.DEFAULTS.maxEntries();

    /** Whether caches not listed under gossipcache.caches (or spring.cache.cache-names) are created on first use. */
    private boolean dynamicCaches = EngineConfig.DEFAULT_DYNAMIC_CACHES;

    /** Whether null values are cached (as Spring's NullValue). With false, a null result is not cached. */
    private boolean allowNullValues = true;

    /**
     * Most caches on one member, configured ones included. Past it, a new cache name fails the cache call, and a
     * write from another member to a new name is refused and counted (gossipcache.caches.refused).
     */
    private int maxCaches = EngineConfig.DEFAULT_MAX_CACHES;

    /**
     * How long an evict's tombstone is kept, and so how long a delete is remembered against older writes arriving
     * late. A member away longer drops its older entries on return.
     */
    private Duration tombstoneRetention = EngineConfig.DEFAULT_TOMBSTONE_RETENTION;

    /** Caches that exist from start-up, by name, with their own settings. */
    private Map<String, Cache> caches = new LinkedHashMap<>();

    private final Cluster cluster = new Cluster();

    private final Gossip gossip = new Gossip();

    private final FailureDetection failureDetection = new FailureDetection();

    private final Replication replication = new Replication();

    private final Serialization serialization = new Serialization();

    private final Limits limits = new Limits();

    private final Health health = new Health();

    private final Security security = new Security();

    public boolean isEnabled() { return enabled; }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public Mode getMode() { return mode; }

    public void setMode(Mode mode) { this.mode = mode; }

    public @Nullable String getNodeName() { return nodeName; }

    public void setNodeName(@Nullable String nodeName) { this.nodeName = nodeName; }

    public Duration getDefaultTtl() { return defaultTtl; }

    public void setDefaultTtl(Duration defaultTtl) { this.defaultTtl = defaultTtl; }

    public long getDefaultMaxEntries() { return defaultMaxEntries; }

    public void setDefaultMaxEntries(long defaultMaxEntries) { this.defaultMaxEntries = defaultMaxEntries; }

    public boolean isDynamicCaches() { return dynamicCaches; }

    public void setDynamicCaches(boolean dynamicCaches) { this.dynamicCaches = dynamicCaches; }

    public boolean isAllowNullValues() { return allowNullValues; }

    public void setAllowNullValues(boolean allowNullValues) { this.allowNullValues = allowNullValues; }

    public int getMaxCaches() { return maxCaches; }

    public void setMaxCaches(int maxCaches) { this.maxCaches = maxCaches; }

    public Duration getTombstoneRetention() { return tombstoneRetention; }

    public void setTombstoneRetention(Duration tombstoneRetention) { this.tombstoneRetention = tombstoneRetention; }

    public Map<String, Cache> getCaches() { return caches; }

    public void setCaches(Map<String, Cache> caches) { this.caches = caches; }

    public Cluster getCluster() { return cluster; }

    public Gossip getGossip() { return gossip; }

    public FailureDetection getFailureDetection() { return failureDetection; }

    public Replication getReplication() { return replication; }

    public Serialization getSerialization() { return serialization; }

    public Limits getLimits() { return limits; }

    public Health getHealth() { return health; }

    public Security getSecurity() { return security; }

    /** Settings of one cache. */
    public static class Cache {

        /** Lifetime of this cache's entries. 0 means no expiry; unset means gossipcache.default-ttl. */
        private @Nullable Duration ttl;

        /** Local size bound of this cache (entries per member). 0 means unbounded; unset means gossipcache.default-max-entries. */
        private @Nullable Long maxEntries;

        /**
         * How many members hold each key: 1 to 16 partitions the cache (each key lives on its owners only, and the
         * other members read it from them); unset or 0 means every member (a replicated cache). Must be the same on
         * every member.
         */
        private @Nullable Integer owners;

        /**
         * Partitioned caches only: how long a member keeps a value it read from an owner (its near cache; the owners
         * invalidate it on every write to the key). Unset or 0 means no near cache.
         */
        private @Nullable Duration nearCacheTtl;

        /** Most values this cache's near cache keeps on a member. Unset means 10000. */
        private @Nullable Long nearCacheMaxEntries;

        public @Nullable Duration getTtl() { return ttl; }

        public void setTtl(@Nullable Duration ttl) { this.ttl = ttl; }

        public @Nullable Long getMaxEntries() { return maxEntries; }

        public void setMaxEntries(@Nullable Long maxEntries) { this.maxEntries = maxEntries; }

        public @Nullable Integer getOwners() { return owners; }

        public void setOwners(@Nullable Integer owners) { this.owners = owners; }

        public @Nullable Duration getNearCacheTtl() { return nearCacheTtl; }

        public void setNearCacheTtl(@Nullable Duration nearCacheTtl) { this.nearCacheTtl = nearCacheTtl; }

        public @Nullable Long getNearCacheMaxEntries() { return nearCacheMaxEntries; }

        public void setNearCacheMaxEntries(@Nullable Long nearCacheMaxEntries) {
            this.nearCacheMaxEntries = nearCacheMaxEntries;
        }
    }

    /** How members find and reach each other (JGroups over TCP). */
    public static class Cluster {

        /** Members with the same cluster name form one cluster. */
        private String name = ClusterConfig.DEFAULT_CLUSTER_NAME;

        /** Address to bind to: an IP, a host name, or a JGroups symbol (SITE_LOCAL, NON_LOOPBACK, match-interface:...). Nothing binds beyond it. */
        private String bindAddress = ClusterConfig.DEFAULT_BIND_ADDRESS;

        /** First TCP port to try. */
        private int bindPort = ClusterConfig.DEFAULT_BIND_PORT;

        /** How many ports above bind-port may be tried, and probed for peers when no seeds are given. */
        private int portRange = ClusterConfig.DEFAULT_PORT_RANGE;

        /** Members to contact, as host[port] or host:port. Empty means bind-address over bind-port..bind-port+port-range. List every member so that a split cluster can merge. */
        private List<String> seeds = new ArrayList<>();

        /** A healed split merges within about this long (JGroups MERGE3). */
        private Duration mergeInterval = ClusterConfig.DEFAULT_MERGE_INTERVAL;

        /**
         * How long a starting member looks for an existing cluster before founding one (JGroups GMS join_timeout).
         * Default 500ms, or 2s with gossipcache.security.ssl-bundle (cold TLS handshakes are slower).
         */
        private @Nullable Duration joinTimeout;

        /** A JGroups XML stack (file path, classpath resource or URL) to use instead of the built-in TCP stack. */
        private @Nullable String jgroupsConfig;

        /** How members find each other: the seeds (static) or DNS names (a Kubernetes headless service). */
        private final Discovery discovery = new Discovery();

        public String getName() { return name; }

        public void setName(String name) { this.name = name; }

        public String getBindAddress() { return bindAddress; }

        public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }

        public int getBindPort() { return bindPort; }

        public void setBindPort(int bindPort) { this.bindPort = bindPort; }

        public int getPortRange() { return portRange; }

        public void setPortRange(int portRange) { this.portRange = portRange; }

        public List<String> getSeeds() { return seeds; }

        public void setSeeds(List<String> seeds) { this.seeds = seeds; }

        public Duration getMergeInterval() { return mergeInterval; }

        public void setMergeInterval(Duration mergeInterval) { this.mergeInterval = mergeInterval; }

        public @Nullable Duration getJoinTimeout() { return joinTimeout; }

        public void setJoinTimeout(@Nullable Duration joinTimeout) { this.joinTimeout = joinTimeout; }

        public @Nullable String getJgroupsConfig() { return jgroupsConfig; }

        public void setJgroupsConfig(@Nullable String jgroupsConfig) { this.jgroupsConfig = jgroupsConfig; }

        public Discovery getDiscovery() { return discovery; }
    }

    /** How members find each other. */
    public static class Discovery {

        /** static: the seeds (or bind-address over the port range); dns: the names under discovery.dns. */
        private DiscoveryType type = DiscoveryType.STATIC;

        /** Names looked up when the type is dns. */
        private final Dns dns = new Dns();

        public DiscoveryType getType() { return type; }

        public void setType(DiscoveryType type) { this.type = type; }

        public Dns getDns() { return dns; }
    }

    /** The ways members can find each other. */
    public enum DiscoveryType {
        /** The seeds, or the bind address over the port range. */
        STATIC,
        /** DNS names, looked up again at every discovery (JGroups DNS_PING). */
        DNS
    }

    /** DNS discovery: what a Kubernetes headless service (with publishNotReadyAddresses: true) offers. */
    public static class Dns {

        /** Names to look up, for example my-app-gossip.my-namespace.svc.cluster.local. Required when discovery.type is dns. */
        private List<String> query = new ArrayList<>();

        /** A: addresses, each probed on bind-port..bind-port+port-range; SRV: host and port per member. */
        private DnsDiscovery.RecordType recordType = DnsDiscovery.RecordType.A;

        /** DNS server to ask, as host or host:port (default port 53). Unset: the system's resolver, which applies its search domains. */
        private @Nullable String address;

        public List<String> getQuery() { return query; }

        public void setQuery(List<String> query) { this.query = query; }

        public DnsDiscovery.RecordType getRecordType() { return recordType; }

        public void setRecordType(DnsDiscovery.RecordType recordType) { this.recordType = recordType; }

        public @Nullable String getAddress() { return address; }

        public void setAddress(@Nullable String address) { this.address = address; }
    }

    /** Anti-entropy: members compare digests periodically and repair what differs. */
    public static class Gossip {

        /** Period of anti-entropy rounds. */
        private Duration interval = EngineConfig.DEFAULT_GOSSIP_INTERVAL;

        /** Peers contacted per round. */
        private int fanout = EngineConfig.DEFAULT_GOSSIP_FANOUT;

        public Duration getInterval() { return interval; }

        public void setInterval(Duration interval) { this.interval = interval; }

        public int getFanout() { return fanout; }

        public void setFanout(int fanout) { this.fanout = fanout; }
    }

    /** Detection of crashed, hung or cut-off members. */
    public static class FailureDetection {

        /** Heartbeat period. */
        private Duration interval = ClusterConfig.DEFAULT_FAILURE_DETECTION_INTERVAL;

        /** A silent (hung, cut off) member is suspected after this; must exceed the interval. A crashed process is seen much sooner through its closed sockets. */
        private Duration timeout = ClusterConfig.DEFAULT_FAILURE_DETECTION_TIMEOUT;

        /** How long a suspicion is verified before the member is excluded. */
        private Duration verifyTimeout = ClusterConfig.DEFAULT_VERIFY_SUSPECT_TIMEOUT;

        public Duration getInterval() { return interval; }

        public void setInterval(Duration interval) { this.interval = interval; }

        public Duration getTimeout() { return timeout; }

        public void setTimeout(Duration timeout) { this.timeout = timeout; }

        public Duration getVerifyTimeout() { return verifyTimeout; }

        public void setVerifyTimeout(Duration verifyTimeout) { this.verifyTimeout = verifyTimeout; }
    }

    /** How writes travel to the other members. */
    public static class Replication {

        /** async: a write returns at once; sync: it waits for every member's acknowledgement up to sync-timeout. */
        private ReplicationMode mode = EngineConfig.DEFAULT_REPLICATION_MODE;

        /** How long a synchronous write waits for acknowledgements. */
        private Duration syncTimeout = EngineConfig.DEFAULT_SYNC_TIMEOUT;

        /** Writes that may wait for the sender before writers block. */
        private int queueCapacity = EngineConfig.DEFAULT_REPLICATION_QUEUE_CAPACITY;

        /** How long a joining member waits at start-up for the cluster's current state. */
        private Duration stateTransferTimeout = EngineConfig.DEFAULT_STATE_TRANSFER_TIMEOUT;

        public ReplicationMode getMode() { return mode; }

        public void setMode(ReplicationMode mode) { this.mode = mode; }

        public Duration getSyncTimeout() { return syncTimeout; }

        public void setSyncTimeout(Duration syncTimeout) { this.syncTimeout = syncTimeout; }

        public int getQueueCapacity() { return queueCapacity; }

        public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }

        public Duration getStateTransferTimeout() { return stateTransferTimeout; }

        public void setStateTransferTimeout(Duration stateTransferTimeout) { this.stateTransferTimeout = stateTransferTimeout; }
    }

    /** How keys and values travel between members, and which classes may. */
    public static class Serialization {

        /**
         * How keys and values other than String, Long, Integer and byte[] are written: "fory" (Apache Fory: records
         * and plain classes need not be Serializable; much faster and smaller) or "java" (Java serialization: they
         * must be Serializable). Either reads both, so members may differ during a change. A Serializable key is
         * written with Java serialization either way, so that a key's bytes never change.
         */
        private ObjectFormat codec = DefaultCodec.DEFAULT_FORMAT;

        /**
         * Packages whose classes may travel as keys and values, besides JDK value types, Spring's NullValue and
         * SimpleKey, and (with allow-application-packages) the application's own packages. "com.example.orders"
         * (or "com.example.orders.*") is that package and its sub-packages; an entry whose last part starts with an
         * upper-case letter ("com.example.orders.Price") is that one class. A put of anything else fails on the
         * writer, since every member would refuse it.
         */
        private List<String> allowedPackages = new ArrayList<>();

        /**
         * Whether the application's own packages (those of its @SpringBootApplication class, as Boot's entity
         * scanning uses them) may travel as keys and values without being listed in allowed-packages.
         */
        private boolean allowApplicationPackages = true;

        public ObjectFormat getCodec() { return codec; }

        public void setCodec(ObjectFormat codec) { this.codec = codec; }

        public List<String> getAllowedPackages() { return allowedPackages; }

        public void setAllowedPackages(List<String> allowedPackages) { this.allowedPackages = allowedPackages; }

        public boolean isAllowApplicationPackages() { return allowApplicationPackages; }

        public void setAllowApplicationPackages(boolean allowApplicationPackages) {
            this.allowApplicationPackages = allowApplicationPackages;
        }
    }

    /** Size limits of what is cached and replicated. */
    public static class Limits {

        /** Largest serialized key: a bigger one fails the cache write; one arriving from a peer is dropped and counted. */
        private DataSize maxKeySize = DataSize.ofBytes(EngineConfig.DEFAULT_MAX_KEY_SIZE);

        /** Largest serialized value: a bigger one fails the cache write; one arriving from a peer is dropped and counted. */
        private DataSize maxValueSize = DataSize.ofBytes(EngineConfig.DEFAULT_MAX_VALUE_SIZE);

        public DataSize getMaxKeySize() { return maxKeySize; }

        public void setMaxKeySize(DataSize maxKeySize) { this.maxKeySize = maxKeySize; }

        public DataSize getMaxValueSize() { return maxValueSize; }

        public void setMaxValueSize(DataSize maxValueSize) { this.maxValueSize = maxValueSize; }
    }

    /** Who may take part in the cluster, and how its traffic is protected. */
    public static class Security {

        /**
         * Name of an SSL bundle (spring.ssl.bundle.jks.NAME or .pem.NAME) holding this member's key and the
         * certificates it trusts. When set, members talk mutual TLS (TLSv1.3 unless the bundle's
         * options.enabled-protocols say otherwise): a process without a trusted certificate cannot join, read or
         * write. When unset, cluster traffic is plain: anyone who reaches the cluster port can read and write
         * every cache (fine on loopback; a non-loopback bind address logs a warning).
         */
        private @Nullable String sslBundle;

        public @Nullable String getSslBundle() { return sslBundle; }

        public void setSslBundle(@Nullable String sslBundle) { this.sslBundle = sslBundle; }
    }

    /** The gossipCache health component. */
    public static class Health {

        /** Fewest members (this one included) for the component to be UP while clustered; below it is OUT_OF_SERVICE. */
        private int minMembers = 1;

        public int getMinMembers() { return minMembers; }

        public void setMinMembers(int minMembers) { this.minMembers = minMembers; }
    }

    // ---- validation: every message names the property

    @Override
    public boolean supports(Class<?> clazz) {
        return GossipCacheProperties.class.isAssignableFrom(clazz);
    }

    /**
     * The core's rules, through the same mapping that builds the engine's configuration, and then what only these
     * properties have: the allow-list notation, the health threshold and the SSL bundle.
     */
    @Override
    public void validate(Object target, Errors errors) {
        GossipCacheProperties p = (GossipCacheProperties) target;
        EngineConfigFactory.problems(p).forEach(problem -> errors.reject("invalid", problem));
        List<String> allowed = p.serialization.allowedPackages;
        for (int i = 0; i < allowed.size(); i++) {
            if (!AllowListEntries.isValid(allowed.get(i))) {
                errors.reject("syntax", "gossipcache.serialization.allowed-packages[" + i + "] '" + allowed.get(i)
                        + "' is not a package or class name: write a package as com.example.orders (its"
                        + " sub-packages included) and a class as com.example.orders.Price");
            }
        }
        // TLS is the core's only once the bundle is loaded, after binding: so the bundle's own rules are here
        String sslBundle = p.security.sslBundle;
        if (sslBundle != null && sslBundle.isBlank()) {
            errors.reject("blank", "gossipcache.security.ssl-bundle must name an SSL bundle (spring.ssl.bundle.*) or be unset");
        }
        if (sslBundle != null && p.cluster.jgroupsConfig != null && !p.cluster.jgroupsConfig.isBlank()) {
            errors.reject("conflict", "gossipcache.security.ssl-bundle applies to the built-in stack only: with"
                    + " gossipcache.cluster.jgroups-config, configure TLS or encryption in that XML");
        }
        if (p.health.minMembers < 0) {
            errors.reject("range", "gossipcache.health.min-members must not be negative (was " + p.health.minMembers + ")");
        }
    }
}
