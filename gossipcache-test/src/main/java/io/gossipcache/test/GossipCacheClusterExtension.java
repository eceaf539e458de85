package io.gossipcache.test;

import static org.awaitility.Awaitility.await;

import io.gossipcache.autoconfigure.GossipCacheClusterCustomizer;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Mode;
import io.gossipcache.core.cluster.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jgroups.JChannel;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real gossipcache cluster in the test's JVM: N members on 127.0.0.1 with free ports and a cluster name of their
 * own, each a plain engine or an application context of the application's own configuration, which a test can
 * partition, heal, kill, restart and wait on until every member holds the same entries.
 *
 * <pre>{@code
 * class PriceServiceClusterTest {
 *
 *     @RegisterExtension
 *     GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(ShopApplication.class, 3)
 *             .properties("spring.main.web-application-type=none")
 *             .build();
 *
 *     @Test
 *     void aPriceCachedOnOneMemberIsServedByTheOthersAfterAPartitionHeals() {
 *         cluster.member(0).bean(PriceService.class).price("sku-1");
 *         cluster.partition(List.of(0, 1), List.of(2));
 *         ...
 *         cluster.heal();
 *         cluster.awaitConvergence();
 *     }
 * }
 * }</pre>
 *
 * <p>Registered on an instance field, the cluster is started before each test and closed after it; on a static
 * field, once for the class. Members are started one after the other and have joined when the test begins.
 *
 * <p>Faults: a partition drops every message between the sides (connections stay open, as in a network split); a
 * kill makes the others drop everything from the member and then closes it, so that they see its connections close
 * and it says no goodbye, as when its process dies; failure detection is set to 1 s / 5 s so that they notice soon.
 */
public final class GossipCacheClusterExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** How long {@link #awaitConvergence()} and the start-up wait at most. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final int initialMembers;
    private final Class<?>[] sources;
    private final List<String> properties;
    private final Map<Integer, List<String>> memberProperties;
    private final UnaryOperator<ClusterConfig.Builder> clusterConfig;
    private final UnaryOperator<EngineConfig.Builder> engineConfig;

    private final List<TestMember> members = new CopyOnWriteArrayList<>();
    private final Map<String, TrafficCut> cuts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> dropped = new ConcurrentHashMap<>();
    private final Set<String> killed = ConcurrentHashMap.newKeySet();
    private volatile boolean perClass;
    private String clusterName;
    private int basePort;
    private int portRange;

    private GossipCacheClusterExtension(Builder b) {
        this.initialMembers = b.members;
        this.sources = b.sources;
        this.properties = List.copyOf(b.properties);
        this.memberProperties = Map.copyOf(b.memberProperties);
        this.clusterConfig = b.clusterConfig;
        this.engineConfig = b.engineConfig;
    }

    /** A cluster of {@code members} plain engines ({@link GossipCacheEngine}), with dynamic caches. */
    public static Builder engines(int members) {
        return new Builder(members, null);
    }

    /**
     * A cluster of {@code members} application contexts of {@code sources} (the application's own configuration,
     * as {@code SpringApplication} runs it, with the starter's auto-configuration).
     */
    public static Builder springApplication(Class<?> source, int members) {
        return new Builder(members, new Class<?>[] {Objects.requireNonNull(source, "source")});
    }

    /** How a cluster is made. */
    public static final class Builder {
        private final int members;
        private final Class<?>[] sources;
        private final List<String> properties = new ArrayList<>();
        private final Map<Integer, List<String>> memberProperties = new HashMap<>();
        private UnaryOperator<ClusterConfig.Builder> clusterConfig = UnaryOperator.identity();
        private UnaryOperator<EngineConfig.Builder> engineConfig = UnaryOperator.identity();

        private Builder(int members, Class<?>[] sources) {
            if (members < 1) {
                throw new IllegalArgumentException("a cluster needs at least one member, not " + members);
            }
            this.members = members;
            this.sources = sources;
        }

        /** Spring members: properties ({@code key=value}) over the application's own, and over the kit's. */
        public Builder properties(String... keyValues) {
            properties.addAll(List.of(keyValues));
            return this;
        }

        /**
         * Spring members: properties of the member at {@code index} only (from 0; over {@link #properties}), for a
         * member configured apart from the others. A restarted member gets them again.
         */
        public Builder memberProperties(int index, String... keyValues) {
            memberProperties.computeIfAbsent(index, i -> new ArrayList<>()).addAll(List.of(keyValues));
            return this;
        }

