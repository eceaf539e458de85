package io.gossipcache.core.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jgroups.JChannel;

/**
 * How a member joins its cluster. Build with {@link #builder()}; defaults suit several instances on one
 * machine: loopback, port 7800 and up, every port of the range as a seed.
 *
 * <p>The {@code DEFAULT_*} constants are the defaults of the builder and of the Spring Boot starter's properties
 * alike, and {@link Builder#problems()} holds the rules for both. Messages name the starter's property
 * ({@code gossipcache.cluster.*}, {@code gossipcache.failure-detection.*}); each setter says which property sets it.
 */
public final class ClusterConfig {

    /** Default of {@link Builder#clusterName(String)}. */
    public static final String DEFAULT_CLUSTER_NAME = "gossipcache";
    /** Default of {@link Builder#bindAddress(String)}: loopback, so nothing is reachable from other hosts. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Default of {@link Builder#bindPort(int)}. */
    public static final int DEFAULT_BIND_PORT = 7800;
    /** Default of {@link Builder#portRange(int)}. */
    public static final int DEFAULT_PORT_RANGE = 10;
    /** Default of {@link Builder#failureDetectionInterval(Duration)}. */
    public static final Duration DEFAULT_FAILURE_DETECTION_INTERVAL = Duration.ofSeconds(2);
    /** Default of {@link Builder#failureDetectionTimeout(Duration)}. */
    public static final Duration DEFAULT_FAILURE_DETECTION_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link Builder#verifySuspectTimeout(Duration)}. */
    public static final Duration DEFAULT_VERIFY_SUSPECT_TIMEOUT = Duration.ofSeconds(1);
    /** Default of {@link Builder#mergeInterval(Duration)}. */
    public static final Duration DEFAULT_MERGE_INTERVAL = Duration.ofSeconds(5);
    /** Default of {@link Builder#joinTimeout(Duration)} without TLS. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofMillis(500);
    /** Default of {@link Builder#joinTimeout(Duration)} with {@link Builder#tls(ClusterTls) TLS}. */
    public static final Duration DEFAULT_TLS_JOIN_TIMEOUT = Duration.ofSeconds(2);

    private final String clusterName;
    private final String nodeName;
    private final String bindAddress;
    private final int bindPort;
    private final int portRange;
    private final List<String> seeds;
    private final DnsDiscovery dnsDiscovery;
    private final Duration failureDetectionInterval;
    private final Duration failureDetectionTimeout;
    private final Duration verifySuspectTimeout;
    private final Duration mergeInterval;
    private final Duration joinTimeout;
    /** As set on the builder ({@code null} = default), so that toBuilder() keeps following the TLS default. */
    private final Duration configuredJoinTimeout;
    private final String jgroupsConfig;
    private final ClusterTls tls;
    private final List<Consumer<JChannel>> channelCustomizers;
    private final ProtocolVersion protocolVersion;

    /** Only from {@link Builder#build()}, which has checked the values. */
    private ClusterConfig(Builder b) {
        this.clusterName = b.clusterName.trim();
        this.nodeName = b.nodeName == null || b.nodeName.isBlank() ? NodeNames.generate() : b.nodeName;
        this.bindAddress = b.bindAddress.trim();
        this.bindPort = b.bindPort;
        this.portRange = b.portRange;
        this.seeds = List.copyOf(b.seeds);
        this.dnsDiscovery = b.resolvedDnsDiscovery();
        this.failureDetectionInterval = b.failureDetectionInterval;
        this.failureDetectionTimeout = b.failureDetectionTimeout;
        this.verifySuspectTimeout = b.verifySuspectTimeout;
        this.mergeInterval = b.mergeInterval;
        this.tls = b.tls;
        this.configuredJoinTimeout = b.joinTimeout;
        this.joinTimeout = b.effectiveJoinTimeout();
        this.jgroupsConfig = b.jgroupsConfig;
        this.channelCustomizers = List.copyOf(b.channelCustomizers);
        this.protocolVersion = b.protocolVersion;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.clusterName = clusterName;
        b.nodeName = nodeName;
        b.bindAddress = bindAddress;
        b.bindPort = bindPort;
        b.portRange = portRange;
        b.seeds = new ArrayList<>(seeds);
        b.dnsDiscovery(dnsDiscovery);
        b.failureDetectionInterval = failureDetectionInterval;
        b.failureDetectionTimeout = failureDetectionTimeout;
        b.verifySuspectTimeout = verifySuspectTimeout;
        b.mergeInterval = mergeInterval;
        b.joinTimeout = configuredJoinTimeout;
        b.jgroupsConfig = jgroupsConfig;
        b.tls = tls;
        b.channelCustomizers = new ArrayList<>(channelCustomizers);
        b.protocolVersion = protocolVersion;
        return b;
    }

