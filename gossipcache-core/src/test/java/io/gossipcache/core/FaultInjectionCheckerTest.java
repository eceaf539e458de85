package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.jgroups.protocols.DUPL;
import org.jgroups.protocols.SHUFFLE;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault-injection checker for invariant 4. Each schedule starts 3-5 members on real TCP over 127.0.0.1
 * and, from its seed, runs random puts, evicts and clears on random members while it splits the network
 * into groups and heals it, crashes members abruptly and restarts them, sends members into local-only mode
 * and back, and (in half the schedules) duplicates and reorders the engine's messages. After everything is
 * healed the checker waits for convergence and asserts that every member holds exactly the newest write for
 * every key (no TTL, no size bound): nothing lost, nothing stale, nothing evicted come back.
 *
 * <p>Reproduce one schedule with {@code -Dgossipcache.checker.seed=<seed> -Dgossipcache.checker.schedules=1};
 * run more with {@code -Dgossipcache.checker.schedules=1000}.
 */
class FaultInjectionCheckerTest {

    private static final int KEYS = 12;
    private static final String CACHE = "checked";
    private static final Duration CONVERGENCE_DEADLINE = Duration.ofSeconds(30);
    private static final List<Long> HEAL_TO_CONVERGED_MS = new ArrayList<>();

