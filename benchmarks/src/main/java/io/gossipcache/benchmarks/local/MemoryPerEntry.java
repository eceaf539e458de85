package io.gossipcache.benchmarks.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Diagnosis: heap bytes per entry of the engine's store and of an unbounded Caffeine cache, for N entries of
 * {@code "k"+i} -> a {@code byte[100]} (keys and values included, as in S6). Two measures each: JOL's
 * {@link GraphLayout} of the store object graph (exact, deterministic), and used heap after a full GC before and
 * after filling (what S6 sees, noisier). The engine is not started: a store holds the same entries either way.
 *
 * <pre>
 * java -cp benchmarks.jar io.gossipcache.benchmarks.local.MemoryPerEntry [entries] [value bytes]
 * </pre>
 *
 * Prints a class histogram of the engine's store too ({@code -Dhistogram=false} to skip).
 */
public final class MemoryPerEntry {

    private MemoryPerEntry() {
    }

    public static void main(String[] args) throws Exception {
        // JOL cannot read field offsets of records (Version) through Unsafe without this; set before JOL loads.
        System.setProperty("jol.magicFieldOffset", "true");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean histogram = !"false".equals(System.getProperty("histogram"));

        // Caffeine first: the engine leaves threads and buffers behind that would skew a later baseline.
        long base = usedAfterGc();
        Cache<Object, Object> caffeine = Caffeine.newBuilder().build();
        for (int i = 0; i < n; i++) {
            caffeine.put("k" + i, new byte[valueBytes]);
        }
        long caffeineHeap = usedAfterGc() - base;
        GraphLayout caffeineLayout = GraphLayout.parseInstance(caffeine);
        report("Caffeine (unbounded)", n, caffeineLayout.totalSize(), caffeineHeap);
        if (histogram) {
            System.out.println(caffeineLayout.toFootprint());
        }
        caffeine.invalidateAll();
        caffeine = null;
        caffeineLayout = null;

        GossipCacheEngine engine = new GossipCacheEngine(EngineConfig.builder().build());
        ReplicatedCache cache = engine.cache("memory");
        long withEngine = usedAfterGc();
        for (int i = 0; i < n; i++) {
            cache.put("k" + i, new byte[valueBytes], Duration.ZERO);
        }
        long engineHeap = usedAfterGc() - withEngine;
        GraphLayout engineLayout = GraphLayout.parseInstance(storeOf(cache));
        report("gossipcache store", n, engineLayout.totalSize(), engineHeap);
        if (histogram) {
            System.out.println(engineLayout.toFootprint());
        }
        engine.close();
    }

    private static void report(String what, int n, long graphBytes, long heapBytes) {
        System.out.printf(Locale.ROOT, "%-22s JOL graph %,.1f B/entry   heap after GC %,.1f B/entry%n",
                what, (double) graphBytes / n, (double) heapBytes / n);
    }

    /** {@code ReplicatedCache.store} is package-private: read the field, for this diagnosis only. */
    private static Object storeOf(ReplicatedCache cache) throws ReflectiveOperationException {
        Field field = ReplicatedCache.class.getDeclaredField("store");
        field.setAccessible(true);
        return field.get(cache);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }
}
