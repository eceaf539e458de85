package io.gossipcache.core;

import io.gossipcache.core.cluster.Cluster;
import io.gossipcache.core.cluster.ClusterException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Joins the cluster for the engine, and keeps a member that the cluster refuses (it speaks another protocol major)
 * out of it safely: the caches are emptied once and then store nothing, so they serve nothing (the member cannot hear
 * the cluster's writes), and the join is tried again every {@link Cluster#REJOIN_INTERVAL}, so that the member joins
 * once the other major's members are gone. The cluster and the member each logged why.
 *
 * <p>Concurrency: {@link #join} runs under the engine's lifecycle lock (start, mode switch); the retries take that
 * lock on the maintenance thread. {@link #refusal} is written under the lock and read by any thread.
 */
final class ClusterJoin {

    private final Cluster cluster;
    private final CacheRegistry caches;
    private final ScheduledExecutorService maintenance;
    private final Object lifecycle;
    private final BooleanSupplier stillWanted;
    private final Runnable afterRejoin;
    private volatile String refusal;

    /**
     * @param lifecycle   the engine's lifecycle lock
     * @param stillWanted whether a retry should still join (the engine runs, in CLUSTERED mode); under the lock
     * @param afterRejoin what follows a join that a retry made (asking for the cluster's state); under the lock
     */
    ClusterJoin(Cluster cluster, CacheRegistry caches, ScheduledExecutorService maintenance, Object lifecycle,
                BooleanSupplier stillWanted, Runnable afterRejoin) {
        this.cluster = cluster;
        this.caches = caches;
        this.maintenance = maintenance;
        this.lifecycle = lifecycle;
        this.stillWanted = stillWanted;
        this.afterRejoin = afterRejoin;
    }

    /**
     * Joins; if the cluster refuses this member, stays out as described above. Under the lifecycle lock.
     *
     * @return whether it joined
     */
    boolean join() {
        try {
            cluster.connect();
            refusal = null;
            return true;
        } catch (ClusterException e) {
            if (e.problem() != ClusterException.Problem.REFUSED) {
                throw e;
            }
            boolean first = refusal == null;
            refusal = e.getMessage(); // before emptying the caches: see ReplicatedCache.undoIfRefusedMeanwhile
            if (first) {
                caches.all().forEach(ReplicatedCache::clearLocal); // what they hold may be replaced meanwhile
            }
            try {
                maintenance.schedule(this::retry, Cluster.REJOIN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the engine is closing
            }
            return false;
        }
    }

    private void retry() {
        synchronized (lifecycle) {
            if (refusal != null && stillWanted.getAsBoolean() && join()) {
                afterRejoin.run();
            }
        }
    }

    /** Forgets a refusal: the member no longer wants the cluster (LOCAL mode). Under the lifecycle lock. */
    void forget() {
        refusal = null;
    }

    /** Why the cluster refuses this member, or {@code null} while it does not. */
    String refusal() {
        return refusal;
    }
}
