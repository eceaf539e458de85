package io.gossipcache.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A policy other than the two shipped, plugged into {@link CacheStore}: the store alone turns its drops into
 * tombstones of the same version, so digests do not change and anti-entropy brings nothing back.
 */
class CacheStoreSizePolicyTest {

    private final AtomicLong now = new AtomicLong(5_000_000);
    private final long horizon = ts(now.get() - 10_000);
    private final long cutoff = ts(now.get() - 1_000);

    private static long ts(long millis) {
        return HybridClock.fromMillis(millis);
    }

    private CacheStore store(String name, SizePolicy policy) {
        return new CacheStore(name, CacheSettings.DEFAULTS, now::get, KeyHasher.NONE, policy);
    }

    @Test
    void droppedValuesLeaveTombstonesOfTheirVersionAndTheDigestOfAStoreThatKeptThemAsTombstones() {
        CacheStore bounded = store("bounded", new DropOldestSizePolicy(3));
        CacheStore all = store("all", UnboundedSizePolicy.INSTANCE);
        CacheStore asTombstones = store("as-tombstones", UnboundedSizePolicy.INSTANCE);
        long version = ts(now.get() - 5_000);
        for (int i = 0; i < 10; i++) {
            StoreEntry value = bounded.valueEntry("k" + i, "v" + i, version + i, 1, StoreEntry.NEVER, i);
            assertThat(bounded.apply("k" + i, value)).isTrue();
            all.apply("k" + i, value);
            // what the bounded store should hold: the three newest values, the tombstones of the others' versions
            asTombstones.apply("k" + i, i < 7 ? asTombstones.tombstoneEntry("k" + i, version + i, 1, i) : value);
        }
        for (int i = 0; i < 10; i++) {
            StoreEntry entry = bounded.entry("k" + i);
            assertThat(entry.isTombstone()).as("k%d dropped", i).isEqualTo(i < 7);
            assertThat(entry.version()).as("k%d", i).isEqualTo(new Version(version + i, 1));
        }
        assertThat(bounded.size()).isEqualTo(3);
        assertThat(bounded.digest(16, horizon, cutoff))
                .containsExactly(asTombstones.digest(16, horizon, cutoff))
                .containsExactly(all.digest(16, horizon, cutoff));
        assertThat(gossiped(bounded)).isEqualTo(gossiped(asTombstones));

        // anti-entropy from a peer that kept the value does not bring it back; an older write cannot pass either
        assertThat(bounded.apply("k0", StoreEntry.value("v0", version, 1, 0, 0))).isFalse();
        assertThat(bounded.apply("k0", StoreEntry.value("older", version - 1, 1, 0, 0))).isFalse();
        assertThat(bounded.get("k0")).isNull();
        // a newer write takes the key back, and the bound drops the oldest value left
        assertThat(bounded.apply("k0", StoreEntry.value("new", version + 20, 1, 0, 0))).isTrue();
        assertThat(bounded.get("k0")).isEqualTo("new");
        assertThat(bounded.entry("k7").isTombstone()).isTrue();
        assertThat(bounded.size()).isEqualTo(3);
    }

    @Test
    void aDroppedLocalOverrideLeavesTheTombstoneOfTheClusteredWriteItShadowed() {
        CacheStore bounded = store("bounded", new DropOldestSizePolicy(1));
        CacheStore peer = store("peer", UnboundedSizePolicy.INSTANCE);
        long version = ts(now.get() - 5_000);
        StoreEntry clustered = StoreEntry.value("clustered", version, 1, 0, 5);
        bounded.apply("shadowing", clustered);
        peer.apply("shadowing", clustered);
        bounded.applyLocal("shadowing", "local", version + 1, 2, StoreEntry.NEVER, 5);
        // each of the next writes drops the oldest value: the first override, then this one (it shadows nothing)
        bounded.applyLocal("alone", "local", version + 2, 2, StoreEntry.NEVER, 6);
        StoreEntry newest = StoreEntry.value("v", version + 3, 1, 0, 7);
        bounded.apply("k", newest);
        peer.apply("k", newest);

        assertThat(bounded.entry("shadowing").isTombstone()).isTrue();
        assertThat(bounded.entry("shadowing").isLocalOverride()).isFalse();
        assertThat(bounded.entry("shadowing").version()).isEqualTo(new Version(version, 1));
        assertThat(bounded.entry("alone")).as("the peers hold nothing for it").isNull();
        assertThat(bounded.get("k")).isEqualTo("v");
        assertThat(bounded.digest(16, horizon, cutoff)).containsExactly(peer.digest(16, horizon, cutoff));
    }

    private Map<Object, Version> gossiped(CacheStore s) {
        BitSet all = new BitSet();
        all.set(0, 16);
        Map<Object, Version> out = new HashMap<>();
        s.forEachGossiped(all, 16, horizon, cutoff, (key, entry) -> out.put(key, entry.version()));
        return out;
    }

    /**
     * A drop reported before a clear and drained after it (the writer that dropped it had not drained yet when another
     * thread cleared): the drop's tombstone is older than the clear and must not land, or this member keeps a record
     * that no member that cleared holds, and anti-entropy sends it back and forth until the retention ends.
     */
    @Test
    void aDropDrainedAfterANewerClearLeavesNothing() {
        List<Runnable> held = new ArrayList<>();
        SizePolicy holding = new SizePolicy() {
            private final SizePolicy dropOldest = new DropOldestSizePolicy(2);

            @Override
            public ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops) {
                return dropOldest.newEntryMap((key, entry) -> held.add(() -> drops.dropped(key, entry)));
            }

            @Override
            public boolean mayDrop() {
                return true;
            }
        };
        CacheStore store = store("held", holding);
        long version = ts(now.get() - 5_000);
        for (int i = 0; i < 3; i++) {
            store.apply("k" + i, store.valueEntry("k" + i, "v" + i, version + i, 1, StoreEntry.NEVER, i));
        }
        assertThat(held).hasSize(1); // k0, not reported yet
        assertThat(store.clear(new Version(version + 10, 2))).isTrue();

        held.forEach(Runnable::run);
        store.sweep(60_000); // drains the report
        assertThat(store.entry("k0")).as("the drop's tombstone, older than the clear").isNull();
        assertThat(store.digest(16, horizon, cutoff))
                .containsExactly(store("empty", UnboundedSizePolicy.INSTANCE).digest(16, horizon, cutoff));
    }
}
