package io.gossipcache.benchmarks.local;

import io.gossipcache.autoconfigure.GossipCacheAutoConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * A {@code @Cacheable} hit through the Spring proxy: the same bean method backed once by gossipcache's
 * auto-configured {@code CacheManager} and once by Spring's {@link CaffeineCacheManager} with its defaults
 * ({@code new CaffeineCacheManager()}: unbounded, no stats, null values allowed).
 *
 * <p>Each side is a small Spring context without web: {@code @EnableCaching} and the bean below. The gossipcache
 * side imports the starter's {@link GossipCacheAutoConfiguration} (and Boot's {@link CacheAutoConfiguration}, which
 * backs off), so the engine is the one an application gets, started alone on 127.0.0.1 at {@link #PORT} (range 2;
 * FD_SOCK2 at port + 100) under a unique cluster name. Both sides are filled by calling the method once for each of
 * the 100,000 keys; afterwards every measured call is a hit. Lookup keys are equal copies of the stored keys in one
 * shuffled order (fixed seed), per-thread cursor as in {@link LocalGetBenchmark}.
 *
 * <p>Thread counts are fixed per method with {@link Threads}: do not pass {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true", "-Xms1g", "-Xmx1g",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CacheableBenchmark {

    /** Number of distinct keys. */
    public static final int KEYS = LocalGetBenchmark.KEYS;
    /** First TCP port of the gossipcache side (away from {@link LocalGetBenchmark}'s 26000). */
    public static final int PORT = 26050;
    static final String CACHE = "quotes";
    private static final long SEED = 42L;

    /** The cached bean; a class without interfaces, so both sides get the same CGLIB proxy. */
    public static class QuoteService {
        @Cacheable(CACHE)
        public String quote(String symbol) {
            return "quote-" + symbol;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class ServiceConfig {
        @Bean
        QuoteService quoteService() {
            return new QuoteService();
        }
    }

    /** The gossipcache side: what the starter auto-configures. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({GossipCacheAutoConfiguration.class, CacheAutoConfiguration.class})
    static class GossipcacheConfig {
    }

    /** The peer: Spring's Caffeine-backed manager with its defaults. */
    @Configuration(proxyBeanMethods = false)
    static class CaffeineConfig {
        @Bean
        CacheManager cacheManager() {
            return new CaffeineCacheManager();
        }
    }

    /** One side's context, filled so that every call is a hit, and the shuffled lookup keys. */
    public abstract static class Side {
        AnnotationConfigApplicationContext context;
        QuoteService service;
        String[] lookups;

        abstract Class<?> managerConfig();

        Map<String, Object> properties() {
            return Map.of();
        }

        @Setup(Level.Trial)
        public void setUp() {
            context = new AnnotationConfigApplicationContext();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties()));
            context.register(ServiceConfig.class, managerConfig());
            context.refresh();
            service = context.getBean(QuoteService.class);
            List<String> keys = new ArrayList<>(KEYS);
            for (int i = 0; i < KEYS; i++) {
                keys.add("key-" + i);
                service.quote(keys.get(i)); // the miss that stores it
            }
            Collections.shuffle(keys, new Random(SEED));
            lookups = new String[KEYS];
            CacheManager manager = context.getBean(CacheManager.class);
            for (int i = 0; i < KEYS; i++) {
                lookups[i] = new String(keys.get(i)); // an equal key, not the stored instance
                if (manager.getCache(CACHE).get(lookups[i]) == null) {
                    throw new IllegalStateException("not cached: " + lookups[i] + " in " + manager);
                }
            }
            check();
            // Where the setup left the entries in the heap decides a hit's speed until the first GC moves them
            // (a fork ran at a third of its speed for seconds): settle the layout before measuring.
            System.gc();
        }

        /** Verifies the side is what it claims to be. */
        void check() {
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (context != null) {
                context.close();
            }
        }

        String quote(KeyCursor cursor) {
            return service.quote(lookups[cursor.next()]);
        }
    }

    @State(Scope.Benchmark)
    public static class GossipcacheSide extends Side {
        @Override
        Class<?> managerConfig() {
            return GossipcacheConfig.class;
        }

        @Override
        Map<String, Object> properties() {
            return Map.of(
                    "gossipcache.node-name", "bench-cacheable",
                    "gossipcache.cluster.name", "bench-cacheable-" + UUID.randomUUID(),
                    "gossipcache.cluster.bind-address", "127.0.0.1",
                    "gossipcache.cluster.bind-port", PORT,
                    "gossipcache.cluster.port-range", 2);
        }

        @Override
        void check() {
            String type = context.getBean(CacheManager.class).getClass().getSimpleName();
            if (!type.equals("GossipCacheManager")) {
                throw new IllegalStateException("expected the starter's GossipCacheManager, got " + type);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class CaffeineSide extends Side {
        @Override
        Class<?> managerConfig() {
            return CaffeineConfig.class;
        }
    }

    @Benchmark
    @Threads(1)
    public String gossipcache_1thread(GossipcacheSide side, KeyCursor cursor) {
        return side.quote(cursor);
    }

    @Benchmark
    @Threads(1)
    public String caffeine_1thread(CaffeineSide side, KeyCursor cursor) {
        return side.quote(cursor);
    }

    @Benchmark
    @Threads(2)
    public String gossipcache_2threads(GossipcacheSide side, KeyCursor cursor) {
        return side.quote(cursor);
    }

    @Benchmark
    @Threads(2)
    public String caffeine_2threads(CaffeineSide side, KeyCursor cursor) {
        return side.quote(cursor);
    }
}
