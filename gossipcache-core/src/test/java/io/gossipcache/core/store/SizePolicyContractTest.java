package io.gossipcache.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules every {@link SizePolicy} keeps toward anti-entropy, checked against each implementation (and against
 * the deterministic test policy, which then stands for "any other policy" in {@link CacheStoreSizePolicyTest}).
 */
class SizePolicyContractTest {

    /** A policy under test and the most values its maps may hold once writes settle. */
    record Case(SizePolicy policy, long bound) {
    }

    static Stream<Named<Case>> policies() {
        return Stream.of(
                Named.of("unbounded", new Case(UnboundedSizePolicy.INSTANCE, Long.MAX_VALUE)),
                Named.of("caffeine(100)", new Case(new CaffeineSizePolicy(100), 100)),
                Named.of("drop-oldest(100)", new Case(new DropOldestSizePolicy(100), 100)));
    }

    private final AtomicLong now = new AtomicLong(5_000_000);
    /** Every report, in order; a map that reports a drop twice shows it here twice. */
    private final List<Map.Entry<Object, StoreEntry>> reports = new ArrayList<>();

    private static long ts(long millis) {
        return HybridClock.fromMillis(millis);
    }

    private ConcurrentMap<Object, StoreEntry> newMap(Case c) {
        return c.policy().newEntryMap((key, entry) -> reports.add(Map.entry(key, entry)));
    }

    /** What the store does on a write: the newer entry wins. */
    private static void write(ConcurrentMap<Object, StoreEntry> map, Object key, StoreEntry entry) {
        map.merge(key, entry, (current, incoming) -> incoming.isNewerThan(current) ? incoming : current);
    }

