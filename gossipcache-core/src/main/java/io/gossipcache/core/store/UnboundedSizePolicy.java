package io.gossipcache.core.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * No bound: a {@link ConcurrentHashMap} that never drops a value, the policy of a cache without
 * {@code max-entries}. (An own open-addressing table saved 30 B per entry but made a JMH hit 2.7x slower on this
 * machine, issue 7: benchmarks/results/local-findings.md.)
 */
public final class UnboundedSizePolicy implements SizePolicy {

    /** The policy holds no state: one instance serves every store. */
    public static final UnboundedSizePolicy INSTANCE = new UnboundedSizePolicy();

    private UnboundedSizePolicy() {
    }

    @Override
    public ConcurrentMap<Object, StoreEntry> newEntryMap(Drops drops) {
        return new ConcurrentHashMap<>();
    }

    @Override
    public boolean mayDrop() {
        return false;
    }

    @Override
    public String toString() {
        return "unbounded";
    }
}