    public String clusterName() { return clusterName; }

    public String nodeName() { return nodeName; }

    public String bindAddress() { return bindAddress; }

    public int bindPort() { return bindPort; }

    public int portRange() { return portRange; }

    public List<String> seeds() { return seeds; }

    /** How DNS names the members, or {@code null} for static discovery (the seeds, or the local port range). */
    public DnsDiscovery dnsDiscovery() { return dnsDiscovery; }

    public Duration failureDetectionInterval() { return failureDetectionInterval; }

    public Duration failureDetectionTimeout() { return failureDetectionTimeout; }

    public Duration verifySuspectTimeout() { return verifySuspectTimeout; }

    public Duration mergeInterval() { return mergeInterval; }

    public Duration joinTimeout() { return joinTimeout; }

    /** A user's own JGroups XML (file path, classpath resource or URL), or {@code null} for the built-in stack. */
    public String jgroupsConfig() { return jgroupsConfig; }

    /** Mutual TLS between members, or {@code null} when cluster traffic is plain. */
    public ClusterTls tls() { return tls; }

    public List<Consumer<JChannel>> channelCustomizers() { return channelCustomizers; }

    /** The protocol this member speaks: {@link ProtocolVersion#CURRENT} unless set to an older one. */
    public ProtocolVersion protocolVersion() { return protocolVersion; }

    /** Builder with the defaults documented on each setter. */
    public static final class Builder {
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private String nodeName;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int bindPort = DEFAULT_BIND_PORT;
        private int portRange = DEFAULT_PORT_RANGE;
        private List<String> seeds = new ArrayList<>();
        // DNS discovery as given, checked with the rest (so that a bad name and a conflict show together)
        private boolean dns;
        private List<String> dnsQueries;
        private DnsDiscovery.RecordType dnsRecordType;
        private String dnsServer;
        private Duration failureDetectionInterval = DEFAULT_FAILURE_DETECTION_INTERVAL;
        private Duration failureDetectionTimeout = DEFAULT_FAILURE_DETECTION_TIMEOUT;
        private Duration verifySuspectTimeout = DEFAULT_VERIFY_SUSPECT_TIMEOUT;
        private Duration mergeInterval = DEFAULT_MERGE_INTERVAL;
        private Duration joinTimeout;
        private String jgroupsConfig;
        private ClusterTls tls;
        private List<Consumer<JChannel>> channelCustomizers = new ArrayList<>();
        private ProtocolVersion protocolVersion = ProtocolVersion.CURRENT;

        private Builder() {
        }

        /**
         * Members with the same name form one cluster; not blank. Default {@code gossipcache}. Property:
         * {@code gossipcache.cluster.name}.
         */
        public Builder clusterName(String v) { this.clusterName = v; return this; }

        /**
         * The name this member shows in membership. Default: host name, process id and a counter. Property:
         * {@code gossipcache.node-name}.
         */
        public Builder nodeName(String v) { this.nodeName = v; return this; }

        /**
         * IP, host name or JGroups symbol ({@code SITE_LOCAL}, {@code match-interface:...}); not blank. Default
         * {@code 127.0.0.1}. Property: {@code gossipcache.cluster.bind-address}.
         */
        public Builder bindAddress(String v) { this.bindAddress = v; return this; }

        /** First port to try, 0..65535. Default 7800. Property: {@code gossipcache.cluster.bind-port}. */
        public Builder bindPort(int v) { this.bindPort = v; return this; }

