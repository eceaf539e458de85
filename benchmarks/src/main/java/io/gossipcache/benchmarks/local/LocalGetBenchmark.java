package io.gossipcache.benchmarks.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A local read hit: {@link ReplicatedCache#get} of the gossipcache engine against Caffeine's
 * {@link Cache#getIfPresent} (unbounded, {@code Caffeine.newBuilder().build()}), on the same 100,000 String keys
 * with small String values. Every key is present in both, so every operation is a hit.
 *
 * <p>Each thread walks one pre-shuffled array of lookup keys (the same array for both systems, a fixed seed)
 * with its own counter, starting at a different offset per thread. The lookup keys are equal copies of the
 * stored keys, not the same instances, as a key built from a request would be; their hash codes are cached
 * after the first pass, the same for both systems.
 *
 * <p>The engine is by default started alone on 127.0.0.1 (a unique cluster name, port {@link #port} and up):
 * that is how it runs in an application. A get is a pure local map lookup either way; {@code -p started=false}
 * measures an engine that was never started (no JGroups channel; only the replicator's idle sender thread).
 * With {@code -p started=true} the Caffeine benchmarks run next to a started engine too, so both see the same
 * background threads.
 *
 * <p>Thread counts are fixed per method with {@link Threads}: do not pass {@code -t} on the command line, it
 * would override them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true", "-Xms1g", "-Xmx1g",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class LocalGetBenchmark {

    /** Number of distinct keys. */
    public static final int KEYS = 100_000;
    /** Seed of the shuffle: both systems see the same lookup order. */
    private static final long SEED = 42L;

    /** Whether the engine is started (alone, on 127.0.0.1) before measuring. */
    @Param({"true"})
    public boolean started;

    /** First TCP port of the started engine (it may use up to {@code port + 2}; FD_SOCK2 uses port + 100 and up). */
    @Param({"26000"})
    public int port;

    private GossipCacheEngine engine;
    private ReplicatedCache engineCache;
    private Cache<Object, Object> caffeine;
    /** Lookup keys in shuffled order; equal to, but not the same instances as, the stored keys. */
    private String[] lookups;

    @Setup(Level.Trial)
    public void setUp() {
        List<String> keys = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            keys.add("key-" + i);
        }
        ClusterConfig cluster = ClusterConfig.builder()
                .clusterName("bench-local-" + UUID.randomUUID())
                .nodeName("bench-local")
                .bindAddress("127.0.0.1")
                .bindPort(port)
                .portRange(2)
                .build();
        engine = new GossipCacheEngine(EngineConfig.builder().cluster(cluster).build());
        if (started) {
            engine.start();
            if (engine.view().size() != 1) {
                throw new IllegalStateException("the benchmark engine is not alone: " + engine.view());
            }
        }
        engineCache = engine.cache("bench");
        caffeine = Caffeine.newBuilder().build();
        for (int i = 0; i < KEYS; i++) {
            String key = keys.get(i);
            String value = "value-" + i;
            engineCache.put(key, value, Duration.ZERO);
            caffeine.put(key, value);
        }

        List<String> order = new ArrayList<>(keys);
        Collections.shuffle(order, new Random(SEED));
        lookups = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            lookups[i] = new String(order.get(i)); // an equal key, not the stored instance
            Object expected = "value-" + order.get(i).substring(4);
            if (!expected.equals(engineCache.get(lookups[i])) || !expected.equals(caffeine.getIfPresent(lookups[i]))) {
                throw new IllegalStateException("not a hit in both caches: " + lookups[i]);
            }
        }
        // Where the setup left the entries in the heap decides a hit's speed until the first GC moves them (a fork
        // ran at 9M instead of 27M ops/s for seconds): settle the layout before measuring.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Object engineGet_1thread(KeyCursor cursor) {
        return engineCache.get(lookups[cursor.next()]);
    }

    @Benchmark
    @Threads(1)
    public Object caffeineGet_1thread(KeyCursor cursor) {
        return caffeine.getIfPresent(lookups[cursor.next()]);
    }

    @Benchmark
    @Threads(2)
    public Object engineGet_2threads(KeyCursor cursor) {
        return engineCache.get(lookups[cursor.next()]);
    }

    @Benchmark
    @Threads(2)
    public Object caffeineGet_2threads(KeyCursor cursor) {
        return caffeine.getIfPresent(lookups[cursor.next()]);
    }
}