        /** Engine members: adjusts each member's cluster settings (after the kit's). */
        public Builder clusterConfig(UnaryOperator<ClusterConfig.Builder> customizer) {
            this.clusterConfig = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Engine members: adjusts each member's engine settings, caches and codecs (after the kit's). */
        public Builder engineConfig(UnaryOperator<EngineConfig.Builder> customizer) {
            this.engineConfig = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public GossipCacheClusterExtension build() {
            return new GossipCacheClusterExtension(this);
        }
    }

    // ---- JUnit lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        startCluster();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            startCluster();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void startCluster() {
        clusterName = "gossipcache-test-" + UUID.randomUUID().toString().substring(0, 8);
        portRange = Math.max(2 * initialMembers, initialMembers + 4);
        basePort = FreePorts.block(portRange + 1);
        try {
            for (int i = 0; i < initialMembers; i++) {
                addMember();
            }
            awaitViews(DEFAULT_TIMEOUT);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Closes every member that still runs. */
    private void close() {
        for (TestMember member : members) {
            try {
                if (member.isRunning()) {
                    member.close();
                }
            } catch (RuntimeException e) {
                // closing the rest matters more
            }
        }
        members.clear();
        cuts.clear();
        dropped.clear();
        killed.clear();
    }

    // ---- the cluster

    /** The cluster's name (unique per start). */
    public String clusterName() {
        return clusterName;
    }

    /** Every member, in the order they were added; killed and stopped ones too (not running). */
    public List<TestMember> members() {
        return List.copyOf(members);
    }

    /** The member at {@code index} (from 0). */
    public TestMember member(int index) {
        return members.get(index);
    }

    /** The members that run and are clustered (not in LOCAL mode). */
    public List<TestMember> clusteredMembers() {
        return members.stream().filter(TestMember::isRunning)
                .filter(m -> m.engine().mode() == Mode.CLUSTERED).toList();
    }

    /** Adds and starts one more member, which joins the cluster (on its side of a partition, if there is one). */
    public TestMember addMember() {
        TestMember member = startMember(members.size(), "member-" + (members.size() + 1));
        members.add(member);
        return member;
    }

    /**
     * Kills a member: the others stop hearing it at once, then it is closed without a goodbye that reaches them,
     * as when its process dies. They drop it from their view once failure detection confirms it.
     */
    public void kill(int index) {
        TestMember victim = members.get(index);
        killed.add(victim.name());
        applyDrops();
        victim.close();
    }

    /** Stops a member gracefully: it leaves the cluster, and the others see it leave at once. */
    public void stop(int index) {
        members.get(index).close();
    }

    /**
     * Starts a killed or stopped member again, as a new process of the same name would be: empty, it joins and
     * takes the cluster's state.
     */
    public TestMember restart(int index) {
        TestMember old = members.get(index);
        if (old.isRunning()) {
            throw new IllegalStateException(old.name() + " runs: kill or stop it first");
        }
        killed.remove(old.name());
        applyDrops();
        TestMember member = startMember(index, old.name());
        members.set(index, member);
        return member;
    }

    /**
     * Splits the cluster: members of different sides stop hearing each other (by index; members on no side are
     * cut off from everyone). A member restarted meanwhile stays on its side.
     */
    @SafeVarargs
    public final void partition(Collection<Integer>... sides) {
        Map<String, Integer> sideOf = new ConcurrentHashMap<>();
        for (int side = 0; side < sides.length; side++) {
            for (int index : sides[side]) {
                sideOf.put(members.get(index).name(), side);
            }
        }
        for (TestMember member : members) {
            Integer mine = sideOf.get(member.name());
            Set<String> others = new HashSet<>();
            for (TestMember other : members) {
                if (other != member && (mine == null || !mine.equals(sideOf.get(other.name())))) {
                    others.add(other.name());
                }
            }
            dropped.put(member.name(), others);
        }
        applyDrops();
    }

    /** Ends a partition: every running member hears every other again (MERGE3 then merges the sides). */
    public void heal() {
        dropped.clear();
        applyDrops();
    }

    /** Waits (up to {@link #DEFAULT_TIMEOUT}) until the clustered members are one view and hold the same entries. */
    public void awaitConvergence() {
        awaitConvergence(DEFAULT_TIMEOUT);
    }

    /**
     * Waits until every running, clustered member sees exactly the others in its view and every cache holds the same
     * keys with equal values on each of them; fails with what still differs.
     */
    public void awaitConvergence(Duration timeout) {
        await("convergence of " + clusterName).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    String difference = Convergence.difference(clusteredMembers());
                    if (difference != null) {
                        throw new AssertionError(difference);
                    }
                });
    }