        /**
         * How many ports above the bind port may be tried (and probed for peers when there are no seeds); not
         * negative, and the last port at most 65535. Default 10. Property: {@code gossipcache.cluster.port-range}.
         */
        public Builder portRange(int v) { this.portRange = v; return this; }

        /**
         * {@code host[port]} or {@code host:port}; empty = the bind address over the port range. Property:
         * {@code gossipcache.cluster.seeds}.
         */
        public Builder seeds(List<String> v) { this.seeds = new ArrayList<>(v); return this; }

        /**
         * Find members through DNS (a Kubernetes headless service) instead of seeds; {@code null}, the default, =
         * static discovery. Excludes {@link #seeds(List) seeds} and {@link #jgroupsConfig(String) an own stack}.
         * Properties: {@code gossipcache.cluster.discovery.*}.
         */
        public Builder dnsDiscovery(DnsDiscovery v) {
            return v == null ? staticDiscovery() : dnsDiscovery(v.queries(), v.recordType(), v.server());
        }

        /**
         * DNS discovery from its parts as written, checked by {@link #problems()} and {@link #build()} (see
         * {@link DnsDiscovery}): so that a bad name is reported together with any other problem.
         */
        public Builder dnsDiscovery(List<String> queries, DnsDiscovery.RecordType recordType, String server) {
            this.dns = true;
            this.dnsQueries = queries == null ? null : new ArrayList<>(queries);
            this.dnsRecordType = recordType;
            this.dnsServer = server;
            return this;
        }

        /** Static discovery (the default): the seeds, or the bind address over the port range. */
        public Builder staticDiscovery() {
            this.dns = false;
            this.dnsQueries = null;
            this.dnsRecordType = null;
            this.dnsServer = null;
            return this;
        }

        /** Heartbeat period; positive. Default 2 s. Property: {@code gossipcache.failure-detection.interval}. */
        public Builder failureDetectionInterval(Duration v) { this.failureDetectionInterval = v; return this; }

        /**
         * A member silent this long is suspected; longer than the interval. Default 10 s. Property:
         * {@code gossipcache.failure-detection.timeout}.
         */
        public Builder failureDetectionTimeout(Duration v) { this.failureDetectionTimeout = v; return this; }

        /**
         * How long a suspicion is verified before the member is excluded; positive. Default 1 s. Property:
         * {@code gossipcache.failure-detection.verify-timeout}.
         */
        public Builder verifySuspectTimeout(Duration v) { this.verifySuspectTimeout = v; return this; }

        /**
         * A healed split merges within about this long (MERGE3); positive. Default 5 s. Property:
         * {@code gossipcache.cluster.merge-interval}.
         */
        public Builder mergeInterval(Duration v) { this.mergeInterval = v; return this; }

        /**
         * How long a starting member looks for an existing cluster before founding one. Default 500 ms, or 2 s
         * with {@link #tls(ClusterTls) TLS}; {@code null} = the default; positive. Property:
         * {@code gossipcache.cluster.join-timeout}.
         */
        public Builder joinTimeout(Duration v) { this.joinTimeout = v; return this; }

        /** Use this JGroups XML instead of the built-in stack. Property: {@code gossipcache.cluster.jgroups-config}. */
        public Builder jgroupsConfig(String v) { this.jgroupsConfig = v; return this; }

        /**
         * Mutual TLS between members (built-in stack only); {@code null}, the default, = plain traffic. Property:
         * {@code gossipcache.security.ssl-bundle}.
         */
        public Builder tls(ClusterTls v) { this.tls = v; return this; }

        /** Adjusts the channel after it is built and before it connects. */
        public Builder channelCustomizer(Consumer<JChannel> v) { this.channelCustomizers.add(v); return this; }

        /**
         * Speak an older protocol this release still supports ({@link ProtocolVersion#SUPPORTED}), as the previous
         * release does: it writes and reads only that version's format. For compatibility tests and upgrade drills; a
         * cluster picks the lowest version present by itself. Default {@link ProtocolVersion#CURRENT}. No property:
         * a {@code GossipCacheClusterCustomizer} sets it.
         */
        public Builder protocolVersion(ProtocolVersion v) { this.protocolVersion = v; return this; }