    private static long values(Map<Object, StoreEntry> map) {
        return map.values().stream().filter(e -> !e.isTombstone()).count();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void holdsNoMoreValuesThanItsBoundOnceWritesSettle(Case c) {
        ConcurrentMap<Object, StoreEntry> map = newMap(c);
        for (int i = 0; i < 1_000; i++) {
            write(map, "k" + i, StoreEntry.value("v" + i, ts(1_000) + i, 1, 0, i));
            assertThat(values(map)).as("after write %d", i).isLessThanOrEqualTo(c.bound());
        }
        assertThat(values(map)).isEqualTo(Math.min(1_000, c.bound()));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void neverDropsATombstone(Case c) {
        ConcurrentMap<Object, StoreEntry> map = newMap(c);
        Map<Object, StoreEntry> tombstones = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            write(map, "k" + i, StoreEntry.value("v" + i, ts(1_000) + i, 1, 0, i));
            if (i % 4 == 0) { // a delete of a value still held, if it is
                StoreEntry delete = StoreEntry.tombstone(ts(2_000) + i, 1, i);
                write(map, "k" + i, delete);
                tombstones.put("k" + i, delete);
            }
            if (i % 7 == 0) { // a delete of a key never written here
                StoreEntry delete = StoreEntry.tombstone(ts(1_000) + i, 2, i);
                write(map, "dead" + i, delete);
                tombstones.put("dead" + i, delete);
            }
        }
        tombstones.forEach((key, delete) -> assertThat(map.get(key)).as("%s", key).isSameAs(delete));
        assertThat(reports).allSatisfy(r -> assertThat(r.getValue().isTombstone()).isFalse());
        assertThat(values(map)).isLessThanOrEqualTo(c.bound());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void reportsEveryDroppedValueExactlyOnce(Case c) {
        ConcurrentMap<Object, StoreEntry> map = newMap(c);
        Map<Object, StoreEntry> written = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            StoreEntry entry = StoreEntry.value("v" + i, ts(1_000) + i, 1, 0, i);
            write(map, "k" + i, entry);
            written.put("k" + i, entry);
        }
        Set<Object> reported = new HashSet<>();
        for (Map.Entry<Object, StoreEntry> r : reports) {
            assertThat(reported.add(r.getKey())).as("%s reported once", r.getKey()).isTrue();
            assertThat(r.getValue()).as("%s reported as written", r.getKey()).isSameAs(written.get(r.getKey()));
            assertThat(map).as("a reported value is gone").doesNotContainKey(r.getKey());
        }
        // every value written is either held or reported: none vanishes unreported
        Set<Object> heldOrReported = new HashSet<>(map.keySet());
        heldOrReported.addAll(reported);
        assertThat(heldOrReported).isEqualTo(written.keySet());
        assertThat(reported).hasSize(1_000 - map.size());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void theStoresOwnRemovalsAndReplacementsAreNotDrops(Case c) {
        ConcurrentMap<Object, StoreEntry> map = newMap(c);
        for (int i = 0; i < 50; i++) {
            write(map, "k" + i, StoreEntry.value("v" + i, ts(1_000) + i, 1, 0, i));
        }
        write(map, "k1", StoreEntry.value("newer", ts(3_000), 1, 0, 1)); // a newer write
        map.replace("k2", map.get("k2"), StoreEntry.tombstone(ts(1_000) + 2, 1, 2)); // the sweep's expiry
        map.remove("k3", map.get("k3")); // the sweep's removal
        map.compute("k4", (k, current) -> StoreEntry.tombstone(ts(3_000), 1, 4)); // a local evict
        map.values().removeIf(e -> e.timestamp() < ts(1_000) + 10); // a clear
        assertThat(reports).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aStoreTurnsEveryDropIntoTheTombstoneOfItsVersionAndDigestsLikeAStoreThatKeptAll(Case c) {
        CacheStore store = new CacheStore("s", CacheSettings.DEFAULTS, now::get, KeyHasher.NONE, c.policy());
        CacheStore kept = new CacheStore("kept", CacheSettings.DEFAULTS, now::get);
        long version = ts(now.get() - 5_000);
        for (int i = 0; i < 300; i++) {
            StoreEntry entry = StoreEntry.value("v" + i, version + i, 1, 0, i);
            store.apply("k" + i, entry);
            kept.apply("k" + i, entry);
        }
        assertThat(store.size()).isEqualTo(Math.min(300, c.bound()));
        assertThat(store.storedEntries()).isEqualTo(300); // the rest as tombstones
        for (int i = 0; i < 300; i++) {
            StoreEntry entry = store.entry("k" + i);
            assertThat(entry.version()).as("k%d", i).isEqualTo(new Version(version + i, 1));
            // the same write again, as anti-entropy or state transfer would bring it, does not come back
            assertThat(store.apply("k" + i, StoreEntry.value("v" + i, version + i, 1, 0, i))).isFalse();
        }
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        assertThat(store.digest(64, horizon, cutoff)).containsExactly(kept.digest(64, horizon, cutoff));
        assertThat(gossiped(store, horizon, cutoff)).isEqualTo(gossiped(kept, horizon, cutoff));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aStoreReusesItsDigestOnlyIfThePolicyNeverDrops(Case c) {
        CacheStore store = new CacheStore("s", CacheSettings.DEFAULTS, now::get, KeyHasher.NONE, c.policy());
        store.apply("k", StoreEntry.value("v", ts(now.get() - 5_000), 1, 0, 7));
        long horizon = ts(now.get() - 10_000);
        long cutoff = ts(now.get() - 1_000);
        store.digest(16, horizon, cutoff);
        store.digest(16, horizon, cutoff);
        assertThat(store.digestScans()).isEqualTo(c.policy().mayDrop() ? 2 : 1);
    }

    private static Map<Object, Version> gossiped(CacheStore s, long horizon, long cutoff) {
        BitSet all = new BitSet();
        all.set(0, 64);
        Map<Object, Version> out = new HashMap<>();
        s.forEachGossiped(all, 64, horizon, cutoff, (key, entry) -> out.put(key, entry.version()));
        return out;
    }

    @Test
    void settingsChooseTheCaffeineBoundOrNone() {
        assertThat(SizePolicy.of(CacheSettings.DEFAULTS)).isSameAs(UnboundedSizePolicy.INSTANCE);
        assertThat(SizePolicy.of(CacheSettings.DEFAULTS.withMaxEntries(100)))
                .isInstanceOfSatisfying(CaffeineSizePolicy.class, p -> assertThat(p.maxEntries()).isEqualTo(100));
        assertThatThrownBy(() -> new CaffeineSizePolicy(0)).hasMessageContaining("maxEntries");
    }

    @Test
    void aPolicyThatSaysItNeverDropsCannotDropUnnoticed() {
        SizePolicy liar = new SizePolicy() {
            @Override
            public ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops) {
                return new DropOldestSizePolicy(1).newEntryMap(drops);
            }

            @Override
            public boolean mayDrop() {
                return false;
            }
        };
        CacheStore store = new CacheStore("s", CacheSettings.DEFAULTS, now::get, KeyHasher.NONE, liar);
        store.apply("a", StoreEntry.value("v", ts(1_000), 1, 0, 1));
        assertThatThrownBy(() -> store.apply("b", StoreEntry.value("v", ts(2_000), 1, 0, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never drops");
    }
}
