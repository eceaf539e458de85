package io.gossipcache.benchmarks.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Diagnosis under a deterministic counter ({@code valgrind --tool=callgrind}): fills one system with the 100,000
 * entries of {@link LocalGetBenchmark}, warms the hit path up, then does {@code ops} more hits. Run it twice with
 * two op counts; the difference of the two instruction (and cache-miss) totals divided by the difference of the
 * op counts is the cost of one hit, start-up, JIT and set-up cancelling out.
 *
 * <pre>
 * valgrind --tool=callgrind --cache-sim=yes java -XX:CICompilerCount=2 -Xbatch -cp benchmarks.jar \
 *     io.gossipcache.benchmarks.local.HitCost engine|caffeine|cacheable-gossipcache|cacheable-caffeine warmup ops
 * </pre>
 *
 * The engine is not started (a get is the same local lookup either way, and no JGroups threads add noise).
 */
public final class HitCost {

    private HitCost() {
    }

    public static void main(String[] args) {
        String system = args[0];
        int warmup = Integer.parseInt(args[1]);
        int ops = Integer.parseInt(args[2]);
        int keys = LocalGetBenchmark.KEYS;
        List<String> order = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            order.add("key-" + i);
        }
        Collections.shuffle(order, new Random(42));
        String[] lookups = order.stream().map(String::new).toArray(String[]::new);

        AutoCloseable closer = () -> { };
        Function<String, Object> get;
        switch (system) {
            case "engine" -> {
                GossipCacheEngine engine = new GossipCacheEngine(EngineConfig.builder().build());
                ReplicatedCache cache = engine.cache("bench");
                for (int i = 0; i < keys; i++) {
                    cache.put("key-" + i, "value-" + i, Duration.ZERO);
                }
                get = cache::get;
                closer = engine::close;
            }
            case "caffeine" -> {
                Cache<Object, Object> cache = Caffeine.newBuilder().build();
                for (int i = 0; i < keys; i++) {
                    cache.put("key-" + i, "value-" + i);
                }
                get = cache::getIfPresent;
            }
            case "cacheable-gossipcache", "cacheable-caffeine" -> {
                CacheableBenchmark.Side side = system.endsWith("gossipcache")
                        ? new CacheableBenchmark.GossipcacheSide() : new CacheableBenchmark.CaffeineSide();
                side.setUp();
                get = side.service::quote;
                closer = side::tearDown;
            }
            default -> throw new IllegalArgumentException("unknown system " + system);
        }
        long sink = run(get, lookups, warmup);
        long start = System.nanoTime();
        sink += run(get, lookups, ops);
        long nanos = System.nanoTime() - start;
        System.out.printf("%s: %d ops, %.1f ns/op (wall clock, not for decisions), sink %d%n",
                system, ops, (double) nanos / Math.max(1, ops), sink);
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long run(Function<String, Object> get, String[] lookups, int ops) {
        long sink = 0;
        int next = 0;
        for (int i = 0; i < ops; i++) {
            Object value = get.apply(lookups[next]);
            sink += value == null ? 1 : 0; // the reference only, as JMH's blackhole: the value is not read
            next = next + 1 == lookups.length ? 0 : next + 1;
        }
        return sink;
    }
}
