package io.gossipcache.core;

import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.HybridClock;
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

    CacheWrites(EntryCodec codec, HybridClock clock, long nodeId, LongSupplier wallClockMillis,
                BiConsumer<String, Object> changed, Function<Write, ReplicationResult> replicator,
                BooleanSupplier serving) {
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
}
