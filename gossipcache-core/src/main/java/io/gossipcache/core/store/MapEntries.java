package io.gossipcache.core.store;

import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/** An {@link EntryMap} over a {@link ConcurrentMap}: the size-bounded stores, where Caffeine enforces the bound. */
final class MapEntries implements EntryMap {

    private final ConcurrentMap<Object, StoreEntry> map;

    MapEntries(ConcurrentMap<Object, StoreEntry> map) {
        this.map = map;
    }

    @Override
    public StoreEntry get(Object key) {
        return map.get(key);
    }

    @Override
    public StoreEntry merge(Object key, StoreEntry incoming, BiFunction<StoreEntry, StoreEntry, StoreEntry> merge) {
        return map.merge(key, incoming, merge);
    }

    @Override
    public void compute(Object key, BiFunction<Object, StoreEntry, StoreEntry> remap) {
        map.compute(key, remap);
    }

    @Override
    public boolean remove(Object key, StoreEntry expected) {
        return map.remove(key, expected);
    }

    @Override
    public int removeIf(Predicate<StoreEntry> filter) {
        int[] removed = {0};
        map.values().removeIf(entry -> {
            boolean match = filter.test(entry);
            if (match) {
                removed[0]++;
            }
            return match;
        });
        return removed[0];
    }

    @Override
    public void forEach(BiConsumer<Object, StoreEntry> action) {
        map.forEach(action);
    }

    @Override
    public int size() {
        return map.size();
    }
}
