package io.gossipcache.core;

import io.gossipcache.core.codec.CodecException;
import io.gossipcache.core.codec.RejectedClassException;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a write from another member (replicated, in a state chunk, or repaired by anti-entropy) to this member's
 * store, newest version wins: refuses a write stamped too far ahead of this member's clock, decodes the key and (only
 * when the write is newer than what the key holds) the value within the size limits, and counts the outcome. A write
 * that cannot be decoded leaves its version as a tombstone, so that anti-entropy does not send it again. Runs on the
 * inbound and anti-entropy threads; thread-safe (the store orders concurrent writes by version).
 */
final class RemoteWriteApplier {

    private static final Logger log = LoggerFactory.getLogger(RemoteWriteApplier.class);

    /** A write stamped further ahead of this member's wall clock is refused (clocks are NTP-synchronized). */
    static final long MAX_CLOCK_AHEAD_MILLIS = Duration.ofHours(1).toMillis();

    private final CacheRegistry caches;
    private final EntryCodec codec;
    private final HybridClock clock;
    private final ReplicationStats stats;
    private final OnceLog onceLog;
    private final LongSupplier wallClock;
    private final BiConsumer<String, Object> changed;

    /** @param changed told of every key a write changed (a state transfer being provided sends it again) */
    RemoteWriteApplier(CacheRegistry caches, EntryCodec codec, HybridClock clock, ReplicationStats stats,
                       OnceLog onceLog, LongSupplier wallClockMillis, BiConsumer<String, Object> changed) {
        this.caches = caches;
        this.codec = codec;
        this.clock = clock;
        this.stats = stats;
        this.onceLog = onceLog;
        this.wallClock = wallClockMillis;
        this.changed = changed;
    }

    /** Applies a write; whether it changed this member's store. */
    boolean apply(Write write) {
        stats.countReceivedWrite();
        long aheadMillis = HybridClock.physicalMillis(write.timestamp()) - wallClock.getAsLong();
        if (aheadMillis > MAX_CLOCK_AHEAD_MILLIS) {
            // Observing it would drag this member's clock (and every later write) far into the future; near
            // Long.MAX_VALUE the next tick would even wrap negative and lose to everything.
            stats.countRejected();
            if (onceLog.first("clock-ahead")) {
                log.warn("Rejected a replicated write to cache '{}' stamped {} s ahead of this member's clock"
                        + " (more than {} s; logged once)", write.cache(), aheadMillis / 1000, MAX_CLOCK_AHEAD_MILLIS / 1000);
            }
            return false;
        }
        clock.observe(write.timestamp());
        ReplicatedCache cache = caches.forRemote(write.cache());
        if (cache == null) {
            return false; // counted as refused
        }
        CacheStore store = cache.store();
        if (write.kind() == Write.Kind.CLEAR) {
            boolean cleared = store.clear(new Version(write.timestamp(), write.node()));
            if (cleared) {
                cache.clearNear();
            }
            return counted(cleared);
        }
        Object key = null;
        long keyHash = KeyHash.of(write.keyArray(), write.keyOffset(), write.keyLength());
        try {
            // decoded in place, from the message's buffer (WireFormat): no copy of the key or the value
            key = codec.decodeKey(write.keyArray(), write.keyOffset(), write.keyLength());
            StoreEntry incoming;
            if (write.kind() == Write.Kind.EVICT) {
                incoming = store.tombstoneEntry(key, write.timestamp(), write.node(), keyHash);
            } else {
                StoreEntry current = store.entry(key);
                // older than what we hold: no need to decode the value (a local override is judged by its
                // shadowed write instead, which only the store's merge knows how to compare)
                if (current != null && !current.isLocalOverride()
                        && Version.compare(write.timestamp(), write.node(), current.timestamp(), current.node()) <= 0) {
                    return counted(false);
                }
                // checked once the key is known: a refused value's tombstone replaces what the key held here
                Object value = codec.decodeValue(write.valueArray(), write.valueOffset(), write.valueLength());
                incoming = store.valueEntry(key, value, write.timestamp(), write.node(), write.expiresAt(), keyHash);
            }
            boolean applied = store.apply(key, incoming);
            if (applied) {
                changed.accept(write.cache(), key);
            }
            return counted(applied);
        } catch (CodecException e) {
            stats.countRejected();
            // Its version stays known here, so that anti-entropy does not send the same write again every round.
            store.applyRefused(key, write.keyArray(), write.keyOffset(), write.keyLength(), write.timestamp(),
                    write.node(), keyHash);
            String what = e instanceof RejectedClassException r ? r.className() : e.getClass().getSimpleName();
            // once per class or kind of problem: a flood of bad writes must not flood the log
            if (onceLog.first(what)) {
                log.warn("Rejected a replicated write to cache '{}': {} (logged once per class)", write.cache(), e.getMessage());
            }
            return false;
        }
    }

    private boolean counted(boolean applied) {
        if (applied) {
            stats.countApplied();
        } else {
            stats.countStale();
        }
        return applied;
    }
}