    /** Waits (up to {@link #DEFAULT_TIMEOUT}, plus failure detection's) until the views match the network. */
    public void awaitViews() {
        awaitViews(DEFAULT_TIMEOUT.plusSeconds(10));
    }

    /**
     * Waits until every running, clustered member's view is exactly the clustered members it can hear: all of them,
     * or during a partition those of its side.
     */
    public void awaitViews(Duration timeout) {
        await("the views of " + clusterName).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    List<TestMember> clustered = clusteredMembers();
                    String difference = Convergence.viewDifference(clustered, member -> {
                        Set<String> heard = new TreeSet<>();
                        Set<String> drops = dropsOf(member.name());
                        clustered.stream().map(TestMember::name).filter(n -> !drops.contains(n)).forEach(heard::add);
                        return heard;
                    });
                    if (difference != null) {
                        throw new AssertionError(difference);
                    }
                });
    }

    // ---- members

    private TestMember startMember(int index, String name) {
        return sources == null ? startEngine(name) : startApplication(index, name);
    }

    private TestMember startEngine(String name) {
        ClusterConfig.Builder cluster = clusterConfig.apply(kitClusterSettings(ClusterConfig.builder(), name));
        EngineConfig.Builder engine = engineConfig.apply(EngineConfig.builder()
                .cluster(cluster.build())
                .gossipInterval(Duration.ofMillis(500)));
        GossipCacheEngine started = new GossipCacheEngine(engine.build());
        try {
            started.start();
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return new TestMember(name, started, null);
    }

    private ClusterConfig.Builder kitClusterSettings(ClusterConfig.Builder cluster, String name) {
        return cluster.clusterName(clusterName)
                .nodeName(name)
                .bindAddress("127.0.0.1")
                .bindPort(basePort)
                .portRange(portRange)
                .failureDetectionInterval(Duration.ofSeconds(1))
                .failureDetectionTimeout(Duration.ofSeconds(5))
                .mergeInterval(Duration.ofSeconds(2))
                .channelCustomizer(channel -> channelBuilt(name, channel));
    }

    private TestMember startApplication(int index, String name) {
        List<String> args = new ArrayList<>(List.of(
                "--gossipcache.node-name=" + name,
                "--gossipcache.cluster.name=" + clusterName,
                "--gossipcache.cluster.bind-address=127.0.0.1",
                "--gossipcache.cluster.bind-port=" + basePort,
                "--gossipcache.cluster.port-range=" + portRange,
                "--gossipcache.cluster.merge-interval=2s",
                "--gossipcache.failure-detection.interval=1s",
                "--gossipcache.failure-detection.timeout=5s",
                "--gossipcache.gossip.interval=500ms",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.jmx.enabled=false"));
        properties.forEach(p -> args.add("--" + p));
        memberProperties.getOrDefault(index, List.of()).forEach(p -> args.add("--" + p));
        GossipCacheClusterCustomizer cut = cluster -> cluster.channelCustomizer(channel -> channelBuilt(name, channel));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
                .initializers(c -> c.getBeanFactory().registerSingleton("gossipCacheTestKitCustomizer", cut))
                .run(args.toArray(String[]::new));
        return new TestMember(name, context.getBean(GossipCacheEngine.class), context);
    }

    /** Every channel a member builds (at start, and again when it returns from LOCAL mode) gets a traffic cut. */
    private void channelBuilt(String name, JChannel channel) {
        TrafficCut cut = TrafficCut.insertInto(channel.getProtocolStack());
        cuts.put(name, cut);
        cut.dropFrom(dropsOf(name));
    }

    private Set<String> dropsOf(String name) {
        Set<String> drops = new TreeSet<>(dropped.getOrDefault(name, Set.of()));
        drops.addAll(killed);
        drops.remove(name);
        return drops;
    }

    private void applyDrops() {
        cuts.forEach((name, cut) -> cut.dropFrom(dropsOf(name)));
    }
}
