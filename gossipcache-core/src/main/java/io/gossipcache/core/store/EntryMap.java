package io.gossipcache.core.store;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Where a {@link CacheStore} keeps its entries: the few map operations the store needs. Reads never block;
 * each write operation is atomic per key.
 */
interface EntryMap {

    /** The entry for {@code key}, or {@code null}. */
    StoreEntry get(Object key);

    /**
     * Puts {@code incoming} if the key holds nothing, else {@code merge(current, incoming)}, atomically.
     *
     * @return the entry the key holds afterwards
     */
    StoreEntry merge(Object key, StoreEntry incoming, BiFunction<StoreEntry, StoreEntry, StoreEntry> merge);

    /** Replaces the key's entry (or {@code null}) by what {@code remap} returns, atomically; {@code null} removes. */
    void compute(Object key, BiFunction<Object, StoreEntry, StoreEntry> remap);

    /** Removes the key if it still holds exactly {@code expected} (the same instance). */
    boolean remove(Object key, StoreEntry expected);

    /** Removes every entry that matches; answers how many were removed. */
    int removeIf(Predicate<StoreEntry> filter);

    /** Visits every entry; weakly consistent: sees some state of each key during the call, never fails on a change. */
    void forEach(BiConsumer<Object, StoreEntry> action);

    /** Number of entries. */
    int size();
}
