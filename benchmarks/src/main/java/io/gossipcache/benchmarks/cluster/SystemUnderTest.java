package io.gossipcache.benchmarks.cluster;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;

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
 * @param jvmOptions JVM options the system asks its users for, added to its members' command line
 * @param onlyWhenNamed whether it runs only when {@code --systems} names it (the codec variants of issue 23)
 */
record SystemUnderTest(String name, String systemClass, Path jar, int portBase, boolean supportsTtl,
        boolean transfersState, boolean peer, int preloadThreads, List<String> jvmOptions, boolean onlyWhenNamed) {

    /**
     * What Hazelcast's start-up warning asks for on Java 9+ ("the internal API access is used to get the best
     * performance results"). Without them its S2 was 2,800 puts/s instead of 3,800, and its S3 p99 2.4 ms
     * instead of 1.6 (one round each, 2026-11-30).
     */
    static final List<String> HAZELCAST_MODULE_OPTIONS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** For the system's description in the results: its extra JVM options, if any. */
    String jvmOptionsNote() {
        return jvmOptions.isEmpty() ? ""
                : " Member JVM options the system asks for: `" + String.join(" ", jvmOptions) + "`.";
    }

    int port(int member) {
        return portBase + member;
    }

    int auxPortBase(int member) {
        return portBase + 100 + 10 * member;
    }

    boolean present() {
        return Files.isRegularFile(jar);
    }

    /**
     * The four systems of issue 7, and the codec variants of issue 23. gossipcache and the floor run from the jar this controller runs from (so that
     * comparing two builds means running two jars), the peers from their jars below {@code benchmarks/}.
     */
    static SystemUnderTest[] all(Path benchmarksDir) {
        Path own = ownJar().orElse(benchmarksDir.resolve("target/benchmarks.jar"));
        return new SystemUnderTest[] {
            new SystemUnderTest("gossipcache", GossipCacheSystem.class.getName(), own, 26200, true, true, false, 1,
                    List.of(), false),
            new SystemUnderTest("floor", JGroupsFloorSystem.class.getName(), own, 26400, false, false, false, 1,
                    List.of(), false),
            new SystemUnderTest("infinispan", "io.gossipcache.benchmarks.infinispan.InfinispanSystem",
                    benchmarksDir.resolve("infinispan/target/infinispan-member.jar"), 26600, true, true, true, 1,
                    List.of(), false),
            new SystemUnderTest("hazelcast", "io.gossipcache.benchmarks.hazelcast.HazelcastSystem",
                    benchmarksDir.resolve("hazelcast/target/hazelcast-member.jar"), 26800, true, true, true, 8,
                    HAZELCAST_MODULE_OPTIONS, false),
            // gossipcache with record values, per codec; on gossipcache's ports, as systems never run at once
            new SystemUnderTest("records-java", RecordValueSystem.Java.class.getName(), own, 26200, true, true,
                    false, 1, List.of(), true),
            new SystemUnderTest("records-fory", RecordValueSystem.Fory.class.getName(), own, 26200, true, true,
                    false, 1, List.of(), true),
            new SystemUnderTest("records-json", RecordValueSystem.Json.class.getName(), own, 26200, true, true,
                    false, 1, List.of(), true),
        };
    }

    /** The jar holding this class, when the controller runs from one (not from a directory of classes). */
    private static Optional<Path> ownJar() {
        try {
            CodeSource source = SystemUnderTest.class.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Path.of(source.getLocation().toURI());
            return path != null && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }
}
