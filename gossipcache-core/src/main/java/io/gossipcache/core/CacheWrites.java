package io.gossipcache.core;

import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.codec.CodecException;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import org.jgroups.Address;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** The engine's write path as its caches see it (see {@link LocalWrites}). */
final class CacheWrites implements LocalWrites {

    private final EntryCodec codec;
    private final HybridClock clock;
    private final long nodeId;
    private final LongSupplier wallClock;
    private final BiConsumer<String, Object> changed;
    private final Function<Write, ReplicationResult> replicator;
    private final BooleanSupplier serving;

    private final Routing routing;

    /** Where writes and reads of partitioned caches go (the engine's {@link Partitions} and replication). */
    interface Routing {
        ReplicationResult replicate(Write write, Address[] targets);

        Partitions partitions();

        RemoteReads.Answer readRemote(String cache, byte[] keyBytes, java.util.List<Address> from, long trackMillis);
    }

    CacheWrites(EntryCodec codec, HybridClock clock, long nodeId, LongSupplier wallClockMillis,
                BiConsumer<String, Object> changed, Function<Write, ReplicationResult> replicator,
                BooleanSupplier serving, Routing routing) {
        this.routing = routing;
        this.serving = serving;
        this.codec = codec;
        this.clock = clock;
        this.nodeId = nodeId;
        this.wallClock = wallClockMillis;
        this.changed = changed;
        this.replicator = replicator;
    }

    @Override
    public boolean serving() {
        return serving.getAsBoolean();
    }

    @Override
    public byte[] encodeKey(Object key) {
        return codec.encodeKey(key);
    }

    @Override
    public byte[] encodeValue(Object value) {
        return codec.encodeValue(value);
    }

    @Override
    public long tick() {
        return clock.tick();
    }

    @Override
    public long nodeId() {
        return nodeId;
    }

    @Override
    public long wallClockMillis() {
        return wallClock.getAsLong();
    }

    @Override
    public void changed(String cache, Object key) {
        changed.accept(cache, key);
    }

    @Override
    public ReplicationResult replicate(Write write) {
        return replicator.apply(write);
    }

    @Override
    public ReplicationResult replicate(Write write, Address[] targets) {
        return routing.replicate(write, targets);
    }

    @Override
    public boolean owns(int owners, int segment) {
        return routing.partitions().placement().owns(owners, segment);
    }

    @Override
    public boolean servesLocally(int owners, int segment) {
        return routing.partitions().servesLocally(owners, segment);
    }

    @Override
    public Address[] otherOwners(int owners, int segment) {
        return routing.partitions().placement().otherOwners(owners, segment);
    }

    @Override
    public Ownership ownership(int owners) {
        return routing.partitions().ownership(owners);
    }

    @Override
    public CachedValue readRemote(String cache, int owners, int segment, byte[] keyBytes, NearValues near,
                                  long nearTtlMillis, StoreEntry local) {
        long stamp = near != null ? near.stamp() : 0;
        RemoteReads.Answer answer = routing.readRemote(cache, keyBytes, routing.partitions().readFrom(owners, segment),
                near != null ? nearTtlMillis : 0);
        Write found = answer.write();
        if (!answer.holds() && local != null && !local.isLocalOverride() && (found == null
                || Version.compare(local.timestamp(), local.node(), found.timestamp(), found.node()) > 0)) {
            // no owner holds the segment yet, and this member has a newer write of the key (its side's, after a merge)
            long now = wallClockMillis();
            return local.isTombstone() || local.isExpired(now) ? null : new CachedValue(local.value(), local.expiresAt());
        }
        CachedValue value = decode(found);
        if (near != null && value != null && answer.holds()) {
            near.keep(keyBytes, value, stamp);
        }
        return value;
    }

    /** The live value of a found write, or {@code null}. */
    private CachedValue decode(Write found) {
        if (found == null || found.kind() != Write.Kind.PUT) {
            return null;
        }
        long expiresAt = found.expiresAt(); // 0 on the wire is StoreEntry.NEVER
        if (expiresAt != StoreEntry.NEVER && expiresAt <= wallClockMillis()) {
            return null;
        }
        try {
            return new CachedValue(codec.decodeValue(found.valueArray(), found.valueOffset(), found.valueLength()),
                    expiresAt);
        } catch (CodecException e) {
            return null; // a value this member may not read is a miss here, as a replicated one would be a tombstone
        }
    }
}
