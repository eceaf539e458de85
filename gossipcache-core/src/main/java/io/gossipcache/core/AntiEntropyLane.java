package io.gossipcache.core;

import io.gossipcache.core.gossip.AntiEntropy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of the anti-entropy thread: this member's rounds and the anti-entropy messages of its peers. Digests scan
 * whole stores, so they run here and replicated writes (on the inbound thread) never wait behind one. Before each
 * task the healed partitions are processed (see {@link PartitionHealer}). The queue is bounded: when the thread is
 * far behind, a task is refused and its caller decides (a round is simply skipped: the next period queues another).
 */
final class AntiEntropyLane {

    private static final Logger log = LoggerFactory.getLogger(AntiEntropyLane.class);

    private final ExecutorService thread;
    private final AntiEntropy antiEntropy;
    private final PartitionHealer healer;
    private final BooleanSupplier roundsDue;
    private final String nodeName;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private final OnceLog onceLog;
    /** Test hook: runs on the anti-entropy thread before each message or round it handles. */
    private volatile Runnable hook = () -> { };

    /** @param roundsDue whether this member gossips now (clustered, and not receiving its state) */
    AntiEntropyLane(ExecutorService thread, AntiEntropy antiEntropy, PartitionHealer healer, BooleanSupplier roundsDue,
                    String nodeName, OnceLog onceLog) {
        this.thread = thread;
        this.antiEntropy = antiEntropy;
        this.healer = healer;
        this.roundsDue = roundsDue;
        this.nodeName = nodeName;
        this.onceLog = onceLog;
    }

    /** Queues a round, unless the previous one has not run yet (one pending round is enough). */
    void queueRound() {
        if (!roundQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                roundQueued.set(false);
                hook.run();
                round();
            });
        } catch (RejectedExecutionException full) {
            roundQueued.set(false); // full or shutting down: the next period tries again
        }
    }

    private void round() {
        // A joiner still receiving its state skips rounds: they would only fetch the same entries again.
        if (roundsDue.getAsBoolean()) {
            try {
                healer.runPendingHeals();
                antiEntropy.round();
            } catch (RuntimeException e) {
                log.warn("Anti-entropy round failed: {}", e.toString());
            }
        }
    }

    /**
     * Runs a peer's anti-entropy message on this thread, after the pending heals.
     *
     * @return false if the thread is too far behind (or stopping) to take it
     */
    boolean offer(Runnable message) {
        try {
            thread.execute(() -> {
                hook.run();
                healer.runPendingHeals();
                message.run();
            });
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Whether the thread is stopping (the engine is closing): refused work is then simply dropped. */
    boolean stopped() {
        return thread.isShutdown();
    }

    /** A message was dropped because the thread was too far behind. */
    void dropped() {
        dropped.increment();
        if (onceLog.first("antientropy-queue-full")) {
            // Expected in a burst (a healed partition reconciles with everyone at once), and harmless: info.
            log.info("Node {}: anti-entropy is {} messages behind; dropping digest requests until it catches up"
                    + " (later rounds repeat them; logged once)", nodeName, EngineThreads.ANTI_ENTROPY_QUEUE);
        }
    }

    /** Messages dropped because the thread was too far behind. */
    long droppedCount() {
        return dropped.sum();
    }

    void setHook(Runnable hook) {
        this.hook = hook;
    }
}
