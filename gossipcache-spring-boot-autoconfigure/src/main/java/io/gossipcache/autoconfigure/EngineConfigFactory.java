package io.gossipcache.autoconfigure;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.ClusterTls;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.store.CacheSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;

/** Builds the engine's configuration from {@link GossipCacheProperties}. */
final class EngineConfigFactory {

    /** Spring types that travel as keys and values: cached nulls and multi-argument keys. */
    static final List<String> SPRING_TYPES = List.of(
            "org.springframework.cache.support.NullValue",
            "org.springframework.cache.interceptor.SimpleKey");

    private EngineConfigFactory() {
    }

    /**
     * @param applicationPackages the application's own packages (Boot's auto-configuration packages), allowed to
     *                            travel unless gossipcache.serialization.allow-application-packages is false
     */
    static EngineConfig create(GossipCacheProperties p, Collection<String> springCacheNames, @Nullable String serverPort,
                               Collection<String> applicationPackages, ClassLoader classLoader, @Nullable ClusterTls tls,
                               Collection<GossipCacheClusterCustomizer> clusterCustomizers,
                               Collection<GossipCacheEngineCustomizer> engineCustomizers) {
        GossipCacheProperties.Cluster c = p.getCluster();
        ClusterConfig.Builder cluster = ClusterConfig.builder()
                .clusterName(c.getName())
                .nodeName(nodeName(p.getNodeName(), serverPort))
                .bindAddress(c.getBindAddress())
                .bindPort(c.getBindPort())
                .portRange(c.getPortRange())
                .seeds(c.getSeeds().stream().map(String::trim).toList())
                .dnsDiscovery(c.getDiscovery().getDns().toCore(c.getDiscovery().getType()))
                .mergeInterval(c.getMergeInterval())
                .joinTimeout(c.getJoinTimeout())
                .tls(tls)
                .failureDetectionInterval(p.getFailureDetection().getInterval())
                .failureDetectionTimeout(p.getFailureDetection().getTimeout())
                .verifySuspectTimeout(p.getFailureDetection().getVerifyTimeout());
        if (StringUtils.hasText(c.getJgroupsConfig())) {
            cluster.jgroupsConfig(c.getJgroupsConfig());
        }
        clusterCustomizers.forEach(customizer -> customizer.customize(cluster));

        List<String> allowed = new ArrayList<>(SPRING_TYPES);
        allowed.addAll(AllowListEntries.of(p.getSerialization().getAllowedPackages()));
        if (p.getSerialization().isAllowApplicationPackages()) {
            allowed.addAll(AllowListEntries.of(applicationPackages));
        }
        DefaultCodec codec = new DefaultCodec(AllowList.of(allowed), classLoader);

        CacheSettings defaults = new CacheSettings(p.getDefaultTtl(), p.getDefaultMaxEntries());
        EngineConfig.Builder engine = EngineConfig.builder()
                .cluster(build(cluster))
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
                .startMode(p.getMode())
                .maxKeySize((int) p.getLimits().getMaxKeySize().toBytes())
                .maxValueSize((int) p.getLimits().getMaxValueSize().toBytes())
                .keyCodec(codec)
                .valueCodec(codec);
        for (String name : springCacheNames) {
            if (!p.getCaches().containsKey(name)) {
                engine.cache(name, defaults);
            }
        }
        p.getCaches().forEach((name, cache) -> {
            Duration ttl = cache.getTtl() != null ? cache.getTtl() : p.getDefaultTtl();
            long max = cache.getMaxEntries() != null ? cache.getMaxEntries() : p.getDefaultMaxEntries();
            engine.cache(name, new CacheSettings(ttl, max));
        });
        engineCustomizers.forEach(customizer -> customizer.customize(engine));
        try {
            return engine.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Invalid gossipcache configuration: " + e.getMessage(), e);
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