    static List<Long> seeds() {
        long base = Long.getLong("gossipcache.checker.seed", 0x60551Dl);
        int count = Integer.getInteger("gossipcache.checker.schedules", 50);
        if (count == 1) {
            return List.of(base);
        }
        Random r = new Random(base);
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add(r.nextLong());
        }
        return seeds;
    }

    @AfterAll
    static void report() {
        if (!HEAL_TO_CONVERGED_MS.isEmpty()) {
            List<Long> sorted = new ArrayList<>(HEAL_TO_CONVERGED_MS);
            Collections.sort(sorted);
            System.out.printf("checker: %d schedules; heal to convergence: median %d ms, worst %d ms%n",
                    sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyMemberEndsWithTheNewestWriteForEveryKey(long seed) throws Exception {
        try (Schedule schedule = new Schedule(seed)) {
            schedule.run();
        }
    }

    /** One reproducible schedule of writes and faults. */
    private static final class Schedule implements AutoCloseable {
        private final long seed;
        private final Random random;
        private final TestCluster cluster;
        private final boolean chaos;
        private final List<GossipCacheEngine> members = new ArrayList<>();
        private final History history = new History();
        private final List<String> log = new ArrayList<>();
        private boolean partitioned;

        Schedule(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.chaos = random.nextBoolean();
            this.cluster = new TestCluster("checker", b -> b.gossipInterval(Duration.ofMillis(300)).syncTimeout(Duration.ofSeconds(1)))
                    .clusterTweaks(b -> b
                            .failureDetectionInterval(Duration.ofMillis(500))
                            .failureDetectionTimeout(Duration.ofMillis(1500))
                            .verifySuspectTimeout(Duration.ofMillis(500))
                            .mergeInterval(Duration.ofSeconds(1))
                            .joinTimeout(Duration.ofMillis(200))
                            .channelCustomizer(channel -> {
                                if (chaos) {
                                    // above NAKACK2/UNICAST3, so the engine itself sees duplicates and reordering
                                    DUPL dupl = new DUPL();
                                    SHUFFLE shuffle = new SHUFFLE().setUp(false).setDown(true).setMaxSize(8).setMaxTime(20);
                                    try {
                                        shuffle.init();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    channel.getProtocolStack().insertProtocolAtTop(shuffle);
                                    channel.getProtocolStack().insertProtocolAtTop(dupl);
                                }
                            }));
        }

        void run() throws Exception {
            int n = 3 + random.nextInt(3);
            System.out.println("=== checker schedule seed " + seed);
            note("%d members, chaos (duplicates + reordering) %s", n, chaos);
            for (int i = 0; i < n; i++) {
                members.add(cluster.start("m" + i));
            }
            awaitFullViews();
            int steps = 24 + random.nextInt(24);
            for (int step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                if (dice < 90) {
                    write();
                } else if (dice < 94) {
                    if (partitioned) {
                        heal();
                    } else if (allClustered()) {
                        partition();
                    }
                } else if (dice < 96) {
                    crashAndRestart();
                } else {
                    toggleLocal();
                }
            }
            if (partitioned) {
                heal();
            }
            long healed = System.nanoTime();
            for (GossipCacheEngine m : members) {
                if (m.mode() == Mode.LOCAL) {
                    awaitFullViews();
                    note("%s returns to CLUSTERED", m.nodeName());
                    m.switchMode(Mode.CLUSTERED);
                }
            }
            awaitFullViews();
            try {
                await().atMost(CONVERGENCE_DEADLINE).pollInterval(Duration.ofMillis(50)).until(this::converged);
            } catch (RuntimeException timeout) {
                throw new AssertionError("seed " + seed + " did not converge:\n" + differences()
                        + "\nschedule:\n" + String.join("\n", log), timeout);
            }
            long convergedMs = (System.nanoTime() - healed) / 1_000_000;
            synchronized (HEAL_TO_CONVERGED_MS) {
                HEAL_TO_CONVERGED_MS.add(convergedMs);
            }
            note("converged %d ms after the last heal", convergedMs);
        }

        private void write() {
            GossipCacheEngine m = members.get(random.nextInt(members.size()));
            String key = "k" + random.nextInt(KEYS);
            ReplicatedCache cache = m.cache(CACHE);
            int op = random.nextInt(100);
            if (op < 70) {
                String value = m.nodeName() + "#" + random.nextInt(1_000_000);
                cache.put(key, value);
                history.record(key, cache.store().entry(key));
            } else if (op < 97) {
                cache.evict(key);
                history.record(key, cache.store().entry(key));
            } else {
                cache.clear();
                history.recordClear(cache.store().clearVersion());
                note("clear on %s", m.nodeName());
            }
        }

        private boolean allClustered() {
            return members.stream().allMatch(m -> m.mode() == Mode.CLUSTERED);
        }

        private void partition() {
            awaitFullViews();
            List<String> names = members.stream().map(GossipCacheEngine::nodeName).collect(Collectors.toList());
            Collections.shuffle(names, random);
            int cut = 1 + random.nextInt(names.size() - 1);
            List<List<String>> groups = List.of(new ArrayList<>(names.subList(0, cut)), new ArrayList<>(names.subList(cut, names.size())));
            note("partition %s", groups);
            cluster.partition(groups);
            partitioned = true;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> members.stream()
                    .allMatch(m -> m.view().size() == groups.stream().filter(g -> g.contains(m.nodeName())).findFirst().get().size()));
        }

        private void heal() {
            note("heal");
            cluster.heal();
            partitioned = false;
        }

        private void crashAndRestart() throws Exception {
            if (partitioned) {
                return; // a restarted member's new address would slip through the partition
            }
            awaitFullViews();
            GossipCacheEngine victim = members.get(random.nextInt(members.size()));
            if (victim.mode() != Mode.CLUSTERED || victim.view().size() < 2) {
                return; // its unreplicated writes would die with it: not a loss the invariant covers
            }
            awaitReplicated(victim);
            note("crash %s (its view: %s)", victim.nodeName(), victim.view().members().stream().map(m -> m.name()).toList());
            Util.shutdown(cluster.channel(victim.nodeName())); // no leave: the others must detect it
            victim.close();
            cluster.forget(victim);
            // as with a real process, the restart comes after the others have noticed the crash
            List<GossipCacheEngine> survivors = members.stream().filter(m -> m != victim && m.mode() == Mode.CLUSTERED).toList();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> survivors.stream().noneMatch(m -> m.view().contains(victim.nodeName())));
            int index = members.indexOf(victim);
            members.set(index, cluster.start(victim.nodeName()));
            note("restarted %s", victim.nodeName());
            awaitFullViews();
        }

        /** Before a crash: everything the victim wrote has reached the members of its view. */
        private void awaitReplicated(GossipCacheEngine victim) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (GossipCacheEngine other : members) {
                    if (other == victim || other.mode() != Mode.CLUSTERED || !victim.view().contains(other.nodeName())) {
                        continue;
                    }
                    if (victim.cache(CACHE).store().clearVersion().isNewerThan(other.cache(CACHE).store().clearVersion())) {
                        return false;
                    }
                    for (int k = 0; k < KEYS; k++) {
                        StoreEntry mine = victim.cache(CACHE).store().entry("k" + k);
                        StoreEntry theirs = other.cache(CACHE).store().entry("k" + k);
                        if (mine != null && mine.node() == victim.nodeId() && (theirs == null || mine.isNewerThan(theirs))
                                && mine.isNewerThan(other.cache(CACHE).store().clearVersion())) {
                            return false;
                        }
                    }
                }
                return true;
            });
        }

        /**
         * One member at a time goes local and later comes back. (When every member went local and they came back
         * one by one within a second, JGroups discovery missed the first returner and the merges that followed
         * took longer than the deadline: see the issue note.)
         */
        private void toggleLocal() {
            if (partitioned) {
                return; // a returning member's new address would slip through the partition
            }
            // membership changes one at a time, each settled before the next, as operators make them
            awaitFullViews();
            GossipCacheEngine away = members.stream().filter(m -> m.mode() == Mode.LOCAL).findFirst().orElse(null);
            if (away != null) {
                note("%s returns to CLUSTERED", away.nodeName());
                away.switchMode(Mode.CLUSTERED);
            } else {
                GossipCacheEngine m = members.get(random.nextInt(members.size()));
                note("%s goes LOCAL", m.nodeName());
                m.switchMode(Mode.LOCAL);
            }
            awaitFullViews();
        }

        /** Waits until every clustered member sees exactly the clustered members. */
        private void awaitFullViews() {
            java.util.Set<String> clustered = members.stream().filter(m -> m.mode() == Mode.CLUSTERED)
                    .map(GossipCacheEngine::nodeName).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> members.stream()
                    .filter(m -> m.mode() == Mode.CLUSTERED)
                    .allMatch(m -> m.view().size() == clustered.size() // no stale incarnation of a crashed member
                            && m.view().members().stream().map(c -> c.name()).collect(Collectors.toSet()).equals(clustered)));
        }

        private boolean converged() {
            for (int k = 0; k < KEYS; k++) {
                Object expected = history.expected("k" + k);
                for (GossipCacheEngine m : members) {
                    Object actual = m.cache(CACHE).get("k" + k);
                    if (expected == null ? actual != null : !expected.equals(actual)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private String differences() {
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < KEYS; k++) {
                String key = "k" + k;
                Map<String, Object> actual = new LinkedHashMap<>();
                for (GossipCacheEngine m : members) {
                    actual.put(m.nodeName(), m.cache(CACHE).store().entry(key));
                }
                out.append(key).append(": expected ").append(history.expected(key)).append(" (")
                        .append(history.newest.get(key)).append(", clear ").append(history.clear).append(") actual ")
                        .append(actual).append('\n');
            }
            return out.toString();
        }

        private void note(String format, Object... args) {
            String line = String.format(format, args);
            log.add(line);
            System.out.println("=== checker: " + line);
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /** Every write the schedule made, reduced to the newest per key and the newest clear. */
    private static final class History {
        final Map<String, StoreEntry> newest = new HashMap<>();
        Version clear = Version.ZERO;

        void record(String key, StoreEntry entry) {
            StoreEntry current = newest.get(key);
            if (entry != null && (current == null || entry.isNewerThan(current))) {
                newest.put(key, entry);
            }
        }

        void recordClear(Version version) {
            if (version.isNewerThan(clear)) {
                clear = version;
            }
        }

        Object expected(String key) {
            StoreEntry e = newest.get(key);
            if (e == null || !e.isNewerThan(clear)) {
                return null;
            }
            return e.value();
        }
    }
}