        /**
         * What {@link #build()} would refuse, one message per problem, each naming the Spring Boot property that sets
         * the value; empty when the values are valid. The starter reports these when its properties are bound, so
         * that every problem shows at once.
         */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (clusterName == null || clusterName.isBlank()) {
                problems.add("gossipcache.cluster.name must not be empty");
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                problems.add("gossipcache.cluster.bind-address must not be empty");
            }
            if (bindPort < 0 || bindPort > 65535) {
                problems.add("gossipcache.cluster.bind-port must be within 0..65535 (was " + bindPort + ")");
            }
            if (portRange < 0 || bindPort + portRange > 65535) {
                problems.add("gossipcache.cluster.port-range must be >= 0 and keep bind-port + port-range below 65536"
                        + " (was " + portRange + ")");
            }
            for (int i = 0; i < seeds.size(); i++) {
                try {
                    Seeds.parse(seeds.get(i));
                } catch (IllegalArgumentException e) {
                    problems.add("gossipcache.cluster.seeds[" + i + "] '" + seeds.get(i)
                            + "' is not host[port] or host:port: " + e.getMessage());
                }
            }
            if (dns) {
                if (dnsRecordType == null) {
                    problems.add("gossipcache.cluster.discovery.dns.record-type must be set");
                }
                problems.addAll(DnsDiscovery.problems(dnsQueries, dnsServer));
                if (!seeds.isEmpty()) {
                    problems.add("gossipcache.cluster.seeds apply to static discovery only: remove them, or set"
                            + " gossipcache.cluster.discovery.type to static");
                }
                if (jgroupsConfig != null) {
                    problems.add("gossipcache.cluster.discovery.type dns applies to the built-in stack only: with"
                            + " gossipcache.cluster.jgroups-config, configure dns.DNS_PING in that XML");
                }
            }
            positive(problems, "gossipcache.failure-detection.interval", failureDetectionInterval);
            positive(problems, "gossipcache.failure-detection.timeout", failureDetectionTimeout);
            positive(problems, "gossipcache.failure-detection.verify-timeout", verifySuspectTimeout);
            if (failureDetectionInterval != null && failureDetectionTimeout != null
                    && failureDetectionTimeout.compareTo(failureDetectionInterval) <= 0) {
                problems.add("gossipcache.failure-detection.timeout (" + failureDetectionTimeout
                        + ") must exceed gossipcache.failure-detection.interval (" + failureDetectionInterval + ")");
            }
            positive(problems, "gossipcache.cluster.merge-interval", mergeInterval);
            if (!ProtocolVersion.SUPPORTED.contains(protocolVersion)) {
                problems.add("protocol version " + protocolVersion + " is not one this release speaks "
                        + ProtocolVersion.SUPPORTED);
            }
            positive(problems, "gossipcache.cluster.join-timeout", effectiveJoinTimeout());
            if (tls != null && jgroupsConfig != null) {
                problems.add("TLS (gossipcache.security.ssl-bundle) applies to the built-in stack only: with your own"
                        + " JGroups XML (gossipcache.cluster.jgroups-config), configure TLS or encryption in that XML");
            }
            return problems;
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                problems.add(name + " must be positive (was " + value + ")");
            }
        }

        // cold TLS handshakes are slow: at 500 ms one start in three founded a second cluster
        // (docs/architecture.md, 'JGroups facts we rely on')
        private Duration effectiveJoinTimeout() {
            return joinTimeout != null ? joinTimeout : tls != null ? DEFAULT_TLS_JOIN_TIMEOUT : DEFAULT_JOIN_TIMEOUT;
        }

        private DnsDiscovery resolvedDnsDiscovery() {
            return dns ? new DnsDiscovery(dnsQueries, dnsRecordType, dnsServer) : null;
        }

        /**
         * @throws IllegalArgumentException listing every {@link #problems() problem}
         */
        public ClusterConfig build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new ClusterConfig(this);
        }
    }
}
