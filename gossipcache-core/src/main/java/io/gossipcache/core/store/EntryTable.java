package io.gossipcache.core.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The {@link EntryMap} of unbounded stores: an open-addressing hash table (linear probing) whose one array holds
 * each key next to its {@link StoreEntry}. Compared with a {@code ConcurrentHashMap<Object, StoreEntry>} it has no
 * node object per key (32 bytes) and a read hit touches the slot pair, the key and the entry, as a Caffeine hit
 * touches its table, node and key: no extra indirection on the hit path.
 *
 * <p>Concurrency: reads take no lock; writes take this table's monitor. A key slot is written once per array and
 * never changes afterwards (a removal clears only the entry slot and leaves a dead key), so a reader's probe
 * sequence can never be broken by a concurrent write. A writer publishes the entry slot before the key slot
 * (release), a reader reads the key slot before the entry slot (acquire). Growing or dropping dead keys builds a
 * new array and publishes it through a volatile field; a reader still probing the old array sees the state at
 * that moment, which no later write changes.
 */
final class EntryTable implements EntryMap {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final int MIN_CAPACITY = 16;

    /** Pairs {@code [key, entry]} at {@code 2i, 2i+1}; the capacity (number of pairs) is a power of two. */
    private volatile Object[] slots = new Object[2 * MIN_CAPACITY];
    /** Key slots taken, dead ones included (guarded by this). */
    private int used;
    /** Keys with an entry (guarded by this; volatile so that {@link #size} reads a recent count). */
    private volatile int live;

    @Override
    public StoreEntry get(Object key) {
        Object[] table = slots;
        int mask = (table.length >> 1) - 1;
        int hash = key.hashCode();
        for (int i = index(hash, mask); ; i = (i + 1) & mask) {
            Object k = SLOT.getAcquire(table, i << 1);
            if (k == null) {
                return null;
            }
            if (matches(k, key, hash)) {
                return (StoreEntry) SLOT.getAcquire(table, (i << 1) + 1);
            }
        }
    }

    @Override
    public synchronized StoreEntry merge(Object key, StoreEntry incoming,
                                         BiFunction<StoreEntry, StoreEntry, StoreEntry> merge) {
        int pair = find(key);
        StoreEntry current = pair < 0 ? null : (StoreEntry) slots[(pair << 1) + 1];
        StoreEntry result = current == null ? incoming : merge.apply(current, incoming);
        store(key, pair, current, result);
        return result;
    }

    @Override
    public synchronized void compute(Object key, BiFunction<Object, StoreEntry, StoreEntry> remap) {
        int pair = find(key);
        StoreEntry current = pair < 0 ? null : (StoreEntry) slots[(pair << 1) + 1];
        store(key, pair, current, remap.apply(key, current));
    }

    @Override
    public synchronized boolean remove(Object key, StoreEntry expected) {
        int pair = find(key);
        if (pair < 0 || slots[(pair << 1) + 1] != expected) {
            return false;
        }
        store(key, pair, expected, null);
        return true;
    }

    @Override
    public synchronized int removeIf(Predicate<StoreEntry> filter) {
        Object[] table = slots;
        int removed = 0;
        for (int e = 1; e < table.length; e += 2) {
            StoreEntry entry = (StoreEntry) table[e];
            if (entry != null && filter.test(entry)) {
                SLOT.setRelease(table, e, null);
                removed++;
            }
        }
        live -= removed;
        return removed;
    }

    @Override
    public void forEach(BiConsumer<Object, StoreEntry> action) {
        Object[] table = slots;
        for (int k = 0; k < table.length; k += 2) {
            Object key = SLOT.getAcquire(table, k);
            if (key != null) {
                StoreEntry entry = (StoreEntry) SLOT.getAcquire(table, k + 1);
                if (entry != null) {
                    action.accept(key, entry);
                }
            }
        }
    }

    @Override
    public int size() {
        return live;
    }

    /** Pair index of {@code key}'s slot (live or dead) in the current array, or {@code -1} (caller holds the lock). */
    private int find(Object key) {
        Object[] table = slots;
        int mask = (table.length >> 1) - 1;
        int hash = key.hashCode();
        for (int i = index(hash, mask); ; i = (i + 1) & mask) {
            Object k = table[i << 1];
            if (k == null) {
                return -1;
            }
            if (matches(k, key, hash)) {
                return i;
            }
        }
    }

    /** Makes {@code key} hold {@code result} ({@code null}: nothing), given its slot and current entry (lock held). */
    private void store(Object key, int pair, StoreEntry current, StoreEntry result) {
        if (result == current) {
            return;
        }
        if (pair >= 0) {
            SLOT.setRelease(slots, (pair << 1) + 1, result);
            live += current == null ? 1 : result == null ? -1 : 0;
            return;
        }
        if (result == null) {
            return;
        }
        int capacity = slots.length >> 1;
        if (used + 1 > capacity - (capacity >> 2)) { // keep the load at most 3/4, so that probes stay short and end
            rehash();
        }
        Object[] table = slots;
        int mask = (table.length >> 1) - 1;
        int i = index(key.hashCode(), mask);
        while (table[i << 1] != null) {
            i = (i + 1) & mask;
        }
        SLOT.setRelease(table, (i << 1) + 1, result); // entry first: a reader that sees the key sees its entry
        SLOT.setRelease(table, i << 1, key);
        used++;
        live++;
    }

    /** A new array sized for the live keys (load at most 1/2 afterwards), without the dead ones. */
    private void rehash() {
        Object[] old = slots;
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * (live + 1)) {
            capacity <<= 1;
        }
        Object[] table = new Object[2 * capacity];
        int mask = capacity - 1;
        int count = 0;
        for (int k = 0; k < old.length; k += 2) {
            Object entry = old[k + 1];
            if (entry != null) {
                int i = index(old[k].hashCode(), mask);
                while (table[i << 1] != null) {
                    i = (i + 1) & mask;
                }
                table[i << 1] = old[k];
                table[(i << 1) + 1] = entry;
                count++;
            }
        }
        used = count;
        live = count;
        slots = table; // volatile write: publishes the filled array
    }

    /**
     * Whether a stored key is the one looked up. Hash codes first: a probe past another key then reads only that
     * key's (for String: cached) hash, not its contents, as a map node's stored hash spares {@code equals}.
     */
    private static boolean matches(Object stored, Object key, int hash) {
        return stored == key || (stored.hashCode() == hash && key.equals(stored));
    }

    /** Home pair of a hash code, scrambled (weak hash codes would cluster under linear probing). */
    private static int index(int hashCode, int mask) {
        int h = hashCode * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
