package io.gossipcache.autoconfigure;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.ClusterTls;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.store.CacheSettings;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/** Builds the engine's configuration from {@link GossipCacheProperties}. */
final class EngineConfigFactory {

    /** Spring types that travel as keys and values: cached nulls and multi-argument keys. */
    static final List<String> SPRING_TYPES = List.of(
            "org.springframework.cache.support.NullValue",
            "org.springframework.cache.interceptor.SimpleKey");

    private EngineConfigFactory() {
    }

    /** The engine's configuration, with the given codecs. */
    static EngineConfig create(GossipCacheProperties p, Collection<String> springCacheNames, @Nullable String serverPort,
                               Codec keyCodec, Codec valueCodec, @Nullable ClusterTls tls,
                               ObservationRegistry observationRegistry,
                               Collection<GossipCacheClusterCustomizer> clusterCustomizers,
                               Collection<GossipCacheEngineCustomizer> engineCustomizers) {
        ClusterConfig.Builder cluster = cluster(p).nodeName(nodeName(p.getNodeName(), serverPort)).tls(tls);
        clusterCustomizers.forEach(customizer -> customizer.customize(cluster));

        List<String> problems = new ArrayList<>();
        EngineConfig.Builder engine = engine(p, springCacheNames, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid gossipcache configuration: " + String.join("; ", problems));
        }
        engine.cluster(build(cluster)).keyCodec(keyCodec).valueCodec(valueCodec)
                .observationRegistry(observationRegistry);
        engineCustomizers.forEach(customizer -> customizer.customize(engine));
        try {
            return engine.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Invalid gossipcache configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The codec the starter uses unless the application defines its own, in the configured format.
     *
     * @param applicationPackages the application's own packages (Boot's auto-configuration packages), allowed to
     *                            travel unless gossipcache.serialization.allow-application-packages is false
     */
    static DefaultCodec defaultCodec(GossipCacheProperties p, Collection<String> applicationPackages,
                                     ClassLoader classLoader) {
        List<String> allowed = new ArrayList<>(SPRING_TYPES);
        allowed.addAll(AllowListEntries.of(p.getSerialization().getAllowedPackages()));
        if (p.getSerialization().isAllowApplicationPackages()) {
            allowed.addAll(AllowListEntries.of(applicationPackages));
        }
        return new DefaultCodec(AllowList.of(allowed), classLoader, p.getSerialization().getCodec());
    }

    /**
     * What is wrong with the properties by the core's rules (and the conversions on the way to them), each message
     * naming its property: the same mapping as {@link #create}, without what only start-up has (TLS, customizers,
     * spring.cache.cache-names).
     */
    static List<String> problems(GossipCacheProperties p) {
        List<String> problems = new ArrayList<>(cluster(p).problems());
        EngineConfig.Builder engine = engine(p, List.of(), problems);
        problems.addAll(engine.problems());
        return problems;
    }

    private static ClusterConfig.Builder cluster(GossipCacheProperties p) {
        GossipCacheProperties.Cluster c = p.getCluster();
        ClusterConfig.Builder cluster = ClusterConfig.builder()
                .clusterName(c.getName())
                .bindAddress(c.getBindAddress())
                .bindPort(c.getBindPort())
                .portRange(c.getPortRange())
                .seeds(c.getSeeds().stream().map(seed -> seed == null ? "" : seed.trim()).toList())
                .mergeInterval(c.getMergeInterval())
                .joinTimeout(c.getJoinTimeout())
                .failureDetectionInterval(p.getFailureDetection().getInterval())
                .failureDetectionTimeout(p.getFailureDetection().getTimeout())
                .verifySuspectTimeout(p.getFailureDetection().getVerifyTimeout());
        if (c.getDiscovery().getType() == GossipCacheProperties.DiscoveryType.DNS) {
            GossipCacheProperties.Dns dns = c.getDiscovery().getDns();
            cluster.dnsDiscovery(dns.getQuery(), dns.getRecordType(), dns.getAddress());
        }
        if (StringUtils.hasText(c.getJgroupsConfig())) {
            cluster.jgroupsConfig(c.getJgroupsConfig());
        }
        return cluster;
    }

    /**
     * Everything but the cluster and the codecs. Cache settings the core refuses, and sizes that do not fit the
     * core's int, are added to {@code problems} (by the core's wording) and left at their defaults.
     */
    private static EngineConfig.Builder engine(GossipCacheProperties p, Collection<String> springCacheNames,
                                               List<String> problems) {
        CacheSettings defaults = cacheSettings(problems, "gossipcache.default-", p.getDefaultTtl(),
                p.getDefaultMaxEntries());
        EngineConfig.Builder engine = EngineConfig.builder()
                .defaultCacheSettings(defaults)
                .dynamicCaches(p.isDynamicCaches())
                .maxCaches(p.getMaxCaches())
                .replicationMode(p.getReplication().getMode())
                .syncTimeout(p.getReplication().getSyncTimeout())
                .replicationQueueCapacity(p.getReplication().getQueueCapacity())
                .stateTransferTimeout(p.getReplication().getStateTransferTimeout())
                .tombstoneRetention(p.getTombstoneRetention())
                .gossipInterval(p.getGossip().getInterval())
                .gossipFanout(p.getGossip().getFanout())
                .startMode(p.getMode());
        bytes(problems, "gossipcache.limits.max-key-size", p.getLimits().getMaxKeySize(), engine::maxKeySize);
        bytes(problems, "gossipcache.limits.max-value-size", p.getLimits().getMaxValueSize(), engine::maxValueSize);
        for (String name : springCacheNames) {
            if (!p.getCaches().containsKey(name)) {
                engine.cache(name, defaults);
            }
        }
        p.getCaches().forEach((name, cache) -> {
            Duration ttl = cache.getTtl() != null ? cache.getTtl() : defaults.defaultTtl();
            long max = cache.getMaxEntries() != null ? cache.getMaxEntries() : defaults.maxEntries();
            String prefix = "gossipcache.caches." + name + ".";
            CacheSettings settings = cacheSettings(problems, prefix, ttl, max);
            int before = problems.size();
            int owners = cache.getOwners() != null ? cache.getOwners() : 0;
            CacheSettings.ownersProblem(prefix + "owners", owners).ifPresent(problems::add);
            Duration nearTtl = cache.getNearCacheTtl() != null ? cache.getNearCacheTtl() : Duration.ZERO;
            CacheSettings.NearCache near = nearTtl.isZero() ? CacheSettings.NearCache.OFF
                    : new CacheSettings.NearCache(nearTtl, cache.getNearCacheMaxEntries() != null
                            ? cache.getNearCacheMaxEntries() : CacheSettings.NearCache.DEFAULT_MAX_ENTRIES);
            CacheSettings.nearCacheProblem(prefix + "near-cache-ttl", prefix + "near-cache-max-entries", owners, near)
                    .ifPresent(problems::add);
            engine.cache(name, problems.size() == before ? settings.withOwners(owners).withNearCache(near) : settings);
        });
        return engine;
    }

    /** The settings, or the core's defaults when it refuses them (then with the reasons in {@code problems}). */
    private static CacheSettings cacheSettings(List<String> problems, String prefix, @Nullable Duration ttl,
                                               long maxEntries) {
        int before = problems.size();
        CacheSettings.ttlProblem(prefix + "ttl", ttl).ifPresent(problems::add);
        CacheSettings.maxEntriesProblem(prefix + "max-entries", maxEntries).ifPresent(problems::add);
        return problems.size() == before ? new CacheSettings(ttl, maxEntries) : CacheSettings.DEFAULTS;
    }

    /** DataSize to the core's int of bytes: a size an int cannot hold is refused here, the rest by the core. */
    private static void bytes(List<String> problems, String property, @Nullable DataSize size, IntConsumer setter) {
        if (size == null || size.toBytes() > Integer.MAX_VALUE || size.toBytes() < Integer.MIN_VALUE) {
            problems.add(property + " must be between 1B and 2GB (was " + size + ")");
        } else {
            setter.accept((int) size.toBytes());
        }
    }

    private static ClusterConfig build(ClusterConfig.Builder cluster) {
        try {
            return cluster.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Invalid gossipcache.cluster configuration: " + e.getMessage(), e);
        }
    }

    /** The configured name; else "host:port" when the server port is known; else {@code null} (the engine's default). */
    static @Nullable String nodeName(@Nullable String configured, @Nullable String serverPort) {
        if (StringUtils.hasText(configured)) {
            return configured.trim();
        }
        if (StringUtils.hasText(serverPort)) {
            try {
                int port = Integer.parseInt(serverPort.trim());
                if (port > 0) {
                    return hostName() + ":" + port;
                }
            } catch (NumberFormatException e) {
                // not a fixed port: fall back to the engine's default
            }
        }
        return null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
