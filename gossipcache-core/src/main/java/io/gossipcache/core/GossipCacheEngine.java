package io.gossipcache.core;

import io.gossipcache.core.cluster.Cluster;
import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.core.cluster.ProtocolVersion;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.gossip.AntiEntropy;
import io.gossipcache.core.gossip.GossipStats;
import io.gossipcache.core.observation.ReplicationObservations;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.replication.Replicator;
import io.gossipcache.core.replication.StateTransfer;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.KeyHasher;
import io.gossipcache.core.version.HybridClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated cache engine: named caches on this member, kept in step with every other member of the
 * cluster. Create it, {@link #start()} it to join the cluster (a joiner first receives the current state
 * from an existing member), use {@link #cache(String)}, and {@link #close()} it to leave gracefully.
 *
 * <p>This class is the facade: it wires the parts (see the package documentation for the map and the threads) and
 * owns the lifecycle and the mode. Lifecycle changes (start, mode switch, close) hold one lock.
 */
public final class GossipCacheEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GossipCacheEngine.class);

    private final EngineConfig config;
    private final long nodeId;
    private final HybridClock clock = new HybridClock();
    private final ReplicationStats stats = new ReplicationStats();
    private final EngineThreads threads;
    private final Cluster cluster;
    private final CacheRegistry caches;
    private final Replicator replicator;
    private final StateTransfer stateTransfer;
    private final AntiEntropy antiEntropy;
    private final PartitionHealer healer;
    private final AntiEntropyLane antiEntropyLane;
    private final Object lifecycle = new Object();
    /** Completed once the state of the cluster joined at start is here (see {@link #initialState()}). */
    private final CompletableFuture<Void> initialState = new CompletableFuture<>();
    private volatile boolean started; // written under lifecycle
    private volatile Mode mode = Mode.CLUSTERED; // written under lifecycle
    private volatile long localSince; // written under lifecycle
    private final ClusterJoin joins;
    private final Partitions partitions;
    private final RemoteReads remoteReads;
    private final Rebalance rebalance;
    private final ReadInterest readInterest;

    public GossipCacheEngine(EngineConfig config) {
        this.config = config;
        // Our own identity, stable across reconnects (JGroups gives a new address on every connect).
        long id = ThreadLocalRandom.current().nextLong();
        this.nodeId = id == 0 ? 1 : id;
        String node = config.cluster().nodeName();
        OnceLog onceLog = new OnceLog();
        InboundDispatcher[] dispatcher = new InboundDispatcher[1]; // the cluster delivers to it once it is built
        this.cluster = new Cluster(config.cluster(), (source, buffer, offset, length) ->
                dispatcher[0].onMessage(source, buffer, offset, length));
        EntryCodec codec = new EntryCodec(config, () -> cluster.protocolFor(null), onceLog);
        // The key codec's hasher: entries of the keys it covers do not keep their key hash (issue 7, S6).
        KeyHasher keyHasher = config.keyCodec() instanceof DefaultCodec c ? c.keyHasher() : KeyHasher.NONE;
        this.threads = new EngineThreads(node);
        this.partitions = new Partitions(cluster);
        LocalWrites writes = new CacheWrites(codec, clock, nodeId, this::wallClockMillis, this::changed,
                this::replicate, this::serving, new CacheWrites.Routing() {
                    @Override
                    public ReplicationResult replicate(Write write, Address[] targets) {
                        return GossipCacheEngine.this.replicate(write, targets);
                    }

                    @Override
                    public Partitions partitions() {
                        return partitions;
                    }

                    @Override
                    public RemoteReads.Answer readRemote(String cache, byte[] keyBytes, List<Address> from,
                                                         long trackMillis) {
                        return started && mode == Mode.CLUSTERED ? remoteReads.read(cache, keyBytes, from, trackMillis)
                                : new RemoteReads.Answer(null, false);
                    }
                });
        this.caches = new CacheRegistry(config, keyHasher, store -> {
            ReplicatedCache cache = new ReplicatedCache(writes, store);
            cacheCreated(store.settings().owners());
            return cache;
        }, stats, onceLog);
        ReplicationObservations observations = new ReplicationObservations(config.observationRegistry(),
                config.cluster().clusterName());
        this.replicator = new Replicator(cluster, stats, config.syncTimeout(), config.replicationQueueCapacity(),
                this::wallClockMillis, threads.replicationSender, observations);
        RemoteWriteApplier applier = new RemoteWriteApplier(caches, codec, clock, stats, onceLog,
                this::wallClockMillis, this::changed);
        EngineStores stores = new EngineStores(caches, codec, applier, this::departuresAgo,
                this::wallClockMillis, partitions::sharedWith, () -> partitions.placement().partitioning());
        this.rebalance = new Rebalance(cluster, partitions, caches, stores,
                (write, owners) -> replicator.replicate(write, ReplicationMode.ASYNC, owners), threads.inbound,
                this::wallClockMillis, node);
        this.readInterest = new ReadInterest(replicator::sendLater, this::wallClockMillis);
        this.remoteReads = new RemoteReads(cluster, replicator::sendAfterWrites, config.syncTimeout(),
                this::wallClockMillis, stats);
        this.stateTransfer = new StateTransfer(cluster, stats, stores, this::wallClockMillis, threads.stateProvider);
        this.antiEntropy = new AntiEntropy(cluster, stores, config.gossipFanout(), config.tombstoneRetention(),
                config.gossipInterval(), this::wallClockMillis);
        this.healer = new PartitionHealer(cluster, caches, antiEntropy, config.tombstoneRetention(), node,
                this::wallClockMillis);
        this.antiEntropyLane = new AntiEntropyLane(threads.antiEntropy, antiEntropy, healer,
                () -> mode == Mode.CLUSTERED && !stateTransfer.receiving(), node, onceLog);
        dispatcher[0] = new InboundDispatcher(cluster,
                new InboundDispatcher.Protocols(replicator, stateTransfer, antiEntropy, applier, healer,
                        new ReadAnswers(stores, partitions, readInterest), remoteReads, rebalance,
                        invalidate -> caches.existingNear(invalidate.cache(), invalidate.key())),
                threads.inbound, antiEntropyLane, () -> mode == Mode.CLUSTERED, stats, onceLog, node,
                this::wallClockMillis, observations);
        cluster.addListener(new ClusterListener() {
            @Override
            public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                    List<ClusterMember> left) {
                View view = cluster.currentView();
                if (view != null) {
                    rebalance.viewChanged(view);
                    caches.all().forEach(ReplicatedCache::clearNear); // other owners now, who do not know it
                    replicator.viewChanged(view);
                    stateTransfer.viewChanged(view);
                    remoteReads.viewChanged(view);
                }
                if (healer.viewChanged(view, joined, left)) {
                    try {
                        threads.maintenance.execute(healer::runPendingHeals);
                    } catch (RejectedExecutionException closing) {
                        // shutting down
                    }
                }
            }
        });
        this.joins = new ClusterJoin(cluster, caches, threads.maintenance, lifecycle,
                () -> started && mode == Mode.CLUSTERED, this::requestState);
        caches.createConfigured();
    }

    /**
     * Joins the cluster and, if other members are there, waits (up to the state transfer timeout) until this
     * member holds their current state.
     */
    public void start() {
        CompletableFuture<Void> state = startAsync();
        try {
            state.get(); // completes by the state transfer timeout at the latest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the cluster's state failed", e.getCause());
        }
    }

    /**
     * Joins the cluster (blocking until it has joined, as {@link #start()} does) without waiting for the cluster's
     * state: the cache serves at once, reads missing what has not arrived yet. The result is {@link #initialState()}.
     */
    public CompletableFuture<Void> startAsync() {
        synchronized (lifecycle) {
            if (started) {
                return initialState;
            }
            long sweepMs = config.sweepInterval().toMillis();
            threads.maintenance.scheduleWithFixedDelay(() -> caches.sweep(config.tombstoneRetention()), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
            long gossipMs = config.gossipInterval().toMillis();
            threads.maintenance.scheduleWithFixedDelay(antiEntropyLane::queueRound, gossipMs, gossipMs,
                    TimeUnit.MILLISECONDS);
            replicator.start();
            started = true;
            if (config.startMode() == Mode.LOCAL) {
                mode = Mode.LOCAL;
                localSince = wallClockMillis();
                log.info("Node {} started in LOCAL mode: a local cache until switched to CLUSTERED", nodeName());
                initialState.complete(null);
                return initialState;
            }
            mode = Mode.CLUSTERED;
            if (!joins.join()) {
                initialState.complete(null); // nothing to wait for: it serves nothing until it joins
                return initialState;
            }
            requestState().whenComplete((ignored, failure) -> initialState.complete(null));
            return initialState;
        }
    }

    /**
     * Completes once this member holds the state of the cluster it joined at start (at once when it started alone or
     * in LOCAL mode), or when the state transfer timeout gave up waiting for it; never exceptionally. Until then a
     * joining member may miss entries the cluster has: a readiness check waits for this.
     */
    public CompletableFuture<Void> initialState() {
        return initialState.copy();
    }

    /**
     * Asks the cluster for its state; the result completes when it is here or, at the state transfer timeout, when
     * this member gives up waiting (anti-entropy brings what is still missing).
     */
    private CompletableFuture<Void> requestState() {
        CompletableFuture<Void> state = stateTransfer.requestState();
        ScheduledFuture<?> giveUp = threads.maintenance.schedule(() -> {
            if (state.complete(null)) {
                log.warn("Node {} did not receive the cluster's state within {}; continuing with what arrived",
                        nodeName(), config.stateTransferTimeout());
            }
        }, config.stateTransferTimeout().toMillis(), TimeUnit.MILLISECONDS);
        state.whenComplete((ignored, failure) -> giveUp.cancel(false));
        return state;
    }

    /** The mode this node is in. */
    public Mode mode() {
        return mode;
    }

    /**
     * Switches mode at run time. To {@link Mode#LOCAL}: sends what is queued, leaves the cluster gracefully
     * and goes on as a local cache. Back to {@link Mode#CLUSTERED}: joins again and reconciles newest-wins
     * with every member in both directions: it takes the cluster's state and pushes its own newer writes. If it
     * was away longer than the tombstone retention, it first drops its entries older than the retention, since
     * the cluster may have deleted them and forgotten the delete.
     */
    public void switchMode(Mode target) {
        synchronized (lifecycle) {
            if (!started) {
                throw new IllegalStateException("engine is not running");
            }
            if (target == mode) {
                return;
            }
            if (target == Mode.LOCAL) {
                replicator.flush(Duration.ofSeconds(2));
                mode = Mode.LOCAL;
                localSince = wallClockMillis();
                healer.leaving(localSince);
                cluster.close();
                rebalance.viewChanged(null); // a local cache owns every key
                caches.all().forEach(ReplicatedCache::clearNear);
                remoteReads.viewChanged(null);
                joins.forget(); // a local cache needs no cluster
                log.info("Node {} switched to LOCAL mode: left cluster '{}', serving as a local cache", nodeName(),
                        clusterName());
                return;
            }
            long away = wallClockMillis() - localSince;
            if (away > config.tombstoneRetention().toMillis()) {
                int dropped = healer.dropOlderThanRetention();
                log.info("Node {} was local for {} s, longer than the tombstone retention: dropped {} older entries",
                        nodeName(), away / 1000, dropped);
            }
            mode = Mode.CLUSTERED;
            if (!joins.join()) {
                return;
            }
            requestState().join(); // takes the cluster's writes, old ones included; anti-entropy below pushes ours
            List<Address> others = otherMembers();
            log.info("Node {} switched to CLUSTERED mode after {} s local: reconciling with {} member(s)",
                    nodeName(), away / 1000, others.size());
            antiEntropy.reconcileWith(others);
            rebalance.pushToOwners(); // what it wrote to partitioned caches meanwhile (its own segments it pulls)
        }
    }

    /** The protocol this member speaks. */
    public ProtocolVersion protocol() {
        return config.cluster().protocolVersion();
    }

    /**
     * The protocol this member writes in to the whole view: the lowest version among the members, so that during a
     * rolling upgrade the older members can read everything (it rises once every member speaks the newer one).
     */
    public ProtocolVersion writeProtocol() {
        return cluster.protocolFor(null);
    }

    /**
     * Why the cluster refuses this member, if it does: it speaks another protocol major than the cluster's members.
     * Meanwhile its caches serve nothing (see {@link ReplicatedCache}).
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(joins.refusal());
    }

    /** Whether the caches store writes: not while the cluster refuses this member (see {@link ClusterJoin}). */
    private boolean serving() {
        return joins.refusal() == null;
    }

    private List<Address> otherMembers() {
        View view = cluster.currentView();
        Address self = cluster.self();
        List<Address> others = new ArrayList<>();
        if (view != null) {
            view.getMembers().stream().filter(a -> !a.equals(self)).forEach(others::add);
        }
        return others;
    }

    /** Sends what is queued, leaves the cluster gracefully and stops every thread. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (started) {
                replicator.flush(Duration.ofSeconds(2));
            }
            started = false;
            cluster.close();
            threads.shutdown();
            replicator.close();
            stateTransfer.close();
            initialState.complete(null); // no one waits for a state that will not come
        }
    }

    /** Whether {@link #start()} completed and {@link #close()} was not called. */
    public boolean isRunning() {
        return started;
    }

    /**
     * The cache with this name, created with the default settings if it does not exist yet.
     *
     * @throws UnknownCacheException if it does not exist and dynamic creation is off
     * @throws TooManyCachesException if it does not exist and this member has {@link EngineConfig#maxCaches()}
     */
    public ReplicatedCache cache(String name) {
        return caches.cache(name);
    }

    /** The cache with this name if it exists. */
    public Optional<ReplicatedCache> existingCache(String name) {
        return Optional.ofNullable(caches.existing(name));
    }

    /** Names of the caches on this member, sorted. */
    public Set<String> cacheNames() {
        return caches.names();
    }

    /** The current view ({@linkplain ClusterView#alone alone} when not in a cluster). */
    public ClusterView view() {
        return cluster.view();
    }

    /** Adds a listener for views and suspicions. */
    public void addClusterListener(ClusterListener listener) {
        cluster.addListener(listener);
    }

    /** Replication counters (read-only use). */
    public ReplicationStats stats() {
        return stats;
    }

    /** Anti-entropy counters. */
    public GossipStats antiEntropy() {
        return antiEntropy;
    }

    /** Anti-entropy messages dropped because the anti-entropy thread was too far behind. */
    public long antiEntropyDropped() {
        return antiEntropyLane.droppedCount();
    }

    public String nodeName() {
        return config.cluster().nodeName();
    }

    public String clusterName() {
        return config.cluster().clusterName();
    }

    public EngineConfig config() {
        return config;
    }

    /** This engine's stable id: the tie-break of its writes' versions. */
    public long nodeId() {
        return nodeId;
    }

    /** This engine's clock (package-private: tests write with it directly). */
    HybridClock clock() {
        return clock;
    }

    /** Whether this member owns the key of a partitioned cache in its current view (tests). */
    boolean owns(String cache, Object key) {
        ReplicatedCache c = caches.cache(cache);
        int owners = c.settings().owners();
        return owners == 0 || partitions.placement().owns(owners,
                io.gossipcache.core.placement.Segments.of(io.gossipcache.core.store.KeyHash.of(
                        config.keyCodec().encode(key))));
    }

    /** Waits until every write queued so far was handed to the network (tests). */
    boolean flushReplication(Duration timeout) {
        return replicator.flush(timeout);
    }

    /** How this member stands to a key of a partitioned cache, for tests' failure messages. */
    String partitionOf(String cache, Object key) {
        int owners = caches.cache(cache).settings().owners();
        if (owners == 0) {
            return "replicated";
        }
        int segment = io.gossipcache.core.placement.Segments.of(io.gossipcache.core.store.KeyHash.of(
                config.keyCodec().encode(key)));
        Partitions.State state = partitions.state();
        return "s" + segment + (state.placement().owns(owners, segment) ? " owner" : " -")
                + (state.holds(owners, segment) ? " held" : "") + " placement of view " + state.placement().viewId()
                + ", in view " + cluster.view().viewId() + " of " + cluster.view().size();
    }

    /** Test hook: runs on the anti-entropy thread before each anti-entropy message or round it handles. */
    void setAntiEntropyHook(Runnable hook) {
        antiEntropyLane.setHook(hook);
    }

    long wallClockMillis() {
        return System.currentTimeMillis();
    }

    private ReplicationResult replicate(Write write) {
        return replicate(write, null);
    }

    /** @param targets the members to send it to ({@code null}: every member) */
    private ReplicationResult replicate(Write write, Address[] targets) {
        if (!started || mode != Mode.CLUSTERED) {
            return ReplicationResult.ASYNC; // not in a cluster (yet): nothing to tell; a later joiner gets state
        }
        return replicator.replicate(write, config.replicationMode(), targets);
    }

    /** Configured caches are created at the end of the constructor, once the rebalance is there. */
    private void cacheCreated(int owners) {
        if (rebalance != null) {
            rebalance.cacheCreated(owners);
        }
    }

    private Map<String, Long> departuresAgo() {
        return healer.departuresAgo();
    }

    private void changed(String cache, Object key) {
        readInterest.changed(cache, key);
        if (stateTransfer.providing()) {
            stateTransfer.changed(cache, key);
        }
    }
}
