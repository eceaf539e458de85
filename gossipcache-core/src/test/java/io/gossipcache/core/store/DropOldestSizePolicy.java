package io.gossipcache.core.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A size policy for tests, written the way a newcomer would plug one in: after every write that may add a value,
 * while more than {@code maxValues} values are held, it drops the value of the oldest version and reports it.
 * Deterministic (no frequency sketch, no sampling), so tests can name which keys are dropped. Single-writer only:
 * concurrent writes may drop one value too many, which the contract allows.
 */
final class DropOldestSizePolicy implements SizePolicy {

    private final int maxValues;

    DropOldestSizePolicy(int maxValues) {
        this.maxValues = maxValues;
    }

    @Override
    public ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops) {
        return new DroppingMap(maxValues, drops);
    }

    @Override
    public boolean mayDrop() {
        return true;
    }

    @Override
    public String toString() {
        return "drop-oldest(" + maxValues + ")";
    }

    /** Bounds after each of the writes CacheStore uses to add values, outside the per-key atomic operation. */
    private static final class DroppingMap extends ConcurrentHashMap<Object, StoreEntry> {
        private final int maxValues;
        private final Drops drops;

        DroppingMap(int maxValues, Drops drops) {
            this.maxValues = maxValues;
            this.drops = drops;
        }

        @Override
        public StoreEntry merge(Object key, StoreEntry value,
                                BiFunction<? super StoreEntry, ? super StoreEntry, ? extends StoreEntry> remapping) {
            return settle(super.merge(key, value, remapping));
        }

        @Override
        public StoreEntry compute(Object key,
                                  BiFunction<? super Object, ? super StoreEntry, ? extends StoreEntry> remapping) {
            return settle(super.compute(key, remapping));
        }

        @Override
        public StoreEntry computeIfAbsent(Object key, Function<? super Object, ? extends StoreEntry> mapping) {
            return settle(super.computeIfAbsent(key, mapping));
        }

        @Override
        public StoreEntry put(Object key, StoreEntry value) {
            return settle(super.put(key, value));
        }

        @Override
        public StoreEntry putIfAbsent(Object key, StoreEntry value) {
            return settle(super.putIfAbsent(key, value));
        }

        @Override
        public boolean replace(Object key, StoreEntry oldValue, StoreEntry newValue) {
            return settle(super.replace(key, oldValue, newValue));
        }

        @Override
        public StoreEntry replace(Object key, StoreEntry value) {
            return settle(super.replace(key, value));
        }

        private <T> T settle(T result) {
            while (true) {
                Object oldestKey = null;
                StoreEntry oldest = null;
                int values = 0;
                for (var e : entrySet()) {
                    StoreEntry entry = e.getValue();
                    if (entry.isTombstone()) {
                        continue; // the contract: tombstones are never dropped, nor counted
                    }
                    values++;
                    if (oldest == null || oldest.isNewerThan(entry)) {
                        oldest = entry;
                        oldestKey = e.getKey();
                    }
                }
                if (values <= maxValues) {
                    return result;
                }
                if (super.remove(oldestKey, oldest)) { // only the thread that removed it reports it: once
                    drops.dropped(oldestKey, oldest);
                }
            }
        }
    }
}
