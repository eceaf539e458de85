package io.gossipcache.core.replication;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.observation.ReplicationObservations;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Sends local writes to the other members: a write of a replicated cache to every one, a write of a partitioned cache
 * to the other owners of its key. Callers only enqueue; one sender thread drains the queue into batches and sends
 * them (one multicast, and a message per owner addressed), so JGroups' flow control never blocks an application
 * thread. A synchronous write additionally waits until every member its batch went to has acknowledged it, or the
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
    /** Queued or in-flight items: while there are none, a read may go out at once (see {@link #sendAfterWrites}). */
    private final AtomicLong unsent = new AtomicLong();

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
        return replicate(write, mode, null);
    }

    /**
     * Hands a write over for the members in {@code targets} only ({@code null}: every member).
     *
     * @return as {@link #replicate(Write, ReplicationMode)}; at once when {@code targets} is empty
     */
    public ReplicationResult replicate(Write write, ReplicationMode mode, Address[] targets) {
        if (targets != null && targets.length == 0) {
            return mode == ReplicationMode.ASYNC ? ReplicationResult.ASYNC : ReplicationResult.ACKNOWLEDGED;
        }
        if (mode == ReplicationMode.ASYNC) {
            enqueue(new Pending(write, null, targets));
            return ReplicationResult.ASYNC;
        }
        Pending pending = new Pending(write, new CompletableFuture<>(), targets);
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

    /**
     * Sends a message to one member after every write this member queued before it, so that a read reaches an owner
     * after this member's own earlier writes to it (JGroups keeps one sender's messages to one member in order): at
     * once, on the caller's thread, when nothing is queued; else through the sender thread, behind the writes.
     */
    public void sendAfterWrites(Address destination, byte[] payload) throws Exception {
        if (unsent.get() == 0) {
            transport.send(destination, payload);
            return;
        }
        enqueue(Pending.message(destination, payload));
    }

    /** Sends a message to one member from the sender thread, after what is queued: never blocks on the network. */
    public void sendLater(Address destination, byte[] payload) {
        enqueue(Pending.message(destination, payload));
    }

    private void enqueue(Pending pending) {
        unsent.incrementAndGet();
        try {
            // Bounded: when members cannot keep up, writers slow down instead of the heap filling up.
            queue.put(pending);
        } catch (InterruptedException e) {
            unsent.decrementAndGet();
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
                int bytes = first.sizeEstimate();
                Pending next;
                // a message ends the batch: it must go after the writes before it, and before those after it
                while (first.write != null && batch.size() < MAX_BATCH_WRITES && bytes < MAX_BATCH_BYTES
                        && (next = queue.poll()) != null) {
                    batch.add(next);
                    bytes += next.sizeEstimate();
                    if (next.write == null) {
                        break;
                    }
                }
                send(batch);
            } catch (InterruptedException e) {
                break; // the thread's owner stops it
            } catch (RuntimeException e) {
                log.error("Replication sender failed on a batch; continuing", e);
                batch.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED));
            } finally {
                unsent.addAndGet(-batch.size());
                batch.clear();
                inFlight = 0;
            }
        }
    }

    private void send(List<Pending> batch) throws InterruptedException {
        View view = transport.currentView();
        Address self = transport.self();
        Pending last = batch.get(batch.size() - 1);
        if (last.write == null) {
            batch.remove(batch.size() - 1);
        }
        if (view == null || self == null || view.size() <= 1) {
            batch.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED)); // no one to tell
        } else if (!batch.isEmpty()) {
            sendWrites(batch, view, self);
        }
        if (last.write == null) {
            sendMessage(last.destination, last.payload);
            batch.add(last); // counted as sent with the batch
        }
    }

    /** One multicast of the writes for everyone, and one message per member of the writes addressed to it. */
    private void sendWrites(List<Pending> batch, View view, Address self) throws InterruptedException {
        List<Write> everyone = null;
        Map<Address, List<Write>> addressed = null;
        Set<Address> syncExpected = null;
        List<Pending> syncWriters = null;
        for (Pending p : batch) {
            if (p.targets == null) {
                if (everyone == null) {
                    everyone = new ArrayList<>(batch.size());
                }
                everyone.add(p.write);
            } else {
                if (addressed == null) {
                    addressed = new LinkedHashMap<>();
                }
                for (Address target : p.targets) {
                    if (view.containsMember(target)) {
                        addressed.computeIfAbsent(target, a -> new ArrayList<>()).add(p.write);
                    }
                }
            }
            if (p.done != null) {
                if (syncWriters == null) {
                    syncWriters = new ArrayList<>();
                    syncExpected = new HashSet<>();
                }
                syncWriters.add(p);
                if (p.targets == null) {
                    syncExpected.addAll(view.getMembers());
                } else {
                    for (Address target : p.targets) {
                        if (view.containsMember(target)) {
                            syncExpected.add(target);
                        }
                    }
                }
            }
        }
        long id = 0;
        if (syncWriters != null) {
            syncExpected.remove(self);
            if (syncExpected.isEmpty()) {
                syncWriters.forEach(p -> p.complete(ReplicationResult.ACKNOWLEDGED)); // its owners all left
            } else {
                id = ackIds.incrementAndGet();
                AckWaiter waiter = new AckWaiter(syncExpected, syncWriters);
                syncWriters.forEach(p -> p.waiter = waiter);
                waiting.put(id, waiter); // before sending: an acknowledgement may come back at once
            }
        }
        if (everyone != null) {
            sendWrites(null, id, everyone, -1);
        }
        if (addressed != null) {
            long viewId = view.getViewId().getId(); // the view the owners were chosen in
            for (Map.Entry<Address, List<Write>> e : addressed.entrySet()) {
                sendWrites(e.getKey(), id, e.getValue(), viewId);
            }
        }
    }

    /** @param viewId the view a partitioned cache's owners were chosen in, or -1 for writes to every member */
    private void sendWrites(Address destination, long id, List<Write> writes, long viewId) throws InterruptedException {
        Message message = viewId < 0 || !transport.protocolFor(destination).partitions() ? new Message.Writes(id, writes)
                : new Message.RoutedWrites(id, viewId, writes);
        byte[] payload = WireFormat.encode(message, wallClock.getAsLong(), transport.protocolFor(destination));
        Observation observation = observations.send(writes.size());
        try {
            if (transport.send(destination, payload)) {
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

    private void sendMessage(Address destination, byte[] payload) throws InterruptedException {
        try {
            transport.send(destination, payload);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.debug("Could not send to {}: {}", transport.nameOf(destination), e.toString());
        }
    }

    /** A write in the queue, and for a synchronous one the future its caller waits on. */
    private static final class Pending {
        /** The write; {@code null} for a message to send in order ({@link #sendAfterWrites}). */
        final Write write;
        final CompletableFuture<ReplicationResult> done;
        /** The members the write goes to; {@code null}: every member. */
        final Address[] targets;
        final Address destination;
        final byte[] payload;
        volatile AckWaiter waiter;

        Pending(Write write, CompletableFuture<ReplicationResult> done, Address[] targets) {
            this(write, done, targets, null, null);
        }

        private Pending(Write write, CompletableFuture<ReplicationResult> done, Address[] targets,
                        Address destination, byte[] payload) {
            this.write = write;
            this.done = done;
            this.targets = targets;
            this.destination = destination;
            this.payload = payload;
        }

        static Pending message(Address destination, byte[] payload) {
            return new Pending(null, null, null, destination, payload);
        }

        int sizeEstimate() {
            return write != null ? write.encodedSizeEstimate() : payload.length;
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
            } else if (targets != null) {
                for (Address a : targets) {
                    names.add(transport.nameOf(a));
                }
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
