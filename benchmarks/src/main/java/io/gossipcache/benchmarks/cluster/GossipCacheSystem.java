package io.gossipcache.benchmarks.cluster;

import io.gossipcache.benchmarks.member.CacheSystem;
import io.gossipcache.benchmarks.member.MemberOptions;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.replication.ReplicationMode;
import java.time.Duration;
import java.util.stream.Collectors;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;

/**
 * gossipcache in a scenario member: a {@link GossipCacheEngine} with its defaults, ASYNC replication, bound to
 * 127.0.0.1 with every member of the scenario as a TCPPING seed. Values are {@code byte[]}, stored as they are.
 */
public class GossipCacheSystem implements CacheSystem {

    static final String CACHE = "bench";
    /** FD_SOCK2's port offset from the transport port; the same on every member (see below). */
    static final int FD_SOCK_OFFSET = 100;

    private GossipCacheEngine engine;
    private ReplicatedCache cache;

    @Override
    public String name() {
        return "gossipcache";
    }

    @Override
    public String version() {
        String v = GossipCacheEngine.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String describe(MemberOptions o) {
        ClusterConfig c = clusterConfig(o);
        return "`GossipCacheEngine` with default `EngineConfig` except `ReplicationMode.ASYNC`; one cache `" + CACHE
                + "` (unbounded, no default TTL). JGroups TCP on 127.0.0.1 (tcp_nodelay, transfer-queue bundler),"
                + " TCPPING with every member as seed, join timeout " + c.joinTimeout().toMillis() + " ms, MERGE3 "
                + c.mergeInterval().toMillis() + " ms; failure detection FD_SOCK2 (127.0.0.1, port + 100) + FD_ALL3 "
                + c.failureDetectionInterval().toMillis() + "/" + c.failureDetectionTimeout().toMillis()
                + " ms + VERIFY_SUSPECT2 " + c.verifySuspectTimeout().toMillis() + " ms"
                + (o.tunedFailureDetection() ? " (tuned)" : " (defaults)")
                + "; state transfer on join, anti-entropy every 2 s; TTL carried by the writer.";
    }

    static ClusterConfig clusterConfig(MemberOptions o) {
        ClusterConfig.Builder b = ClusterConfig.builder()
                .clusterName(o.clusterName())
                .nodeName(o.memberName())
                .bindAddress(MemberOptions.BIND_ADDRESS)
                .bindPort(o.port())
                .portRange(0)
                .seeds(o.seedPorts().stream().map(p -> MemberOptions.BIND_ADDRESS + "[" + p + "]")
                        .collect(Collectors.toList()))
                .channelCustomizer(GossipCacheSystem::pinFailureDetectionPort);
        if (o.tunedFailureDetection()) {
            // The tightest settings measured as safe enough on a LAN (docs/architecture.md, 'JGroups facts we rely
            // on'); not our defaults.
            b.failureDetectionInterval(Duration.ofSeconds(1))
                    .failureDetectionTimeout(Duration.ofSeconds(3))
                    .verifySuspectTimeout(Duration.ofMillis(500));
        }
        return b.build();
    }

    /**
     * FD_SOCK2 listens on transport port + offset, and finds a peer's at the peer's transport port + its own
     * offset: the offset must be the same on every member, so it cannot follow the per-member aux bases (a
     * per-member offset made FD_SOCK2 miss a kill -9 whenever the ring put member 0 next to the victim). With
     * the default offset 100 and no range, member i's FD_SOCK2 is on base + 100 + i, inside this system's block.
     */
    private static void pinFailureDetectionPort(JChannel channel) {
        FD_SOCK2 fd = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
        if (fd != null) {
            fd.setOffset(FD_SOCK_OFFSET).setPortRange(0);
        }
    }

    @Override
    public void start(MemberOptions options) {
        EngineConfig config = configure(EngineConfig.builder()
                .cluster(clusterConfig(options))
                .replicationMode(ReplicationMode.ASYNC))
                .build();
        engine = new GossipCacheEngine(config);
        engine.start();
        cache = engine.cache(CACHE);
    }

    /** A variant's own settings (codecs) over these. */
    EngineConfig.Builder configure(EngineConfig.Builder engineConfig) {
        return engineConfig;
    }

    /** The scenario's cache, once started. */
    ReplicatedCache cache() {
        return cache;
    }

    @Override
    public void put(String key, byte[] value) {
        cache.put(key, value, Duration.ZERO);
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        cache.put(key, value, Duration.ofMillis(ttlMillis));
    }

    @Override
    public byte[] get(String key) {
        return (byte[]) cache.get(key);
    }

    @Override
    public long localSize() {
        return cache.size();
    }

    @Override
    public int viewSize() {
        return engine.view().size();
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
