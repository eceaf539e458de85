package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Starts engines that form one cluster on 127.0.0.1, each test on its own cluster name and port range so
 * that nothing (a demo cluster on 7800, another test) can join it. Closes every engine it started.
 */
final class TestCluster implements AutoCloseable {

    private static final AtomicInteger NEXT_BASE = new AtomicInteger(21000 + (int) (ProcessHandle.current().pid() % 200) * 20);

    final String name;
    final int basePort;
    private final List<GossipCacheEngine> engines = new ArrayList<>();
    private final UnaryOperator<EngineConfig.Builder> customizer;

    TestCluster(String name) {
        this(name, UnaryOperator.identity());
    }

    TestCluster(String name, UnaryOperator<EngineConfig.Builder> customizer) {
        this.name = name + "-" + ProcessHandle.current().pid();
        this.basePort = NEXT_BASE.getAndAdd(20);
        this.customizer = customizer;
    }

    ClusterConfig.Builder clusterConfig(String nodeName) {
        return ClusterConfig.builder()
                .clusterName(name)
                .nodeName(nodeName)
                .bindAddress("127.0.0.1")
                .bindPort(basePort)
                .portRange(9)
                .failureDetectionInterval(Duration.ofSeconds(1))
                .failureDetectionTimeout(Duration.ofSeconds(5))
                .mergeInterval(Duration.ofSeconds(2));
    }

    /** Starts one more member and waits until it has joined (and received the state). */
    GossipCacheEngine start(String nodeName) {
        EngineConfig config = customizer.apply(EngineConfig.builder().cluster(clusterConfig(nodeName).build())).build();
        GossipCacheEngine engine = new GossipCacheEngine(config);
        engines.add(engine);
        engine.start();
        return engine;
    }

    List<GossipCacheEngine> start(int count) {
        List<GossipCacheEngine> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start("node-" + (char) ('a' + engines.size())));
        }
        return started;
    }

    @Override
    public void close() {
        for (GossipCacheEngine engine : engines) {
            try {
                engine.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        engines.clear();
    }

    static final Duration WAIT = Duration.ofSeconds(20);
}
