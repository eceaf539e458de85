package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.CacheSettings;
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
 * The fault-injection checker for the convergence invariant (docs/architecture.md). Each schedule starts 3-5
 * members on real TCP over 127.0.0.1 and, from its seed, runs random puts (a third of them with TTLs of
 * 0.2-1.5 s, shorter than its partitions), evicts and clears on random members while it splits the network into
 * groups and heals it, crashes members abruptly and restarts them and sends members into local-only mode and back
 * (during partitions too), and (in half the schedules) duplicates and reorders the engine's messages. A third of the
 * schedules bound the cache to half its keys. After everything is healed and every TTL has passed, the checker waits
 * for convergence and asserts what a user sees: every member serves, for every key, the newest write if it is live
 * and nothing if that write is a delete or has expired (a bounded cache: the newest write or nothing); and it still
 * does after several more anti-entropy rounds on every member.
 *
 * <p>Reproduce one schedule with {@code -Dgossipcache.checker.seed=<seed> -Dgossipcache.checker.schedules=1};
 * run more with {@code -Dgossipcache.checker.schedules=1000}.
 */
class FaultInjectionCheckerTest {

    private static final int KEYS = 12;
    /** Entries per member of a bounded schedule's cache. */
    private static final int BOUND = KEYS / 2;
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
        try (Schedule schedule = new Schedule(seed, 0)) {
            schedule.run();
        }
    }

    /**
     * Partitioned schedules: 1 to 3 owners per key (a crash only with 2 or more: one owner's crash loses its keys).
     * Not in the build yet ({@code -Dgossipcache.checker.partitioned=40} runs them): 80 of 80 passed here, but a CI
     * run failed seed -6603531687306734298 (1 owner, LOCAL excursions, chaos): a write whose owner left before the
     * sender thread sent it is dropped (the Replicator skips targets no longer in the view instead of re-routing).
     */
    static List<Long> partitionedSeeds() {
        List<Long> seeds = seeds();
        int count = Integer.getInteger("gossipcache.checker.partitioned", 0);
        if (count == 0) {
            return List.of();
        }
        return Integer.getInteger("gossipcache.checker.schedules", 50) == 1 ? seeds
                : seeds.subList(0, Math.min(seeds.size(), count));
    }

    @ParameterizedTest(name = "seed {0}", allowZeroInvocations = true) // -Dgossipcache.checker.partitioned=0
    @MethodSource("partitionedSeeds")
    void everyMemberReadsTheNewestWriteOfAPartitionedCache(long seed) throws Exception {
        try (Schedule schedule = new Schedule(seed, 1 + (int) Math.floorMod(seed, 3L))) {
            schedule.run();
        }
    }

    /** One reproducible schedule of writes and faults. */
    private static final class Schedule implements AutoCloseable {
        private final long seed;
        private final Random random;
        private final TestCluster cluster;
        private final boolean chaos;
        private final boolean bounded;
        /** The cache's owners per key: 0 = replicated. */
        private final int owners;
        /** The last write the checked cache made on any member (its write hook). */
        private io.gossipcache.core.replication.Write lastWrite;
        private final List<GossipCacheEngine> members = new ArrayList<>();
        private final History history = new History();
        private final List<String> log = new ArrayList<>();
        private boolean partitioned;
        /** The last read that did not match, for the failure message. */
        private String mismatch;
        /** The groups of the open partition, or {@code null}. */
        private List<List<String>> groups;

        Schedule(long seed, int owners) {
            this.seed = seed;
            this.owners = owners;
            this.random = new Random(seed);
            this.chaos = random.nextBoolean();
            this.bounded = random.nextInt(3) == 0;
            CacheSettings settings = (bounded ? CacheSettings.DEFAULTS.withMaxEntries(BOUND) : CacheSettings.DEFAULTS)
                    .withOwners(owners);
            this.cluster = new TestCluster("checker", b -> b.gossipInterval(Duration.ofMillis(300)).syncTimeout(Duration.ofSeconds(1))
                    .sweepInterval(Duration.ofMillis(100))
                    .cache(CACHE, settings))
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
            note("%d members, chaos (duplicates + reordering) %s, bounded to %s, owners %s", n, chaos,
                    bounded ? BOUND : "-", owners == 0 ? "all" : owners);
            for (int i = 0; i < n; i++) {
                members.add(started(cluster.start("m" + i)));
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
                    if (owners != 1) {
                        crashAndRestart();
                    }
                } else if (!partitioned) {
                    // Not while partitioned, for now: a member that went LOCAL inside one side of a partition and came
                    // back within a second twice founded a cluster of its own and stayed apart from its side for the
                    // whole 30 s (2 of 350 schedules, seeds -652258477442833179 and 8213245187506498786 of 2026-12-07,
                    // neither reproduced alone): discovery missed its side, and no merge followed. To investigate.
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
            // every TTL has passed, so what each member must serve no longer changes with the clock
            long lastExpiry = history.lastExpiry();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> System.currentTimeMillis() > lastExpiry + 100);
            try {
                await().atMost(CONVERGENCE_DEADLINE).pollInterval(Duration.ofMillis(50)).until(this::converged);
            } catch (RuntimeException timeout) {
                throw new AssertionError("seed " + seed + " did not converge:\n" + differences()
                        + "\nschedule:\n" + String.join("\n", log), timeout);
            }
            long convergedMs = (System.nanoTime() - healed) / 1_000_000;
            // and stays so: an older write coming back through anti-entropy would show within a few rounds
            long[] rounds = members.stream().mapToLong(m -> m.antiEntropy().rounds()).toArray();
            List<Long> views = members.stream().map(m -> m.view().viewId()).toList();
            await().atMost(CONVERGENCE_DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> {
                // A false suspicion under load (or a merge gone wrong: JGroups once installed a merge view of one
                // member while the others kept it in theirs) splits a member off: on its own, it holds only its share
                // of a partitioned cache and misses the rest, as on the minority side of any partition; never an
                // older value
                boolean flapped = flapped(views);
                // (a flap while this poll read: its misses count as the flap's, and a wrong value still fails)
                if (!converged(owners > 0 && flapped)
                        && !(owners > 0 && !flapped && flapped(views) && converged(true))) {
                    throw new AssertionError("seed " + seed + " converged, then changed (" + mismatch + "):\n"
                            + differences()
                            + "\nschedule:\n" + String.join("\n", log));
                }
                for (int i = 0; i < members.size(); i++) {
                    if (members.get(i).antiEntropy().rounds() < rounds[i] + 3) {
                        return false;
                    }
                }
                return true;
            });
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
                long expiresAt = StoreEntry.NEVER;
                if (random.nextInt(3) == 0) {
                    Duration ttl = Duration.ofMillis(200 + random.nextInt(1_300));
                    expiresAt = System.currentTimeMillis() + ttl.toMillis(); // at most the put's own, a moment later
                    cache.put(key, value, ttl);
                } else {
                    cache.put(key, value);
                }
                // the version from the write itself; the value and expiry from here (a bounded store may have evicted
                // it, and a non-owner of a partitioned cache does not keep it)
                history.record(key, StoreEntry.value(value, lastWrite.timestamp(), lastWrite.node(),
                        lastWrite.expiresAt()));
            } else if (op < 97) {
                cache.evict(key);
                history.record(key, StoreEntry.tombstone(lastWrite.timestamp(), lastWrite.node()));
            } else {
                cache.clear();
                history.recordClear(cache.store().clearVersion());
                note("clear on %s", m.nodeName());
            }
        }

        /** Records the checked cache's writes on this member (see {@link #lastWrite}). */
        private GossipCacheEngine started(GossipCacheEngine member) {
            member.cache(CACHE).setWriteHook(write -> lastWrite = write);
            return member;
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
            this.groups = groups;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> members.stream()
                    .allMatch(m -> m.view().size() == groups.stream().filter(g -> g.contains(m.nodeName())).findFirst().get().size()));
        }

        private void heal() {
            note("heal");
            cluster.heal();
            partitioned = false;
            groups = null;
        }

        private void crashAndRestart() throws Exception {
            // during a partition too: the test cluster partitions by node name, so the restart stays on its side
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
            members.set(index, started(cluster.start(victim.nodeName())));
            note("restarted %s", victim.nodeName());
            awaitFullViews();
        }

        /** Before a crash: everything the victim wrote has reached the members of its view. */
        private void awaitReplicated(GossipCacheEngine victim) {
            // its writes to keys it does not own are only in its queue: sent, they are the owners' to keep
            assertThat(victim.flushReplication(Duration.ofSeconds(5))).as("replication queue drained").isTrue();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (GossipCacheEngine other : members) {
                    if (other == victim || other.mode() != Mode.CLUSTERED || !victim.view().contains(other.nodeName())) {
                        continue;
                    }
                    if (victim.cache(CACHE).store().clearVersion().isNewerThan(other.cache(CACHE).store().clearVersion())) {
                        return false;
                    }
                    for (int k = 0; k < KEYS; k++) {
                        if (!other.owns(CACHE, "k" + k)) {
                            continue; // a partitioned cache: a non-owner keeps nothing of the key
                        }
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

        /** Waits until every clustered member sees exactly the clustered members (of its group, while partitioned). */
        private void awaitFullViews() {
            java.util.Set<String> clustered = members.stream().filter(m -> m.mode() == Mode.CLUSTERED)
                    .map(GossipCacheEngine::nodeName).collect(Collectors.toSet());
            Map<String, java.util.Set<String>> expected = new HashMap<>();
            for (String name : clustered) {
                java.util.Set<String> view = new java.util.HashSet<>(clustered);
                if (groups != null) {
                    view.retainAll(groups.stream().filter(g -> g.contains(name)).findFirst().orElseThrow());
                }
                expected.put(name, view);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> members.stream()
                    .filter(m -> m.mode() == Mode.CLUSTERED)
                    .allMatch(m -> m.view().size() == expected.get(m.nodeName()).size() // no stale incarnation
                            && m.view().members().stream().map(c -> c.name()).collect(Collectors.toSet())
                                    .equals(expected.get(m.nodeName()))));
        }

        private boolean converged() {
            return converged(false);
        }

        /** Whether some member left the view every member had at {@code views}, or its view lacks someone. */
        private boolean flapped(List<Long> views) {
            return !members.stream().map(m -> m.view().viewId()).toList().equals(views)
                    || members.stream().anyMatch(m -> m.view().size() != members.size());
        }

        /**
         * What a user sees: the newest write (or nothing, if it is a delete or expired); bounded, or {@code misses}:
         * or nothing.
         */
        private boolean converged(boolean misses) {
            long now = System.currentTimeMillis();
            for (int k = 0; k < KEYS; k++) {
                Object expected = history.expected("k" + k, now);
                for (GossipCacheEngine m : members) {
                    Object actual = m.cache(CACHE).get("k" + k);
                    boolean ok = expected == null ? actual == null
                            : expected.equals(actual) || ((bounded || misses) && actual == null);
                    if (!ok) {
                        mismatch = m.nodeName() + " read k" + k + "=" + actual + ", expected " + expected;
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
                Map<String, Object> reads = new LinkedHashMap<>();
                for (GossipCacheEngine m : members) {
                    reads.put(m.nodeName(), m.cache(CACHE).get(key)
                            + (owners > 0 ? " (" + m.partitionOf(CACHE, key) + ")" : ""));
                }
                out.append(key).append(": expected ").append(history.expected(key, System.currentTimeMillis())).append(" (")
                        .append(history.newest.get(key)).append(", clear ").append(history.clear).append(") stored ")
                        .append(actual).append(", read ").append(reads).append('\n');
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

        Object expected(String key, long nowMillis) {
            StoreEntry e = newest.get(key);
            if (e == null || !e.isNewerThan(clear) || e.isExpired(nowMillis)) {
                return null;
            }
            return e.value();
        }

        /** When the last write with a TTL expires (0 if none). */
        long lastExpiry() {
            return newest.values().stream().mapToLong(StoreEntry::expiresAt).max().orElse(0);
        }
    }
}
