package io.gossipcache.core.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jgroups.JChannel;

/**
 * How a member joins its cluster. Build with {@link #builder()}; defaults suit several instances on one
 * machine: loopback, port 7800 and up, every port of the range as a seed.
 */
public final class ClusterConfig {

    static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofMillis(500);
    static final Duration DEFAULT_TLS_JOIN_TIMEOUT = Duration.ofSeconds(2);

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

    private ClusterConfig(Builder b) {
        this.clusterName = requireText(b.clusterName, "cluster name");
        this.nodeName = b.nodeName == null || b.nodeName.isBlank() ? NodeNames.generate() : b.nodeName;
        this.bindAddress = requireText(b.bindAddress, "bind address");
        this.bindPort = b.bindPort;
        this.portRange = b.portRange;
        this.seeds = List.copyOf(b.seeds);
        this.dnsDiscovery = b.dnsDiscovery;
        this.failureDetectionInterval = positive(b.failureDetectionInterval, "failure-detection interval");
        this.failureDetectionTimeout = positive(b.failureDetectionTimeout, "failure-detection timeout");
        this.verifySuspectTimeout = positive(b.verifySuspectTimeout, "verify-suspect timeout");
        this.mergeInterval = positive(b.mergeInterval, "merge interval");
        this.tls = b.tls;
        this.configuredJoinTimeout = b.joinTimeout;
        // cold TLS handshakes are slow: at 500 ms one start in three founded a second cluster
        // (docs/architecture.md, 'JGroups facts we rely on')
        this.joinTimeout = positive(b.joinTimeout != null ? b.joinTimeout
                : tls != null ? DEFAULT_TLS_JOIN_TIMEOUT : DEFAULT_JOIN_TIMEOUT, "join timeout");
        this.jgroupsConfig = b.jgroupsConfig;
        if (tls != null && jgroupsConfig != null) {
            throw new IllegalArgumentException("TLS applies to the built-in stack only: with your own JGroups XML,"
                    + " configure TLS (or encryption) in the XML itself");
        }
        this.channelCustomizers = List.copyOf(b.channelCustomizers);
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bind port must be within 0..65535: " + bindPort);
        }
        if (portRange < 0 || bindPort + portRange > 65535) {
            throw new IllegalArgumentException("port range must be >= 0 and stay below 65536: " + portRange);
        }
        if (failureDetectionTimeout.compareTo(failureDetectionInterval) <= 0) {
            throw new IllegalArgumentException("failure-detection timeout (" + failureDetectionTimeout
                    + ") must exceed its interval (" + failureDetectionInterval + ")");
        }
        Seeds.parseAll(seeds); // fail early, naming the bad seed
        if (dnsDiscovery != null && !seeds.isEmpty()) {
            throw new IllegalArgumentException("Seeds apply to static discovery only: with DNS discovery, the names "
                    + dnsDiscovery.queries() + " list the members");
        }
        if (dnsDiscovery != null && jgroupsConfig != null) {
            throw new IllegalArgumentException("DNS discovery applies to the built-in stack only: with your own"
                    + " JGroups XML, configure dns.DNS_PING in the XML itself");
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value.trim();
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

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.clusterName = clusterName;
        b.nodeName = nodeName;
        b.bindAddress = bindAddress;
        b.bindPort = bindPort;
        b.portRange = portRange;
        b.seeds = new ArrayList<>(seeds);
        b.dnsDiscovery = dnsDiscovery;
        b.failureDetectionInterval = failureDetectionInterval;
        b.failureDetectionTimeout = failureDetectionTimeout;
        b.verifySuspectTimeout = verifySuspectTimeout;
        b.mergeInterval = mergeInterval;
        b.joinTimeout = configuredJoinTimeout;
        b.jgroupsConfig = jgroupsConfig;
        b.tls = tls;
        b.channelCustomizers = new ArrayList<>(channelCustomizers);
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

    /** Builder with the defaults documented on each setter. */
    public static final class Builder {
        private String clusterName = "gossipcache";
        private String nodeName;
        private String bindAddress = "127.0.0.1";
        private int bindPort = 7800;
        private int portRange = 10;
        private List<String> seeds = new ArrayList<>();
        private DnsDiscovery dnsDiscovery;
        private Duration failureDetectionInterval = Duration.ofSeconds(2);
        private Duration failureDetectionTimeout = Duration.ofSeconds(10);
        private Duration verifySuspectTimeout = Duration.ofSeconds(1);
        private Duration mergeInterval = Duration.ofSeconds(5);
        private Duration joinTimeout;
        private String jgroupsConfig;
        private ClusterTls tls;
        private List<Consumer<JChannel>> channelCustomizers = new ArrayList<>();

        private Builder() {
        }

        /** Members with the same name form one cluster. Default {@code gossipcache}. */
        public Builder clusterName(String v) { this.clusterName = v; return this; }

        /** The name this member shows in membership. Default: host name, process id and a counter. */
        public Builder nodeName(String v) { this.nodeName = v; return this; }

        /** IP, host name or JGroups symbol ({@code SITE_LOCAL}, {@code match-interface:...}). Default {@code 127.0.0.1}. */
        public Builder bindAddress(String v) { this.bindAddress = v; return this; }

        /** First port to try. Default 7800. */
        public Builder bindPort(int v) { this.bindPort = v; return this; }

        /** How many ports above the bind port may be tried (and probed for peers when there are no seeds). Default 10. */
        public Builder portRange(int v) { this.portRange = v; return this; }

        /** {@code host[port]} or {@code host:port}; empty = the bind address over the port range. */
        public Builder seeds(List<String> v) { this.seeds = new ArrayList<>(v); return this; }

        /**
         * Find members through DNS (a Kubernetes headless service) instead of seeds; {@code null}, the default, =
         * static discovery. Excludes {@link #seeds(List) seeds}.
         */
        public Builder dnsDiscovery(DnsDiscovery v) { this.dnsDiscovery = v; return this; }

        /** Heartbeat period. Default 2 s. */
        public Builder failureDetectionInterval(Duration v) { this.failureDetectionInterval = v; return this; }

        /** A member silent this long is suspected. Default 10 s. */
        public Builder failureDetectionTimeout(Duration v) { this.failureDetectionTimeout = v; return this; }

        /** How long a suspicion is verified before the member is excluded. Default 1 s. */
        public Builder verifySuspectTimeout(Duration v) { this.verifySuspectTimeout = v; return this; }

        /** A healed split merges within about this long (MERGE3). Default 5 s. */
        public Builder mergeInterval(Duration v) { this.mergeInterval = v; return this; }

        /**
         * How long a starting member looks for an existing cluster before founding one. Default 500 ms, or 2 s
         * with {@link #tls(ClusterTls) TLS}; {@code null} = the default.
         */
        public Builder joinTimeout(Duration v) { this.joinTimeout = v; return this; }

        /** Use this JGroups XML instead of the built-in stack. */
        public Builder jgroupsConfig(String v) { this.jgroupsConfig = v; return this; }

        /** Mutual TLS between members (built-in stack only); {@code null}, the default, = plain traffic. */
        public Builder tls(ClusterTls v) { this.tls = v; return this; }

        /** Adjusts the channel after it is built and before it connects. */
        public Builder channelCustomizer(Consumer<JChannel> v) { this.channelCustomizers.add(v); return this; }

        public ClusterConfig build() {
            return new ClusterConfig(this);
        }
    }
}
