package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writers on all three members hammer overlapping keys at once; afterwards every member holds the same
 * single value (or nothing) per key. Each seed is one schedule of puts and evicts; its seed is in the name.
 */
class ConvergenceClusterTest {

    private static final int KEYS = 16;
    private static TestCluster cluster;
    private static List<GossipCacheEngine> members;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster("convergence");
        members = cluster.start(3);
        await().atMost(TestCluster.WAIT).until(() -> members.stream().allMatch(m -> m.view().size() == 3));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static List<Long> seeds() {
        long base = Long.getLong("gossipcache.test.seed", 20261122L);
        List<Long> seeds = new ArrayList<>();
        Random r = new Random(base);
        for (int i = 0; i < Integer.getInteger("gossipcache.test.schedules", 25); i++) {
            seeds.add(r.nextLong());
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentWritersOnEveryMemberConvergeToOneValuePerKey(long seed) throws Exception {
        String cache = "c" + Long.toHexString(seed);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            GossipCacheEngine member = members.get(m);
            Random random = new Random(seed + m);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 300; i++) {
                        String key = "k" + random.nextInt(KEYS);
                        if (random.nextInt(5) == 0) {
                            member.cache(cache).evict(key);
                        } else {
                            member.cache(cache).put(key, member.nodeName() + "-" + i);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            writers.add(t);
        }
        go.countDown();
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failure.get()).isNull();

        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            Map<String, Object> first = contents(members.get(0), cache);
            for (GossipCacheEngine member : members) {
                assertThat(contents(member, cache)).as("seed %d, member %s", seed, member.nodeName()).isEqualTo(first);
            }
        });
    }

    private static Map<String, Object> contents(GossipCacheEngine member, String cache) {
        Map<String, Object> out = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            out.put("k" + k, member.cache(cache).get("k" + k));
        }
        return out;
    }
}
