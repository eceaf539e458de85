package io.gossipcache.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EntryTableTest {

    private static final java.util.function.BiFunction<StoreEntry, StoreEntry, StoreEntry> NEWEST =
            (current, incoming) -> incoming.isNewerThan(current) ? incoming : current;

    private static StoreEntry value(Object v, long ts) {
        return StoreEntry.value(v, ts, 1, StoreEntry.NEVER);
    }

    /** A key whose hash code is the same for many keys: every one lands in one probe run. */
    private record Colliding(int id) {
        @Override
        public int hashCode() {
            return id % 3;
        }
    }

    @Test
    void behavesLikeAMapThroughGrowthRemovalsAndReinsertions() {
        EntryTable table = new EntryTable();
        Map<Object, StoreEntry> model = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            Object key = random.nextBoolean() ? "k" + random.nextInt(5_000) : new Colliding(random.nextInt(60));
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    StoreEntry e = value("v" + step, step);
                    assertThat(table.merge(key, e, NEWEST)).isSameAs(e);
                    model.put(key, e);
                }
                case 2 -> {
                    StoreEntry current = model.get(key);
                    boolean removed = table.remove(key, current == null ? value("x", 0) : current);
                    assertThat(removed).isEqualTo(current != null);
                    model.remove(key);
                }
                default -> assertThat(table.get(key)).isSameAs(model.get(key));
            }
        }
        assertThat(table.size()).isEqualTo(model.size());
        Map<Object, StoreEntry> seen = new HashMap<>();
        table.forEach((k, e) -> assertThat(seen.put(k, e)).isNull());
        assertThat(seen).isEqualTo(model);
        model.forEach((k, e) -> assertThat(table.get(k)).isSameAs(e));
    }

    @Test
    void mergeKeepsTheNewestAndComputeCanRemove() {
        EntryTable table = new EntryTable();
        StoreEntry newer = value("b", 2);
        table.merge("k", newer, NEWEST);
        assertThat(table.merge("k", value("a", 1), NEWEST)).isSameAs(newer);
        assertThat(table.get("k")).isSameAs(newer);
        table.compute("k", (k, current) -> null);
        assertThat(table.get("k")).isNull();
        assertThat(table.size()).isZero();
        table.compute("k", (k, current) -> current == null ? value("c", 3) : current);
        assertThat(table.get("k").value()).isEqualTo("c");
        assertThat(table.get(new String("k"))).isSameAs(table.get("k")); // equal keys, not only the same instance
    }

    @Test
    void removeIfCountsAndKeepsTheRest() {
        EntryTable table = new EntryTable();
        for (int i = 0; i < 1_000; i++) {
            table.merge(i, value("v", i + 1), NEWEST);
        }
        assertThat(table.removeIf(e -> e.timestamp() % 2 == 0)).isEqualTo(500);
        assertThat(table.size()).isEqualTo(500);
        for (int i = 0; i < 1_000; i++) {
            assertThat(table.get(i) != null).isEqualTo(i % 2 == 0);
        }
        // dead keys are dropped when the table is rebuilt: many put/remove rounds of fresh keys stay correct
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1_000; i++) {
                table.merge("r" + round + "-" + i, value("v", 1), NEWEST);
            }
            int r = round;
            table.removeIf(e -> true);
            assertThat(table.size()).isZero();
            assertThat(table.get("r" + r + "-1")).isNull();
        }
    }

    /**
     * Readers never miss a key that is present the whole time and never see an older version after a newer one,
     * while writers replace those keys and insert and remove others (which grows and rebuilds the array).
     */
    @Test
    void concurrentReadersSeeEveryPresentKeyAndVersionsOnlyMoveForward() throws Exception {
        EntryTable table = new EntryTable();
        int stable = 2_000;
        for (int i = 0; i < stable; i++) {
            table.merge("s" + i, value(i, 1), NEWEST);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch started = new CountDownLatch(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int id = w;
                writers.add(pool.submit(() -> {
                    started.countDown();
                    Random random = new Random(id);
                    for (int step = 1; step <= 150_000; step++) {
                        String key = "s" + random.nextInt(stable);
                        table.merge(key, StoreEntry.value(step, 1L + step, id, StoreEntry.NEVER), NEWEST);
                        String churn = "c" + id + "-" + random.nextInt(20_000);
                        if (random.nextBoolean()) {
                            table.merge(churn, value("x", step), NEWEST);
                        } else {
                            StoreEntry e = table.get(churn);
                            if (e != null) {
                                table.remove(churn, e);
                            }
                        }
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int id = r;
                readers.add(pool.submit(() -> {
                    started.countDown();
                    long[] lastSeen = new long[stable];
                    Random random = new Random(100 + id);
                    int reads = 0;
                    while (!stop.get() || reads < 100_000) {
                        int i = random.nextInt(stable);
                        StoreEntry e = table.get(new String("s" + i));
                        if (e == null) {
                            throw new AssertionError("present key s" + i + " read as missing");
                        }
                        if (e.timestamp() < lastSeen[i]) {
                            throw new AssertionError("s" + i + " went back from " + lastSeen[i] + " to " + e.timestamp());
                        }
                        lastSeen[i] = e.timestamp();
                        reads++;
                    }
                    return reads;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
            stop.set(true);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(5, TimeUnit.MINUTES)).isPositive();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        int[] count = {0};
        table.forEach((k, e) -> count[0]++);
        assertThat(count[0]).isEqualTo(table.size());
        for (int i = 0; i < stable; i++) {
            assertThat(table.get("s" + i)).isNotNull();
        }
    }
}
