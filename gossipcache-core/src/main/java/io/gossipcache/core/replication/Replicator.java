package io.gossipcache.core.replication;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.observation.ReplicationObservations;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends local writes to every other member. Callers only enqueue; one sender thread drains the queue into
 * batches and multicasts them, so JGroups' flow control never blocks an application thread. A synchronous
 * write additionally waits until every member of the view at send time has acknowledged its batch, or the
 * timeout passes.
 */
public final class Replicator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);

    static final int MAX_BATCH_WRITES = 2_000;
    /**
     * A batch closes at this size (a single larger write goes alone). JGroups keeps references to the latest
     * messages after delivering them (until STABLE purges the retransmission table, and in the slots of reused
     * batches and send queues), so every member holds a few recent batches: at 256 KB (and FRAG4's reassembled
     * copies) that was several MB of heap, varying from run to run. With 8 KB frames two members held about 20 B
     * per entry less (in-process, measured); the bundler still packs frames into 64 KB writes, and S2 did not
     * change (measured).
     */
    static final int MAX_BATCH_BYTES = 8 * 1024;

    private final Transport transport;
    private final ReplicationStats stats;
    private final Duration syncTimeout;
    private final LongSupplier wallClock;
    private final BlockingQueue<Pending> queue;
    private final Map<Long, AckWaiter> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ackIds = new AtomicLong();
    /** The sender thread's executor, owned by the engine (which stops it); this only runs its loop there. */
    private final Executor senderThread;
    private final ReplicationObservations observations;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean running = true;
    /** Pending writes taken off the queue but not yet sent; lets {@link #flush} wait for in-flight batches. */
    private volatile int inFlight;

    /**
     * @param senderThread runs the sender loop (one thread, to itself); stopping it (an interrupt) ends the loop
     */
    public Replicator(Transport transport, ReplicationStats stats, Duration syncTimeout, int queueCapacity,
                      LongSupplier wallClockMillis, Executor senderThread, ReplicationObservations observations) {
        this.observations = observations;
        this.transport = transport;
        this.stats = stats;
        this.syncTimeout = syncTimeout;
        this.wallClock = wallClockMillis;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.senderThread = senderThread;
    }

    /** Starts the sender thread. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            senderThread.execute(this::sendLoop);
        }
    }

    /**
     * Hands a write over for replication.
     *
     * @return at once for {@link ReplicationMode#ASYNC}; for {@link ReplicationMode#SYNC} once every member
     *         acknowledged or the sync timeout passed
     */
    public ReplicationResult replicate(Write write, ReplicationMode mode) {
        if (mode == ReplicationMode.ASYNC) {
            enqueue(new Pending(write, null));
            return ReplicationResult.ASYNC;
        }
        Pending pending = new Pending(write, new CompletableFuture<>());
        long start = System.nanoTime();
        enqueue(pending);
        try {
            ReplicationResult result = pending.done.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
            stats.syncAcks.increment();
            stats.syncAckNanos.add(System.nanoTime() - start);
            return result;
        } catch (TimeoutException e) {
            stats.syncTimeouts.increment();
            List<String> missing = pending.missingMembers(transport);
            log.warn("Synchronous {} on cache '{}' not acknowledged within {} ms by {}", write.kind(), write.cache(),
                    syncTimeout.toMillis(), missing);
            return new ReplicationResult(true, missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReplicationResult(true, pending.missingMembers(transport));
        } catch (ExecutionException e) {
            return new ReplicationResult(true, pending.missingMembers(transport));
        }
    }

    private void enqueue(Pending pending) {
        try {
            // Bounded: when members cannot keep up, writers slow down instead of the heap filling up.
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while queueing a write for replication", e);
        }
    }

    /** A member acknowledged the batch {@code id}. */
    public void acknowledged(Address source, long id) {
        AckWaiter waiter = waiting.get(id);
        if (waiter != null && waiter.acknowledged(source)) {
            waiting.remove(id);
        }
    }

    /** Members that left can no longer acknowledge: stop waiting for them. */
    public void viewChanged(View view) {
        for (Map.Entry<Long, AckWaiter> e : waiting.entrySet()) {
            if (e.getValue().retainMembers(view)) {
                waiting.remove(e.getKey());
            }
        }
    }

    /** Waits until every write enqueued so far was handed to JGroups, at most {@code timeout}. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((!queue.isEmpty() || inFlight > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1); // bounded by the deadline; only used at shutdown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return queue.isEmpty() && inFlight == 0;
    }

    /**
     * Ends the sender loop (within its poll interval; the engine stops the thread itself before this) and releases
     * every caller still waiting: what was not sent is given up.
     */
    @Override
    public void close() {
        running = false;
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED));
        waiting.values().forEach(AckWaiter::completeNow);
        waiting.clear();
    }

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                inFlight = 1;
                batch.add(first);
                int bytes = first.write.encodedSizeEstimate();
                Pending next;
                while (batch.size() < MAX_BATCH_WRITES && bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                    batch.add(next);
                    bytes += next.write.encodedSizeEstimate();
                }
                send(batch);
            } catch (InterruptedException e) {
                break; // the thread's owner stops it
            } catch (RuntimeException e) {
                log.error("Replication sender failed on a batch; continuing", e);
                batch.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED));
            } finally {
                batch.clear();
                inFlight = 0;
            }
        }
    }

    private void send(List<Pending> batch) throws InterruptedException {
        View view = transport.currentView();
        Address self = transport.self();
        if (view == null || self == null || view.size() <= 1) {
            batch.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED)); // no one to tell
            return;
        }
        List<Write> writes = new ArrayList<>(batch.size());
        List<Pending> syncWriters = null;
        for (Pending p : batch) {
            writes.add(p.write);
            if (p.done != null) {
                if (syncWriters == null) {
                    syncWriters = new ArrayList<>();
                }
                syncWriters.add(p);
            }
        }
        long id = 0;
        if (syncWriters != null) {
            id = ackIds.incrementAndGet();
            Set<Address> expected = new HashSet<>(view.getMembers());
            expected.remove(self);
            AckWaiter waiter = new AckWaiter(expected, syncWriters);
            syncWriters.forEach(p -> p.waiter = waiter);
            waiting.put(id, waiter); // before sending: an acknowledgement may come back at once
        }
        byte[] payload = WireFormat.encode(new Message.Writes(id, writes), wallClock.getAsLong(),
                transport.protocolFor(null));
        Observation observation = observations.send(writes.size());
        try {
            if (transport.send(null, payload)) {
                stats.messagesSent.increment();
                stats.writesSent.add(writes.size());
                stats.bytesSent.add(payload.length);
            }
        } catch (InterruptedException e) {
            observation.error(e);
            throw e;
        } catch (Exception e) {
            observation.error(e);
            log.warn("Could not send {} write(s): {}", writes.size(), e.toString());
        } finally {
            observation.stop();
        }
    }

    /** A write in the queue, and for a synchronous one the future its caller waits on. */
    private static final class Pending {
        final Write write;
        final CompletableFuture<ReplicationResult> done;
        volatile AckWaiter waiter;

        Pending(Write write, CompletableFuture<ReplicationResult> done) {
            this.write = write;
            this.done = done;
        }

        void complete(ReplicationResult result) {
            if (done != null) {
                done.complete(result);
            }
        }

        List<String> missingMembers(Transport transport) {
            AckWaiter w = waiter;
            List<String> names = new ArrayList<>();
            if (w != null) {
                w.remaining().forEach(a -> names.add(transport.nameOf(a)));
            } else {
                View view = transport.currentView();
                if (view != null) {
                    view.getMembers().stream().filter(a -> !a.equals(transport.self()))
                            .forEach(a -> names.add(transport.nameOf(a)));
                }
            }
            return names;
        }
    }

    /** The members a synchronous batch still waits for. */
    private static final class AckWaiter {
        private final Set<Address> remaining;
        private final List<Pending> writers;

        AckWaiter(Set<Address> expected, List<Pending> writers) {
            this.remaining = expected;
            this.writers = writers;
        }

        synchronized boolean acknowledged(Address member) {
            remaining.remove(member);
            return completeIfDone();
        }

        synchronized boolean retainMembers(View view) {
            remaining.removeIf(a -> !view.containsMember(a));
            return completeIfDone();
        }

        synchronized List<Address> remaining() {
            return List.copyOf(remaining);
        }

        private boolean completeIfDone() {
            if (remaining.isEmpty()) {
                completeNow();
                return true;
            }
            return false;
        }

        void completeNow() {
            writers.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED));
        }
    }
}
