package io.gossipcache.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.WireFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jgroups.Address;

/**
 * The readers an owner must tell when a key changes: members that read it from here into their near cache, each for
 * the near cache's TTL. On every write to a key (local or received), the owner sends each of them an invalidation
 * and forgets them. Bounded per cache: a reader it forgot early (past the bound) may serve the replaced value until
 * its near cache's TTL ends.
 *
 * <p>Concurrency: readers are recorded on the inbound thread, before the read's lookup (so that a write after the
 * lookup finds the reader); writes report keys on application and inbound threads. The invalidations go out through
 * the replication sender, never on the writer's thread.
 */
final class ReadInterest {

    /** Most keys with readers per cache. */
    static final int MAX_KEYS_PER_CACHE = 100_000;

    /** Sends a message to one member without blocking the caller. */
    interface Sender {
        void sendLater(Address destination, byte[] payload);
    }

    private record Readers(byte[] keyBytes, Set<Address> members, long ttlNanos) {
    }

    private final Map<String, Cache<Object, Readers>> byCache = new ConcurrentHashMap<>();
    private final Sender sender;
    private final LongSupplier wallClock;

    ReadInterest(Sender sender, LongSupplier wallClockMillis) {
        this.sender = sender;
        this.wallClock = wallClockMillis;
    }

    /** A member reads the key into its near cache for {@code ttlMillis}. */
    void record(String cache, Object key, byte[] keyBytes, Address reader, long ttlMillis) {
        long ttlNanos = ttlMillis * 1_000_000L;
        cache(cache).asMap().compute(key, (k, readers) -> {
            Set<Address> members = readers != null ? readers.members() : ConcurrentHashMap.newKeySet();
            members.add(reader);
            return new Readers(keyBytes, members, Math.max(ttlNanos, readers != null ? readers.ttlNanos() : 0));
        });
    }

    /** The key changed here: its readers drop it. */
    void changed(String cache, Object key) {
        Cache<Object, Readers> interest = byCache.get(cache);
        if (interest == null) {
            return; // no reader ever: the common case costs one map lookup
        }
        Readers readers = interest.asMap().remove(key);
        if (readers == null) {
            return;
        }
        byte[] payload = WireFormat.encode(new Message.Invalidate(cache, readers.keyBytes()), wallClock.getAsLong());
        for (Address reader : readers.members()) {
            sender.sendLater(reader, payload);
        }
    }

    private Cache<Object, Readers> cache(String name) {
        return byCache.computeIfAbsent(name, n -> Caffeine.newBuilder().maximumSize(MAX_KEYS_PER_CACHE)
                .expireAfter(new Expiry<Object, Readers>() {
                    @Override
                    public long expireAfterCreate(Object key, Readers value, long currentTime) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(Object key, Readers value, long currentTime,
                                                  long currentDuration) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(Object key, Readers value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build());
    }
}
