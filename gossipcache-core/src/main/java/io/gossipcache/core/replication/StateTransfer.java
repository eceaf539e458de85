package io.gossipcache.core.replication;

import io.gossipcache.core.cluster.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a joining member up to date. The joiner asks one existing member for its state; that member sends
 * every entry, tombstone and clear version in chunks while writes go on. Nothing written meanwhile is lost:
 * writes made in the new view reach the joiner directly, every write is applied newest-wins, and keys the
 * provider changed while its snapshot ran are sent once more at the end (for writes still in flight from
 * members that had not yet installed the new view).
 */
public final class StateTransfer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateTransfer.class);


    /** Where a provider's state comes from: the engine's stores, encoded. */
    public interface StateSource {
        /** Emits a write for every cache's clear version and for every entry. */
        void snapshot(Consumer<Write> sink);

        /** The current entry for a key, encoded, or {@code null} if it has none. */
        Write current(String cache, Object key);

        /**
         * Members this one saw leave and not come back, each with how many milliseconds ago: the joiner's data is
         * now this member's, so it is as far behind those members as this one (see the engine's partition rule).
         */
        Map<String, Long> departures();
    }

    private final Transport transport;
    private final ReplicationStats stats;
    private final StateSource source;
    private final LongSupplier wallClock;
    /** Where a provider snapshots its stores and sends them: one thread, owned (and stopped) by the engine. */
    private final Executor providerThread;
    private final List<Set<DirtyKey>> dirtySets = new CopyOnWriteArrayList<>();
    private final AtomicLong transferIds = new AtomicLong();
    private volatile Request request;

    public StateTransfer(Transport transport, ReplicationStats stats, StateSource source, LongSupplier wallClockMillis,
                         Executor providerThread) {
        this.transport = transport;
        this.stats = stats;
        this.source = source;
        this.wallClock = wallClockMillis;
        this.providerThread = providerThread;
    }

    /** Whether any transfer is being provided (the engine then reports changed keys). */
    public boolean providing() {
        return !dirtySets.isEmpty();
    }

    /** A key changed on this member while a transfer may be running. */
    public void changed(String cache, Object key) {
        DirtyKey dirty = new DirtyKey(cache, key);
        for (Set<DirtyKey> set : dirtySets) {
            set.add(dirty);
        }
    }

    // ---- joiner side

    /**
     * Whether this member is still receiving the state it asked for. Anti-entropy waits meanwhile: a joiner's
     * partial store differs from every peer in nearly every bucket, so a round would pull the whole state a
     * second time, next to the transfer, and slow both down.
     */
    public boolean receiving() {
        Request r = request;
        return r != null && !r.done.isDone();
    }

    /**
     * Asks the oldest other member for its state, unless this member is alone.
     *
     * @return completes when the state has arrived (at once when there is no one to ask)
     */
    public CompletableFuture<Void> requestState() {
        Request current = request;
        if (current != null && !current.done.isDone()) {
            return current.done;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!askNextProvider(done)) {
            done.complete(null);
        }
        return done;
    }

    private boolean askNextProvider(CompletableFuture<Void> done) {
        View view = transport.currentView();
        Address self = transport.self();
        if (view == null || self == null) {
            return false;
        }
        Address provider = view.getMembers().stream().filter(a -> !a.equals(self)).findFirst().orElse(null);
        if (provider == null) {
            return false;
        }
        long id = transferIds.incrementAndGet();
        Request r = new Request(id, provider, done, System.nanoTime());
        request = r;
        log.info("Requesting state from {}", transport.nameOf(provider));
        try {
            transport.send(provider, WireFormat.encode(new Message.StateRequest(id), 0,
                    transport.protocolFor(provider)));
        } catch (Exception e) {
            log.warn("Could not request state from {}: {}", transport.nameOf(provider), e.toString());
            done.complete(null);
        }
        return true;
    }

    /** Counts a received chunk's entries. */
    public void chunkReceived(int writes) {
        Request r = request;
        if (r != null) {
            r.received.addAndGet(writes);
        }
        stats.stateEntriesReceived.add(writes);
    }

    /**
     * The provider finished.
     *
     * @return whether it was the transfer this member asked for last (not an unasked one)
     */
    public boolean finished(Address sender, long id) {
        Request r = request;
        if (r != null && r.id == id && r.provider.equals(sender)) {
            log.info("Received state from {}: {} entries in {} ms", transport.nameOf(sender), r.received.get(),
                    (System.nanoTime() - r.startNanos) / 1_000_000);
            r.done.complete(null);
            return true;
        }
        return false;
    }

    /** If the provider left before it finished, asks another member. */
    public void viewChanged(View view) {
        Request r = request;
        if (r != null && !r.done.isDone() && !view.containsMember(r.provider)) {
            log.info("State provider {} left before finishing; asking another member", transport.nameOf(r.provider));
            if (!askNextProvider(r.done)) {
                r.done.complete(null);
            }
        }
    }

    // ---- provider side

    /** Sends this member's state to {@code joiner}, on the provider thread. */
    public void provide(Address joiner, long id) {
        Set<DirtyKey> dirty = ConcurrentHashMap.newKeySet();
        dirtySets.add(dirty);
        providerThread.execute(() -> {
            long start = System.nanoTime();
            ChunkedSender chunks = chunksTo(joiner, id);
            try {
                source.snapshot(chunks);
                // Writes applied while the snapshot ran: send their current state once more.
                dirtySets.remove(dirty);
                for (DirtyKey key : dirty) {
                    Write w = source.current(key.cache(), key.key());
                    if (w != null) {
                        chunks.accept(w);
                    }
                }
                chunks.flush();
                transport.send(joiner, WireFormat.encode(new Message.StateDone(id, source.departures()),
                        wallClock.getAsLong(), transport.protocolFor(joiner)));
                log.info("Sent state to {}: {} entries in {} ms", transport.nameOf(joiner), chunks.total(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (Exception e) {
                log.warn("State transfer to {} failed: {}", transport.nameOf(joiner), e.toString());
            } finally {
                dirtySets.remove(dirty);
            }
        });
    }

    /** Releases a joiner waiting for its state (the engine stops the provider thread itself). */
    @Override
    public void close() {
        Request r = request;
        if (r != null) {
            r.done.complete(null);
        }
    }

    /** State chunks for {@code joiner}, sent as they fill, counted in the statistics. */
    private ChunkedSender chunksTo(Address joiner, long id) {
        return new ChunkedSender(batch -> {
            byte[] payload = WireFormat.encode(new Message.StateChunk(id, batch), wallClock.getAsLong(),
                    transport.protocolFor(joiner));
            transport.send(joiner, payload);
            stats.stateEntriesSent.add(batch.size());
            stats.bytesSent.add(payload.length);
        });
    }

    private record DirtyKey(String cache, Object key) {
    }

    private static final class Request {
        final long id;
        final Address provider;
        final CompletableFuture<Void> done;
        final long startNanos;
        final AtomicLong received = new AtomicLong();

        Request(long id, Address provider, CompletableFuture<Void> done, long startNanos) {
            this.id = id;
            this.provider = provider;
            this.done = done;
            this.startNanos = startNanos;
        }
    }

}
