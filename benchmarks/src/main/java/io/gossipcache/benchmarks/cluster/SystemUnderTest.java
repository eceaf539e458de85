package io.gossipcache.benchmarks.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A system the scenarios run: its {@code CacheSystem} class, the jar its members run from, and its port base
 * ({@code B}: member i listens on {@code B + i}, aux ports from {@code B + 100 + 10 * i}).
 *
 * @param supportsTtl whether a put with a TTL expires (S7)
 * @param transfersState whether a joiner receives the existing entries (S5)
 * @param peer whether this is a peer (Infinispan, Hazelcast) that ratios compare against
 * @param preloadThreads threads of the untimed preloads (S5, S6): more only where one put waits for a round trip
 *                       (Hazelcast); the floor's flat-out multicasts from several threads overflow JGroups' bundler
 *                       queue, whose drops and retransmissions made a floor round take 30-90 s
 */
record SystemUnderTest(String name, String systemClass, Path jar, int portBase, boolean supportsTtl,
        boolean transfersState, boolean peer, int preloadThreads) {

    int port(int member) {
        return portBase + member;
    }

    int auxPortBase(int member) {
        return portBase + 100 + 10 * member;
    }

    boolean present() {
        return Files.isRegularFile(jar);
    }

    /** The four systems of issue 7, with their jars below {@code benchmarks/}. */
    static SystemUnderTest[] all(Path benchmarksDir) {
        Path own = benchmarksDir.resolve("target/benchmarks.jar");
        return new SystemUnderTest[] {
            new SystemUnderTest("gossipcache", GossipCacheSystem.class.getName(), own, 26200, true, true, false, 1),
            new SystemUnderTest("floor", JGroupsFloorSystem.class.getName(), own, 26400, false, false, false, 1),
            new SystemUnderTest("infinispan", "io.gossipcache.benchmarks.infinispan.InfinispanSystem",
                    benchmarksDir.resolve("infinispan/target/infinispan-member.jar"), 26600, true, true, true, 1),
            new SystemUnderTest("hazelcast", "io.gossipcache.benchmarks.hazelcast.HazelcastSystem",
                    benchmarksDir.resolve("hazelcast/target/hazelcast-member.jar"), 26800, true, true, true, 8),
        };
    }
}
