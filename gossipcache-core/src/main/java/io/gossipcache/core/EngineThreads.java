package io.gossipcache.core;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every thread an engine runs, created here and stopped here, in one order (see the table in this package's
 * documentation for what runs on each and what it may block on). Each is a single daemon thread named
 * {@code gossipcache-<job>-<node>}. JGroups' own threads (delivery, timers, connectors) belong to the channel, which
 * {@link io.gossipcache.core.cluster.Cluster} opens and closes.
 */
final class EngineThreads {

    /** Messages waiting for the inbound thread; past this, JGroups' delivery thread waits for room. */
    static final int INBOUND_QUEUE = 10_000;
    /** Anti-entropy messages waiting for their thread; past this they are dropped (rounds retry). */
    static final int ANTI_ENTROPY_QUEUE = 256;
    private static final long STOP_WAIT_MILLIS = 2_000;

    /** Decodes and applies what other members send: replicated writes, state chunks. */
    final ThreadPoolExecutor inbound;
    /** Anti-entropy rounds and messages: digests scan whole stores, so they never delay replicated writes. */
    final ThreadPoolExecutor antiEntropy;
    /** Timers: sweeps, the gossip period, healed partitions, the state-transfer deadline. */
    final ScheduledExecutorService maintenance;
    /** The replicator's sender loop: batches local writes and hands them to JGroups. */
    final ExecutorService replicationSender;
    /** A state provider's snapshot for a joiner. */
    final ExecutorService stateProvider;

    EngineThreads(String node) {
        this.inbound = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(INBOUND_QUEUE),
                daemon("gossipcache-inbound-" + node), (task, executor) -> {
                    // Full: wait for room. Backpressure reaches the sender through JGroups' flow control.
                    if (!executor.isShutdown()) {
                        try {
                            executor.getQueue().put(task);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        this.antiEntropy = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(ANTI_ENTROPY_QUEUE), daemon("gossipcache-antientropy-" + node),
                new ThreadPoolExecutor.AbortPolicy());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("gossipcache-maintenance-" + node));
        this.replicationSender = Executors.newSingleThreadExecutor(daemon("gossipcache-replicator-" + node));
        this.stateProvider = Executors.newSingleThreadExecutor(daemon("gossipcache-state-" + node));
    }

    /**
     * Stops every thread: first the timers (no new work), then the threads that receive, then the ones that send;
     * each is interrupted and waited for briefly. Work still queued is dropped: the engine leaves the cluster first.
     */
    void shutdown() {
        List<ExecutorService> order = List.of(maintenance, antiEntropy, inbound, stateProvider, replicationSender);
        order.forEach(ExecutorService::shutdownNow);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (ExecutorService executor : order) {
            try {
                executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
