package io.gossipcache.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CacheStoreTest {

    private final AtomicLong now = new AtomicLong(5_000_000);
    private final CacheStore store = new CacheStore("c", CacheSettings.DEFAULTS, now::get);

    private static long ts(long millis) {
        return HybridClock.fromMillis(millis);
    }

    @Test
    void newerWriteReplacesOlder() {
        assertThat(store.apply("k", StoreEntry.value("v1", ts(1), 1, 0))).isTrue();
        assertThat(store.apply("k", StoreEntry.value("v2", ts(2), 1, 0))).isTrue();
        assertThat(store.get("k")).isEqualTo("v2");
    }

    @Test
    void olderWriteIsRejected() {
        store.apply("k", StoreEntry.value("v2", ts(2), 1, 0));
        assertThat(store.apply("k", StoreEntry.value("v1", ts(1), 1, 0))).isFalse();
        assertThat(store.get("k")).isEqualTo("v2");
    }

    @Test
    void equalVersionIsADuplicateAndChangesNothing() {
        store.apply("k", StoreEntry.value("v", ts(2), 1, 0));
        assertThat(store.apply("k", StoreEntry.value("other", ts(2), 1, 0))).isFalse();
        assertThat(store.get("k")).isEqualTo("v");
    }

    @Test
    void nodeIdBreaksTimestampTies() {
        store.apply("k", StoreEntry.value("from-1", ts(2), 1, 0));
        assertThat(store.apply("k", StoreEntry.value("from-2", ts(2), 2, 0))).isTrue();
        assertThat(store.apply("k", StoreEntry.value("from-1-again", ts(2), 1, 0))).isFalse();
        assertThat(store.get("k")).isEqualTo("from-2");
    }

    @Test
    void tombstoneHidesTheValueAndBlocksOlderWrites() {
        store.apply("k", StoreEntry.value("v", ts(1), 1, 0));
        assertThat(store.apply("k", StoreEntry.tombstone(ts(2), 1))).isTrue();
        assertThat(store.get("k")).isNull();
        assertThat(store.apply("k", StoreEntry.value("late", ts(1) + 1, 1, 0))).isFalse();
        assertThat(store.get("k")).isNull();
        assertThat(store.apply("k", StoreEntry.value("new", ts(3), 1, 0))).isTrue();
        assertThat(store.get("k")).isEqualTo("new");
    }

    @Test
    void clearDropsOlderEntriesAndRejectsOlderLateWrites() {
        store.apply("a", StoreEntry.value("1", ts(1), 1, 0));
        store.apply("b", StoreEntry.value("2", ts(3), 1, 0)); // written after the clear below
        assertThat(store.clear(new Version(ts(2), 1))).isTrue();
        assertThat(store.get("a")).isNull();
        assertThat(store.get("b")).isEqualTo("2");
        assertThat(store.apply("c", StoreEntry.value("late", ts(1), 1, 0))).isFalse();
        assertThat(store.get("c")).isNull();
        assertThat(store.clear(new Version(ts(1), 1))).isFalse(); // older clear changes nothing
        assertThat(store.clearVersion()).isEqualTo(new Version(ts(2), 1));
    }

    @Test
    void expiredEntryIsNeverReturnedEvenBeforeItIsSwept() {
        store.apply("k", StoreEntry.value("v", ts(1), 1, now.get() + 1_000));
        assertThat(store.get("k")).isEqualTo("v");
        now.addAndGet(999);
        assertThat(store.get("k")).isEqualTo("v");
        now.addAndGet(1);
        assertThat(store.get("k")).isNull();
        assertThat(store.size()).isZero();
        assertThat(store.storedEntries()).isEqualTo(1); // still there physically
        assertThat(store.sweep(60_000)).isEqualTo(1);
        assertThat(store.storedEntries()).isZero();
    }

    @Test
    void sweepKeepsTombstonesForTheRetentionThenDropsThem() {
        store.apply("k", StoreEntry.tombstone(ts(now.get()), 1));
        assertThat(store.sweep(10_000)).isZero();
        now.addAndGet(10_001);
        assertThat(store.sweep(10_000)).isEqualTo(1);
        assertThat(store.entry("k")).isNull();
    }

    @Test
    void sizeCountsLiveEntriesOnly() {
        store.apply("a", StoreEntry.value("1", ts(1), 1, 0));
        store.apply("b", StoreEntry.value("2", ts(1), 1, 0));
        store.apply("c", StoreEntry.tombstone(ts(1), 1));
        store.apply("d", StoreEntry.value("4", ts(1), 1, now.get() - 1));
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void maxEntriesBoundsLiveEntriesButNeverEvictsTombstones() {
        CacheStore bounded = new CacheStore("b", CacheSettings.DEFAULTS.withMaxEntries(100), now::get);
        for (int i = 0; i < 50; i++) {
            bounded.apply("dead" + i, StoreEntry.tombstone(ts(1), 1));
        }
        for (int i = 0; i < 1_000; i++) {
            bounded.apply("k" + i, StoreEntry.value("v" + i, ts(2), 1, 0));
        }
        assertThat(bounded.size()).isLessThanOrEqualTo(100);
        for (int i = 0; i < 50; i++) {
            assertThat(bounded.entry("dead" + i)).as("tombstone %d", i).isNotNull();
        }
    }

    @Test
    void aLocalOverrideYieldsOnlyToClusteredWritesNewerThanTheOneItShadows() {
        store.apply("k", StoreEntry.value("clustered-1", ts(10), 1, 0, 77));
        store.applyLocal("k", "local", ts(50), 2, 0, 77); // its own clock is far ahead
        assertThat(store.get("k")).isEqualTo("local");
        assertThat(store.apply("k", StoreEntry.value("duplicate", ts(10), 1, 0, 77))).isFalse();
        assertThat(store.get("k")).isEqualTo("local");
        assertThat(store.apply("k", StoreEntry.value("clustered-2", ts(11), 1, 0, 77))).isTrue();
        assertThat(store.get("k")).isEqualTo("clustered-2");
    }

    @Test
    void aLocalOverrideDigestsAsTheClusteredWriteItShadows() {
        CacheStore peer = new CacheStore("peer", CacheSettings.DEFAULTS, now::get);
        StoreEntry clustered = StoreEntry.value("v", ts(now.get() - 5_000), 1, 0, 123);
        store.apply("k", clustered);
        peer.apply("k", clustered);
        store.applyLocal("k", null, ts(now.get() - 4_000), 2, 0, 123); // local evict
        long horizon = ts(now.get() - 60_000);
        long cutoff = ts(now.get());
        assertThat(store.digest(16, horizon, cutoff)).containsExactly(peer.digest(16, horizon, cutoff));
        java.util.List<Object> sent = new java.util.ArrayList<>();
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 16);
        store.forEachGossiped(all, 16, horizon, cutoff, (key, entry) -> sent.add(key));
        assertThat(sent).isEmpty(); // the override itself never travels
    }

    @Test
    void digestsLeaveOutWritesOutsideTheWindow() {
        CacheStore peer = new CacheStore("peer", CacheSettings.DEFAULTS, now::get);
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        store.apply("old", StoreEntry.value("v", ts(now.get() - 20_000), 1, 0, 1));
        store.apply("settling", StoreEntry.value("v", ts(now.get() - 500), 1, 0, 2));
        assertThat(store.digest(16, horizon, cutoff)).containsExactly(peer.digest(16, horizon, cutoff));
        store.apply("in-window", StoreEntry.value("v", ts(now.get() - 5_000), 1, 0, 4));
        assertThat(store.digest(16, horizon, cutoff)).isNotEqualTo(peer.digest(16, horizon, cutoff));
    }

    @Test
    void anExpiredValueBecomesATombstoneOfItsVersionThatOlderWritesCannotPass() {
        long written = now.get();
        store.apply("k", StoreEntry.value("v2", ts(written), 1, written + 1_000, 9));
        now.addAndGet(1_000);
        assertThat(store.get("k")).isNull();
        assertThat(store.sweep(60_000)).isEqualTo(1);
        StoreEntry entry = store.entry("k");
        assertThat(entry.isTombstone()).isTrue();
        assertThat(entry.version()).isEqualTo(new Version(ts(written), 1));
        // an older write (a partitioned member's copy, state from a member that missed the expired put) stays out
        assertThat(store.apply("k", StoreEntry.value("v1", ts(written - 1), 1, 0, 9))).isFalse();
        assertThat(store.get("k")).isNull();
        // remembered as long as a delete, from the write's version
        now.set(written + 60_000);
        assertThat(store.sweep(60_000)).isZero();
        now.set(written + 60_001);
        assertThat(store.sweep(60_000)).isEqualTo(1);
        assertThat(store.entry("k")).isNull();
    }

    @Test
    void anExpiredValueDigestsAndTravelsAsTheTombstoneOfItsVersion() {
        CacheStore peer = new CacheStore("peer", CacheSettings.DEFAULTS, now::get);
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        long version = ts(now.get() - 5_000);
        store.apply("k", StoreEntry.value("v", version, 1, now.get() - 1, 3));
        peer.apply("k", StoreEntry.tombstone(version, 1, 3));
        CacheStore older = new CacheStore("older", CacheSettings.DEFAULTS, now::get);
        older.apply("k", StoreEntry.value("v0", version - 1, 1, 0, 3));
        assertThat(store.digest(16, horizon, cutoff)).containsExactly(peer.digest(16, horizon, cutoff))
                .isNotEqualTo(older.digest(16, horizon, cutoff));
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 16);
        List<StoreEntry> sent = new ArrayList<>();
        store.forEachGossiped(all, 16, horizon, cutoff, (key, entry) -> sent.add(entry));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).isExpired(now.get())).isTrue(); // the engine encodes it as a tombstone
    }

    @Test
    void aValueEvictedForSizeLeavesTheTombstoneOfItsVersionThatDigestsLikeIt() {
        CacheStore bounded = new CacheStore("b", CacheSettings.DEFAULTS.withMaxEntries(10), now::get);
        CacheStore unbounded = new CacheStore("u", CacheSettings.DEFAULTS, now::get);
        long version = ts(now.get() - 5_000);
        for (int i = 0; i < 100; i++) {
            StoreEntry entry = StoreEntry.value("v" + i, version + i, 1, 0, i);
            bounded.apply("k" + i, entry);
            unbounded.apply("k" + i, entry);
        }
        assertThat(bounded.size()).isLessThanOrEqualTo(10);
        assertThat(bounded.storedEntries()).isEqualTo(100); // 90 tombstones, weighing nothing
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        assertThat(bounded.digest(64, horizon, cutoff)).containsExactly(unbounded.digest(64, horizon, cutoff));

        String evicted = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "k" + i)
                .filter(k -> bounded.entry(k).isTombstone()).findFirst().orElseThrow();
        int i = Integer.parseInt(evicted.substring(1));
        assertThat(bounded.get(evicted)).isNull();
        // the same write again (anti-entropy, state transfer) does not bring it back; an older one is refused
        assertThat(bounded.apply(evicted, StoreEntry.value("v" + i, version + i, 1, 0, i))).isFalse();
        assertThat(bounded.apply(evicted, StoreEntry.value("old", version + i - 1, 1, 0, i))).isFalse();
        assertThat(bounded.get(evicted)).isNull();
        // offered to a differing peer as the tombstone: members holding an older write stop serving it
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 64);
        Map<Object, StoreEntry> sent = new HashMap<>();
        bounded.forEachGossiped(all, 64, horizon, cutoff, sent::put);
        assertThat(sent).hasSize(100);
        assertThat(sent.get(evicted).isTombstone()).isTrue();
        assertThat(sent.get(evicted).version()).isEqualTo(new Version(version + i, 1));
        // a newer write replaces it
        assertThat(bounded.apply(evicted, StoreEntry.value("new", ts(now.get()), 1, 0, i))).isTrue();
        assertThat(bounded.get(evicted)).isEqualTo("new");
        assertThat(bounded.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void tombstonesOfEvictedValuesAreSweptAfterTheRetention() {
        CacheStore bounded = new CacheStore("b", CacheSettings.DEFAULTS.withMaxEntries(10), now::get);
        long written = now.get();
        for (int i = 0; i < 100; i++) {
            bounded.apply("k" + i, StoreEntry.value("v" + i, ts(written) + i, 1, 0, i));
        }
        assertThat(bounded.storedEntries()).isEqualTo(100);
        assertThat(bounded.sweep(60_000)).isZero(); // within the retention: kept
        now.set(written + 60_001);
        assertThat(bounded.sweep(60_000)).isEqualTo(90); // the evictions' tombstones, and only those
        assertThat(bounded.storedEntries()).isEqualTo(10);
        assertThat(bounded.size()).isEqualTo(10);
    }

    @Test
    void aRefusedWriteLeavesTheTombstoneOfItsVersionEvenWhenItsKeyCannotBeRead() {
        CacheStore peer = new CacheStore("peer", CacheSettings.DEFAULTS, now::get);
        long version = ts(now.get() - 5_000);
        byte[] keyBytes = {9, 8, 7};
        peer.apply("k", StoreEntry.value("v", version, 1, 0, 42));
        store.apply("k", StoreEntry.value("older", version - 1, 1, 0, 42));
        assertThat(store.applyRefused("k", keyBytes, 0, 3, version, 1, 42)).isTrue();
        assertThat(store.get("k")).isNull(); // not the older value it replaced
        assertThat(store.applyRefused(null, keyBytes, 0, 3, version + 1, 1, 77)).isTrue();
        assertThat(store.applyRefused(null, new byte[] {0, 9, 8, 7}, 1, 3, version + 1, 1, 77)).isFalse(); // same key
        peer.apply("unreadable", StoreEntry.value("x", version + 1, 1, 0, 77));
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        assertThat(store.digest(16, horizon, cutoff)).containsExactly(peer.digest(16, horizon, cutoff));
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 16);
        List<Object> sent = new ArrayList<>();
        store.forEachGossiped(all, 16, horizon, cutoff, (key, entry) -> sent.add(key));
        assertThat(sent).hasSize(2).contains("k"); // as tombstones
        Object unreadable = sent.stream().filter(key -> !"k".equals(key)).findFirst().orElseThrow();
        assertThat(CacheStore.unreadableKeyBytes(unreadable)).containsExactly(9, 8, 7); // sent under its own bytes
        assertThat(CacheStore.unreadableKeyBytes("k")).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void entriesKeepTheirKeyHashOnlyWhereTheStoreCannotComputeIt() {
        CacheStore derived = new CacheStore("d", CacheSettings.DEFAULTS, now::get, new DefaultCodec().keyHasher());
        long ts = ts(now.get());
        assertThat(derived.valueEntry("k", "v", ts, 1, StoreEntry.NEVER, encodedHash("k")).getClass())
                .isEqualTo(StoreEntry.class);
        assertThat(derived.valueEntry(7L, "v", ts, 1, now.get() + 1_000, encodedHash(7L)).getClass())
                .isEqualTo(StoreEntry.Expiring.class);
        assertThat(derived.tombstoneEntry(7, ts, 1, encodedHash(7)).getClass()).isEqualTo(StoreEntry.class);
        UUID uuid = UUID.randomUUID();
        assertThat(derived.valueEntry(uuid, "v", ts, 1, StoreEntry.NEVER, encodedHash(uuid)).getClass())
                .isEqualTo(StoreEntry.Hashed.class);
        // a hash that is not the one the store would compute is kept, not trusted away
        StoreEntry odd = derived.valueEntry("k", "v", ts, 1, now.get() + 1_000, 12345L);
        assertThat(odd.getClass()).isEqualTo(StoreEntry.HashedExpiring.class);
        assertThat(odd.keyHash("k", derived.keyHasher())).isEqualTo(12345L);
        // and a store without a hasher keeps every hash
        assertThat(store.valueEntry("k", "v", ts, 1, StoreEntry.NEVER, encodedHash("k")).getClass())
                .isEqualTo(StoreEntry.Hashed.class);
    }

    private static final DefaultCodec CODEC = new DefaultCodec();

    private static long encodedHash(Object key) {
        return KeyHash.of(CODEC.encode(key));
    }

    /**
     * A store that computes key hashes from String, Long and Integer keys digests and selects exactly as one that
     * keeps every hash, over random writes of those and other keys, local overrides and expiry.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void derivedKeyHashesDigestLikeKeptOnes(long seed) {
        Random random = new Random(seed);
        CacheStore derived = new CacheStore("d", CacheSettings.DEFAULTS, now::get, CODEC.keyHasher());
        CacheStore kept = new CacheStore("k", CacheSettings.DEFAULTS, now::get, KeyHasher.NONE);
        List<Object> keys = List.of("a", "key-1", "\u00fc\u2713", "\uD83D\uDE00", 1L, -7L, 3, Integer.MIN_VALUE,
                new UUID(1, 2), new UUID(3, 4), 2.5d);
        long node = 0;
        for (int step = 0; step < 200; step++) {
            Object key = keys.get(random.nextInt(keys.size()));
            long hash = encodedHash(key);
            long ts = ts(now.get() - random.nextInt(60_000)) + (++node % 4);
            int op = random.nextInt(10);
            long expiresAt = random.nextInt(4) == 0 ? now.get() + 1_000 : StoreEntry.NEVER;
            for (CacheStore s : List.of(derived, kept)) {
                if (op < 6) {
                    s.apply(key, s.valueEntry(key, "v" + step, ts, 1 + node % 3, expiresAt, hash));
                } else if (op < 8) {
                    s.apply(key, s.tombstoneEntry(key, ts, 1 + node % 3, hash));
                } else if (op < 9) {
                    s.applyLocal(key, "local" + step, ts, 9, StoreEntry.NEVER, hash);
                }
            }
            if (op == 9) {
                now.addAndGet(random.nextInt(1_500));
            }
            long cutoff = ts(now.get() - 1_000);
            long horizon = ts(now.get() - 45_000);
            assertThat(derived.digest(32, horizon, cutoff)).as("seed %d step %d", seed, step)
                    .containsExactly(kept.digest(32, horizon, cutoff));
            java.util.BitSet buckets = java.util.BitSet.valueOf(new long[] {random.nextLong()});
            assertThat(gossiped(derived, buckets, horizon, cutoff)).isEqualTo(gossiped(kept, buckets, horizon, cutoff));
        }
    }

    private Map<Object, Version> gossiped(CacheStore s, java.util.BitSet buckets, long horizon, long cutoff) {
        Map<Object, Version> out = new HashMap<>();
        s.forEachGossiped(buckets, 64, horizon, cutoff, (key, entry) -> out.put(key, entry.version()));
        return out;
    }

    @Test
    void settingsRefuseNegativeValuesAndTtlsTheClockCannotHold() {
        assertThatThrownBy(() -> new CacheSettings(Duration.ofSeconds(-1), 0)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new CacheSettings(Duration.ZERO, -5)).hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> new CacheSettings(Duration.ofSeconds(Long.MAX_VALUE), 0))
                .hasMessageContaining("longest supported");
        assertThat(new CacheSettings(CacheSettings.MAX_TTL, 0).defaultTtl()).isEqualTo(CacheSettings.MAX_TTL);
    }

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            seeds.add(r.nextLong());
        }
        return seeds;
    }

    /** Any order, with duplicates, of the same puts, evicts and clears ends in the same contents. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void applyingWritesInAnyOrderWithDuplicatesConverges(long seed) {
        Random random = new Random(seed);
        List<CacheStore> replicas = List.of(
                new CacheStore("r1", CacheSettings.DEFAULTS, now::get),
                new CacheStore("r2", CacheSettings.DEFAULTS, now::get),
                new CacheStore("r3", CacheSettings.DEFAULTS, now::get));
        List<java.util.function.Consumer<CacheStore>> ops = new ArrayList<>();
        java.util.Set<Version> used = new java.util.HashSet<>();
        for (int i = 0; i < 60; i++) {
            String key = "k" + random.nextInt(8);
            long ts = ts(1 + random.nextInt(20)) + random.nextInt(3);
            long node = 1 + random.nextInt(3);
            if (!used.add(new Version(ts, node))) {
                continue; // a node never issues one version twice
            }
            int kind = random.nextInt(10);
            if (kind < 6) {
                String value = "v" + i;
                ops.add(s -> s.apply(key, StoreEntry.value(value, ts, node, 0)));
            } else if (kind < 9) {
                ops.add(s -> s.apply(key, StoreEntry.tombstone(ts, node)));
            } else {
                ops.add(s -> s.clear(new Version(ts, node)));
            }
        }
        for (CacheStore replica : replicas) {
            List<java.util.function.Consumer<CacheStore>> order = new ArrayList<>(ops);
            order.addAll(ops.subList(0, random.nextInt(ops.size()))); // duplicates
            Collections.shuffle(order, random);
            order.forEach(op -> op.accept(replica));
        }
        Map<Object, Object> expected = contents(replicas.get(0));
        assertThat(contents(replicas.get(1))).as("seed %d", seed).isEqualTo(expected);
        assertThat(contents(replicas.get(2))).as("seed %d", seed).isEqualTo(expected);
    }

    private static Map<Object, Object> contents(CacheStore store) {
        Map<Object, Object> out = new HashMap<>();
        for (int k = 0; k < 8; k++) {
            out.put("k" + k, store.get("k" + k));
        }
        return out;
    }

    /**
     * A digest answered from the store's cache equals a fresh scan, whatever changed in between: old and new
     * writes, replacements, tombstones, expiry, sweeps, clears and a moving window.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReusedDigestAlwaysEqualsAFreshScan(long seed) {
        Random random = new Random(seed);
        long settle = 1_000;
        long node = 0;
        for (int step = 0; step < 300; step++) {
            int op = random.nextInt(20);
            String key = "k" + random.nextInt(30);
            long keyHash = key.hashCode();
            long millis = now.get() - random.nextInt(op < 3 ? 60_000 : 3_000); // mostly recent, some old
            long ts = ts(millis) + (++node % 4);
            if (op < 12) {
                long expiresAt = random.nextInt(5) == 0 ? now.get() + random.nextInt(3_000) : StoreEntry.NEVER;
                store.apply(key, StoreEntry.value("v" + step, ts, 1 + random.nextInt(3), expiresAt, keyHash));
            } else if (op < 15) {
                store.apply(key, StoreEntry.tombstone(ts, 1 + random.nextInt(3), keyHash));
            } else if (op < 17) {
                now.addAndGet(random.nextInt(700));
            } else if (op < 18) {
                store.sweep(20_000);
            } else if (op < 19 && random.nextInt(4) == 0) {
                store.clear(new Version(ts(now.get() - random.nextInt(5_000)), 9));
            }
            // the window as anti-entropy forms it: steps of the settle time
            long cutoff = ts(Math.floorDiv(now.get() - settle, settle) * settle);
            long horizon = ts(Math.floorDiv(now.get() - 30_000 + settle - 1, settle) * settle);
            long[] answered = store.digest(64, horizon, cutoff);
            assertThat(answered).as("seed %d step %d", seed, step).containsExactly(freshDigest(64, horizon, cutoff));
            assertThat(store.digest(64, horizon, cutoff)).containsExactly(answered);
        }
    }

    /** The digest of a new store holding the same entries: always a scan. */
    private long[] freshDigest(int buckets, long horizon, long cutoff) {
        CacheStore copy = new CacheStore("copy", CacheSettings.DEFAULTS, now::get);
        store.forEachEntry(copy::apply);
        return copy.digest(buckets, horizon, cutoff);
    }

    @Test
    void aDigestIsReusedOnlyUntilASettledEntryChanges() {
        long cutoff = ts(now.get() - 1_000);
        long horizon = ts(now.get() - 60_000);
        store.apply("settled", StoreEntry.value("v1", ts(now.get() - 5_000), 1, 0, 7));
        long[] first = store.digest(16, horizon, cutoff);
        store.apply("fresh", StoreEntry.value("v", ts(now.get()), 1, 0, 8)); // newer than the cutoff: left out
        assertThat(store.digest(16, horizon, cutoff)).containsExactly(first);
        assertThat(store.digestScans()).as("the second digest reused the first scan").isEqualTo(1);
        store.apply("settled", StoreEntry.value("v2", ts(now.get()), 1, 0, 7)); // replaces a settled entry
        assertThat(store.digest(16, horizon, cutoff)).isNotEqualTo(first).containsExactly(freshDigest(16, horizon, cutoff));
        assertThat(store.digestScans()).isEqualTo(2);
        assertThat(store.digest(16, horizon, ts(now.get() - 500))).hasSize(16); // another window: a scan
        assertThat(store.digestScans()).isEqualTo(3);
    }
}
