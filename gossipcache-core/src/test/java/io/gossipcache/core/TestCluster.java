package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jgroups.JChannel;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

/**
 * Starts engines that form one cluster on 127.0.0.1, each test on its own cluster name and port range so
 * that nothing (a demo cluster on 7800, another test) can join it. Closes every engine it started.
 */
final class TestCluster implements AutoCloseable {

    private static final AtomicInteger NEXT_BASE = new AtomicInteger((int) (ProcessHandle.current().pid() % 100) * 20);

    final String name;
    final int basePort;
    /** Written by concurrent starters (ConcurrentStartClusterTest): an ArrayList there lost adds and threw. */
    private final List<GossipCacheEngine> engines = new CopyOnWriteArrayList<>();
    private final UnaryOperator<EngineConfig.Builder> customizer;
    private UnaryOperator<ClusterConfig.Builder> clusterTweaks = UnaryOperator.identity();
    /** Each member's current channel. */
    private final Map<String, JChannel> channels = new ConcurrentHashMap<>();
    /** The names each member drops messages from while partitioned; a member started meanwhile drops them too. */
    private final Map<String, List<String>> partitionedFrom = new ConcurrentHashMap<>();
    private final Map<String, NamePartition> partitions = new ConcurrentHashMap<>();

    TestCluster(String name) {
        this(name, UnaryOperator.identity());
    }

    TestCluster(String name, UnaryOperator<EngineConfig.Builder> customizer) {
        this.name = name + "-" + ProcessHandle.current().pid();
        this.basePort = 21000 + NEXT_BASE.getAndAdd(20) % 4000; // 21000-24999 (+100 for FD_SOCK2)
        this.customizer = customizer;
    }

    /** Adjusts every member's cluster settings (and channel) from now on. */
    TestCluster clusterTweaks(UnaryOperator<ClusterConfig.Builder> tweaks) {
        this.clusterTweaks = tweaks;
        return this;
    }

    /** The current channel of a member (replaced when it reconnects). */
    JChannel channel(String nodeName) {
        return channels.get(nodeName);
    }

    ClusterConfig.Builder clusterConfig(String nodeName) {
        return clusterTweaks.apply(ClusterConfig.builder()
                .clusterName(name)
                .nodeName(nodeName)
                .bindAddress("127.0.0.1")
                .bindPort(basePort)
                .portRange(9)
                .failureDetectionInterval(Duration.ofSeconds(1))
                .failureDetectionTimeout(Duration.ofSeconds(5))
                .mergeInterval(Duration.ofSeconds(2))
                .channelCustomizer(channel -> {
                    NamePartition partition = new NamePartition();
                    partition.dropFrom(partitionedFrom.getOrDefault(nodeName, List.of()));
                    try {
                        channel.getProtocolStack().insertProtocol(partition, ProtocolStack.Position.ABOVE, TP.class);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    channels.put(nodeName, channel);
                    partitions.put(nodeName, partition);
                }));
    }

    /**
     * Cuts all traffic between the groups (each member drops everything from members of other groups), the
     * way a network split does: sockets stay open, messages vanish. By node name: a member that restarts or
     * returns from LOCAL mode meanwhile stays in its group.
     */
    void partition(List<List<String>> groups) {
        for (List<String> group : groups) {
            List<String> others = groups.stream().filter(g -> g != group).flatMap(List::stream).toList();
            for (String member : group) {
                partitionedFrom.put(member, others);
                NamePartition partition = partitions.get(member);
                if (partition != null) {
                    partition.dropFrom(others);
                }
            }
        }
    }

    /** Lets all traffic through again. */
    void heal() {
        partitionedFrom.clear();
        partitions.values().forEach(NamePartition::reset);
    }

    /** Forgets a member that was closed (so that {@link #close} does not close it twice). */
    void forget(GossipCacheEngine engine) {
        engines.remove(engine);
    }

    /** Starts one more member and waits until it has joined (and received the state). */
    GossipCacheEngine start(String nodeName) {
        EngineConfig config = customizer.apply(EngineConfig.builder().cluster(clusterConfig(nodeName).build())
                .gossipInterval(Duration.ofMillis(500))).build();
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
