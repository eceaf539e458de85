package io.gossipcache.core;

import io.gossipcache.core.cluster.Cluster;
import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.CodecException;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.RejectedClassException;
import io.gossipcache.core.codec.SizeLimitExceededException;
import io.gossipcache.core.gossip.AntiEntropy;
import io.gossipcache.core.replication.MalformedMessageException;
import io.gossipcache.core.replication.ReplicationResult;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.replication.Replicator;
import io.gossipcache.core.replication.StateTransfer;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.KeyHasher;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated cache engine: named caches on this member, kept in step with every other member of the
 * cluster. Create it, {@link #start()} it to join the cluster (a joiner first receives the current state
 * from an existing member), use {@link #cache(String)}, and {@link #close()} it to leave gracefully.
 */
public final class GossipCacheEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GossipCacheEngine.class);

    private final EngineConfig config;
    /** The key codec's hasher: entries of the keys it covers do not keep their key hash (issue 7, S6). */
    private final KeyHasher keyHasher;
    private final long nodeId;
    private final HybridClock clock = new HybridClock();
    private final ReplicationStats stats = new ReplicationStats();
    private final Map<String, ReplicatedCache> caches = new ConcurrentHashMap<>();
    private final Cluster cluster;
    private final Replicator replicator;
    private final StateTransfer stateTransfer;
    private final AntiEntropy antiEntropy;
    /**
     * Decodes and applies what other members send (replicated writes, state transfer), off JGroups' delivery
     * thread: decoding may run application classes' code. Applying writes on the delivery thread instead saved a
     * thread hand-off but no measurable replication lag (issue 7, benchmark S3), so the rule stands.
     */
    private final ThreadPoolExecutor inbound;
    /**
     * Anti-entropy's own thread: digests scan the whole store, and on the inbound thread every replicated write
     * waited behind that scan once a round (benchmark S3's p99). Writes are applied newest-wins whatever their
     * order, so entries repaired here may land between replicated writes applied on the inbound thread.
     */
    private final ThreadPoolExecutor antiEntropyThread;
    /** Anti-entropy messages waiting for {@link #antiEntropyThread}; past this they are dropped (rounds retry). */
    static final int ANTI_ENTROPY_QUEUE = 256;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final LongAdder antiEntropyDropped = new LongAdder();
    /** Test hook: runs on the anti-entropy thread before each anti-entropy message or round it handles. */
    volatile Runnable antiEntropyHook = () -> { };
    private final ScheduledExecutorService maintenance;
    /** A write stamped further ahead of this member's wall clock is refused (clocks are NTP-synchronized). */
    static final long MAX_CLOCK_AHEAD_MILLIS = Duration.ofHours(1).toMillis();
    /** Bounds the set of things logged once, should a hostile peer invent new ones forever. */
    private static final int MAX_LOGGED_KINDS = 1_000;
    private final Set<String> loggedRejections = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    /**
     * Departures: when each member (by node name) that left and has not come back was last in this member's view, or
     * in the view of the member this one took its state from, whichever is earlier. Tells how long a merged side was
     * apart from this member's data (see {@link #healPartition}).
     */
    private final Map<String, Long> lostAt = new ConcurrentHashMap<>();
    /** Departures kept at most: past it the longest-gone are forgotten (most likely replaced, never to return). */
    static final int MAX_DEPARTURES = 1_024;
    private volatile boolean started;
    /** Healed partitions to process (merge views in arrival order); run by {@link #runPendingHeals()}. */
    private final java.util.Queue<Runnable> pendingHeals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Held while healed partitions are processed, so that anti-entropy waits for them. */
    private final Object healLock = new Object();
    /** Completed once the state of the cluster joined at start is here (see {@link #initialState()}). */
    private final CompletableFuture<Void> initialState = new CompletableFuture<>();
    private volatile Mode mode = Mode.CLUSTERED;
    private volatile long localSince;

    public GossipCacheEngine(EngineConfig config) {
        this.config = config;
        this.keyHasher = config.keyCodec() instanceof DefaultCodec codec ? codec.keyHasher() : KeyHasher.NONE;
        // Our own identity, stable across reconnects (JGroups gives a new address on every connect).
        long id = ThreadLocalRandom.current().nextLong();
        this.nodeId = id == 0 ? 1 : id;
        String node = config.cluster().nodeName();
        this.cluster = new Cluster(config.cluster(), this::onMessage);
        this.replicator = new Replicator(cluster, stats, config.syncTimeout(), config.replicationQueueCapacity(),
                this::wallClockMillis);
        this.stateTransfer = new StateTransfer(cluster, stats, new StoreStateSource(), this::wallClockMillis);
        this.antiEntropy = new AntiEntropy(cluster, new GossipStores(), config.gossipFanout(),
                config.tombstoneRetention(), config.gossipInterval(), this::wallClockMillis);
        this.inbound = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
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
        this.antiEntropyThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(ANTI_ENTROPY_QUEUE), daemon("gossipcache-antientropy-" + node),
                new ThreadPoolExecutor.AbortPolicy());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("gossipcache-maintenance-" + node));
        cluster.addListener(new ClusterListener() {
            @Override
            public void viewChanged(ClusterView previous, ClusterView current, List<ClusterMember> joined,
                                    List<ClusterMember> left) {
                View view = cluster.jgroupsView();
                if (view != null) {
                    replicator.viewChanged(view);
                    stateTransfer.viewChanged(view);
                }
                long now = wallClockMillis();
                left.forEach(m -> departed(m.name(), now));
                if (view instanceof MergeView merge) {
                    pendingHeals.add(() -> healPartition(merge, joined));
                    try {
                        maintenance.execute(GossipCacheEngine.this::runPendingHeals);
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // shutting down
                    }
                } else {
                    joined.forEach(m -> lostAt.remove(m.name())); // a join is a new start: it receives state
                }
            }
        });
        config.caches().forEach(this::createCache);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
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
        } catch (java.util.concurrent.ExecutionException e) {
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
            maintenance.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
            long gossipMs = config.gossipInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::queueGossipRound, gossipMs, gossipMs, TimeUnit.MILLISECONDS);
            replicator.start();
            started = true;
            if (config.startMode() == Mode.LOCAL) {
                mode = Mode.LOCAL;
                localSince = wallClockMillis();
                log.info("Node {} started in LOCAL mode: a local cache until switched to CLUSTERED", nodeName());
                initialState.complete(null);
                return initialState;
            }
            cluster.connect();
            mode = Mode.CLUSTERED;
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
        ScheduledFuture<?> giveUp = maintenance.schedule(() -> {
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
                replicator.flush(java.time.Duration.ofSeconds(2));
                mode = Mode.LOCAL;
                localSince = wallClockMillis();
                // no view tells of this leave: every member it leaves counts as departed now
                view().members().stream().filter(m -> !m.name().equals(nodeName()))
                        .forEach(m -> departed(m.name(), localSince));
                cluster.close();
                log.info("Node {} switched to LOCAL mode: left cluster '{}', serving as a local cache", nodeName(), clusterName());
                return;
            }
            long away = wallClockMillis() - localSince;
            boolean tooLong = away > config.tombstoneRetention().toMillis();
            if (tooLong) {
                int dropped = dropOlderThanRetention();
                log.info("Node {} was local for {} s, longer than the tombstone retention: dropped {} older entries",
                        nodeName(), away / 1000, dropped);
            }
            cluster.connect();
            mode = Mode.CLUSTERED;
            requestState().join(); // takes the cluster's writes, old ones included; anti-entropy below pushes ours
            List<Address> others = otherMembers();
            log.info("Node {} switched to CLUSTERED mode after {} s local: reconciling with {} member(s)",
                    nodeName(), away / 1000, others.size());
            antiEntropy.reconcileWith(others);
        }
    }

    private List<Address> otherMembers() {
        View view = cluster.jgroupsView();
        Address self = cluster.localAddress();
        List<Address> others = new ArrayList<>();
        if (view != null) {
            view.getMembers().stream().filter(a -> !a.equals(self)).forEach(others::add);
        }
        return others;
    }

    private int dropOlderThanRetention() {
        long horizon = antiEntropy.horizon(wallClockMillis());
        int dropped = 0;
        for (ReplicatedCache cache : caches.values()) {
            dropped += cache.store().dropOlderThan(horizon);
        }
        return dropped;
    }

    /** Records that a member left this member's view at {@code atMillis}, unless an earlier departure is known. */
    private void departed(String name, long atMillis) {
        lostAt.merge(name, atMillis, Math::min);
        if (lostAt.size() > MAX_DEPARTURES) {
            lostAt.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> lostAt.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /** Takes over a state provider's departures (see {@link #lostAt}), but for members in this member's view. */
    private void learnDepartures(Map<String, Long> agoMillis) {
        long now = wallClockMillis();
        java.util.Set<String> present = new java.util.HashSet<>();
        view().members().forEach(m -> present.add(m.name()));
        agoMillis.forEach((name, ago) -> {
            if (!present.contains(name)) {
                departed(name, now - ago);
            }
        });
    }

    /**
     * A partition healed: reconcile at once with the members of the other side(s). If a side was apart from this
     * member's data for longer than the tombstone retention, this member first drops its entries older than the
     * retention, as the other side may have deleted them and forgotten the delete. How long a side was apart is
     * the longest that any of its members this member knows of was gone; members it never saw leave (started on
     * the other side meanwhile) are judged by their side's other members, and a side of none it knows is assumed
     * apart for ever.
     */
    private void healPartition(MergeView merge, List<ClusterMember> rejoined) {
        Address self = cluster.localAddress();
        long now = wallClockMillis();
        long longestAway = 0;
        List<Address> otherSide = new ArrayList<>();
        for (View subgroup : merge.getSubgroups()) {
            if (subgroup.containsMember(self)) {
                continue;
            }
            long sideAway = -1; // none of its members known
            for (Address member : subgroup.getMembers()) {
                otherSide.add(member);
                Long since = lostAt.remove(cluster.nameOf(member));
                if (since != null) {
                    sideAway = Math.max(sideAway, now - since);
                }
            }
            longestAway = Math.max(longestAway, sideAway < 0 ? Long.MAX_VALUE : sideAway);
        }
        rejoined.forEach(m -> lostAt.remove(m.name()));
        if (longestAway > config.tombstoneRetention().toMillis()) {
            int dropped = dropOlderThanRetention();
            String apart = longestAway == Long.MAX_VALUE ? "for an unknown time" : "for " + longestAway / 1000 + " s";
            log.info("Node {}: the healed side was apart {}, longer than the tombstone retention ({}); dropped {}"
                    + " entries older than it", nodeName(), apart, config.tombstoneRetention(), dropped);
        }
        log.info("Node {} reconciling with {} member(s) of the healed partition", nodeName(), otherSide.size());
        antiEntropy.reconcileWith(otherSide);
    }

    /**
     * Processes the healed partitions whose merge views have arrived, in order. Anti-entropy calls this first, so that
     * this member drops its entries older than the retention (after a long separation) before it exchanges entries with
     * the other side: answered before, it handed back entries whose deletes the other side had forgotten
     * (AntiEntropyClusterTest's retention test failed 4 runs in 7 once the timing shifted).
     */
    private void runPendingHeals() {
        synchronized (healLock) {
            Runnable heal;
            while ((heal = pendingHeals.poll()) != null) {
                heal.run();
            }
        }
    }

    /** Queues a round on the anti-entropy thread, unless the previous one has not run yet. */
    private void queueGossipRound() {
        if (!roundQueued.compareAndSet(false, true)) {
            return; // the anti-entropy thread is behind: one pending round is enough
        }
        try {
            antiEntropyThread.execute(() -> {
                roundQueued.set(false);
                antiEntropyHook.run();
                gossipRound();
            });
        } catch (RejectedExecutionException full) {
            roundQueued.set(false); // full or shutting down: the next period tries again
        }
    }

    private void gossipRound() {
        // A joiner still receiving its state skips rounds: they would only fetch the same entries again.
        if (mode == Mode.CLUSTERED && !stateTransfer.receiving()) {
            try {
                runPendingHeals();
                antiEntropy.round();
            } catch (RuntimeException e) {
                log.warn("Anti-entropy round failed: {}", e.toString());
            }
        }
    }

    /** Anti-entropy counters. */
    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    /** Sends what is queued, leaves the cluster gracefully and stops every thread. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (started) {
                replicator.flush(java.time.Duration.ofSeconds(2));
            }
            started = false;
            cluster.close();
            replicator.close();
            stateTransfer.close();
            inbound.shutdownNow();
            antiEntropyThread.shutdownNow();
            maintenance.shutdownNow();
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
     */
    public ReplicatedCache cache(String name) {
        ReplicatedCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        if (!config.dynamicCaches()) {
            throw new UnknownCacheException(name, cacheNames());
        }
        return createCache(name, config.defaultCacheSettings());
    }

    /** The cache with this name if it exists. */
    public Optional<ReplicatedCache> existingCache(String name) {
        return Optional.ofNullable(caches.get(name));
    }

    /** Names of the caches on this member, sorted. */
    public Set<String> cacheNames() {
        return new TreeSet<>(caches.keySet());
    }

    /** @throws TooManyCachesException if it is new and this member has {@link EngineConfig#maxCaches()} already */
    private ReplicatedCache createCache(String name, CacheSettings settings) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cache name must not be empty");
        }
        synchronized (caches) { // rare: only to count against the bound
            ReplicatedCache existing = caches.get(name);
            if (existing != null) {
                return existing;
            }
            if (caches.size() >= config.maxCaches()) {
                throw new TooManyCachesException(name, config.maxCaches());
            }
            ReplicatedCache cache = new ReplicatedCache(this,
                    new CacheStore(name, settings, System::currentTimeMillis, keyHasher));
            caches.put(name, cache);
            return cache;
        }
    }

    /**
     * Caches written by other members exist here too, whether or not dynamic creation is on, up to the bound on
     * caches: past it, {@code null} (counted, logged once).
     */
    private ReplicatedCache cacheForRemote(String name) {
        ReplicatedCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        try {
            return createCache(name, config.caches().getOrDefault(name, config.defaultCacheSettings()));
        } catch (TooManyCachesException e) {
            stats.countCacheRefused();
            if (loggedRejections.add("too-many-caches")) {
                log.warn("Refused writes to cache '{}' from another member: this member has {} caches already, the"
                        + " most gossipcache.max-caches allows (logged once; counted in gossipcache.caches.refused)",
                        name, config.maxCaches());
            }
            return null;
        }
    }

    public ClusterView view() {
        return cluster.view();
    }

    public void addClusterListener(ClusterListener listener) {
        cluster.addListener(listener);
    }

    public ReplicationStats stats() {
        return stats;
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

    // ---- used by ReplicatedCache

    /** This engine's clock (package-private: tests write with it directly). */
    HybridClock clock() {
        return clock;
    }

    long wallClockMillis() {
        return System.currentTimeMillis();
    }

    /** Encodes a key for a write, within the size limit. */
    byte[] encodeKey(Object key) {
        return withinLimit(config.keyCodec().encode(key), "key", config.maxKeySize());
    }

    /** Encodes a value for a write, within the size limit. */
    byte[] encodeValue(Object value) {
        return withinLimit(config.valueCodec().encode(value), "value", config.maxValueSize());
    }

    private static byte[] withinLimit(byte[] bytes, String what, int limit) {
        withinLimit(bytes.length, what, limit);
        return bytes;
    }

    private static void withinLimit(int length, String what, int limit) {
        if (length > limit) {
            throw new SizeLimitExceededException(what, length, limit);
        }
    }

    void changedLocally(String cache, Object key) {
        if (stateTransfer.providing()) {
            stateTransfer.changed(cache, key);
        }
    }

    ReplicationResult replicate(Write write) {
        if (!started || mode != Mode.CLUSTERED) {
            return ReplicationResult.ASYNC; // not in a cluster yet: nothing to tell; a later joiner gets state
        }
        return replicator.replicate(write, config.replicationMode());
    }

    // ---- inbound

    private void onMessage(Address source, byte[] buffer, int offset, int length) {
        // No copy: JGroups reads every received message into an array of its own (and reassembles fragments into a
        // new one), which nothing writes to after delivery, so the threads below may read it later.
        Received received = new Received(buffer, offset, length);
        if (WireFormat.isAck(buffer, offset, length)) {
            // Tiny and code-free: handled here so a backlog of writes does not delay synchronous callers.
            handle(source, received);
            return;
        }
        // The delivery thread only hands over: decoding may run application classes' code.
        if (WireFormat.isAntiEntropy(buffer, offset, length)) {
            handOverAntiEntropy(source, received);
            return;
        }
        inbound.execute(() -> handle(source, received));
    }

    /** A received message's bytes: a range of the message's array. */
    private record Received(byte[] buffer, int offset, int length) {
    }

    /**
     * Anti-entropy messages go to their own thread, so that replicated writes never wait behind a digest. When
     * that thread is far behind, a digest, bucket list or pull is dropped (the next round asks again), but
     * entries are not: they go to the inbound thread instead, which applies them like any other write.
     */
    private void handOverAntiEntropy(Address source, Received received) {
        try {
            antiEntropyThread.execute(() -> {
                antiEntropyHook.run();
                handleAntiEntropy(source, received);
            });
        } catch (RejectedExecutionException full) {
            if (antiEntropyThread.isShutdown()) {
                return; // closing
            }
            if (WireFormat.isAntiEntropyEntries(received.buffer(), received.offset(), received.length())) {
                inbound.execute(() -> handleAntiEntropy(source, received));
                return;
            }
            antiEntropyDropped.increment();
            if (loggedRejections.add("antientropy-queue-full")) {
                // Expected in a burst (a healed partition reconciles with everyone at once), and harmless: info.
                log.info("Node {}: anti-entropy is {} messages behind; dropping digest requests until it catches up"
                        + " (later rounds repeat them; logged once)", nodeName(), ANTI_ENTROPY_QUEUE);
            }
        }
    }

    /**
     * Anti-entropy only after the healed partitions are processed, and only with members of this member's view: a
     * member of the other side sends its reconciliation as soon as its own merge view arrives, which may be before
     * this member's; this member reconciles with it once its own view has it (its rounds repeat anyway).
     */
    private void handleAntiEntropy(Address source, Received received) {
        runPendingHeals();
        View view = cluster.jgroupsView();
        if (view != null && view.containsMember(source)) {
            handle(source, received);
        }
    }

    /** Anti-entropy messages dropped because the anti-entropy thread was too far behind. */
    public long antiEntropyDropped() {
        return antiEntropyDropped.sum();
    }

    private void handle(Address source, Received received) {
        WireFormat.Message message;
        try {
            message = WireFormat.decode(received.buffer(), received.offset(), received.length(), wallClockMillis());
        } catch (MalformedMessageException e) {
            stats.countMalformed();
            String sender = cluster.nameOf(source);
            // once per sender: a broken or hostile peer must not flood the log
            if (loggedRejections.size() < MAX_LOGGED_KINDS && loggedRejections.add("malformed:" + sender)) {
                log.warn("Dropped a malformed message from {}: {} (logged once per sender; all are counted"
                        + " in gossipcache.replication.malformed)", sender, e.getMessage());
            }
            return;
        }
        stats.countReceivedBytes(received.length());
        try {
            dispatch(source, message);
        } catch (RuntimeException e) {
            // A well-formed message that still breaks something is a bug of ours: log it (once per kind of
            // failure) and keep the inbound thread going; everything a message applies is applied per write.
            stats.countMalformed();
            if (loggedRejections.add("failed:" + e.getClass().getName())) {
                log.warn("Failed to handle a {} message from {}", message.type(), cluster.nameOf(source), e);
            }
        }
    }

    private void dispatch(Address source, WireFormat.Message message) {
        switch (message.type()) {
            case WRITES -> {
                long now = wallClockMillis();
                for (Write write : message.writes()) {
                    applyRemote(write);
                    stats.recordLag(now - HybridClock.physicalMillis(write.timestamp()));
                }
                if (message.id() > 0) {
                    sendQuietly(source, WireFormat.encode(WireFormat.Type.ACK, message.id()));
                }
            }
            case ACK -> replicator.acknowledged(source, message.id());
            case STATE_REQUEST -> {
                log.info("Node {} sends its state to {}", nodeName(), cluster.nameOf(source));
                stateTransfer.provide(source, message.id());
            }
            case STATE_CHUNK -> {
                message.writes().forEach(this::applyRemote);
                stateTransfer.chunkReceived(message.writes().size());
            }
            case STATE_DONE -> {
                if (stateTransfer.finished(source, message.id())) {
                    learnDepartures(message.departures());
                }
            }
            case GOSSIP_DIGEST -> {
                // the peer's next round finds us complete; in LOCAL mode there is no one to answer
                if (!stateTransfer.receiving() && mode == Mode.CLUSTERED) {
                    antiEntropy.onDigest(source, message);
                }
            }
            case GOSSIP_BUCKETS -> {
                if (mode == Mode.CLUSTERED) {
                    antiEntropy.onBuckets(source, message);
                }
            }
            case GOSSIP_PULL -> {
                if (mode == Mode.CLUSTERED) {
                    antiEntropy.onPull(source, message);
                }
            }
            case GOSSIP_ENTRIES -> antiEntropy.onEntries(message);
        }
    }

    private void sendQuietly(Address destination, byte[] payload) {
        try {
            cluster.send(destination, payload);
        } catch (Exception e) {
            log.debug("Could not send to {}: {}", destination, e.toString());
        }
    }

    private boolean applyRemote(Write write) {
        stats.countReceivedWrite();
        long aheadMillis = HybridClock.physicalMillis(write.timestamp()) - wallClockMillis();
        if (aheadMillis > MAX_CLOCK_AHEAD_MILLIS) {
            // Observing it would drag this member's clock (and every later write) far into the future; near
            // Long.MAX_VALUE the next tick would even wrap negative and lose to everything.
            stats.countRejected();
            if (loggedRejections.add("clock-ahead")) {
                log.warn("Rejected a replicated write to cache '{}' stamped {} s ahead of this member's clock"
                        + " (more than {} s; logged once)", write.cache(), aheadMillis / 1000, MAX_CLOCK_AHEAD_MILLIS / 1000);
            }
            return false;
        }
        clock.observe(write.timestamp());
        ReplicatedCache cache = cacheForRemote(write.cache());
        if (cache == null) {
            return false; // counted as refused
        }
        CacheStore store = cache.store();
        if (write.kind() == Write.Kind.CLEAR) {
            return countApply(store.clear(new Version(write.timestamp(), write.node())));
        }
        Object key = null;
        long keyHash = KeyHash.of(write.keyArray(), write.keyOffset(), write.keyLength());
        try {
            // decoded in place, from the message's buffer (WireFormat): no copy of the key or the value
            withinLimit(write.keyLength(), "key", config.maxKeySize());
            key = decode(config.keyCodec(), write.keyArray(), write.keyOffset(), write.keyLength());
            StoreEntry incoming;
            if (write.kind() == Write.Kind.EVICT) {
                incoming = store.tombstoneEntry(key, write.timestamp(), write.node(), keyHash);
            } else {
                StoreEntry current = store.entry(key);
                // older than what we hold: no need to decode the value (a local override is judged by its
                // shadowed write instead, which only the store's merge knows how to compare)
                if (current != null && !current.isLocalOverride()
                        && Version.compare(write.timestamp(), write.node(), current.timestamp(), current.node()) <= 0) {
                    return countApply(false);
                }
                // checked once the key is known: a refused value's tombstone replaces what the key held here
                withinLimit(write.valueLength(), "value", config.maxValueSize());
                Object value = decode(config.valueCodec(), write.valueArray(), write.valueOffset(), write.valueLength());
                incoming = store.valueEntry(key, value, write.timestamp(), write.node(), write.expiresAt(),
                        keyHash);
            }
            boolean applied = store.apply(key, incoming);
            if (applied) {
                changedLocally(write.cache(), key);
            }
            return countApply(applied);
        } catch (CodecException e) {
            stats.countRejected();
            // Its version stays known here, so that anti-entropy does not send the same write again every round.
            store.applyRefused(key, write.keyArray(), write.keyOffset(), write.keyLength(), write.timestamp(),
                    write.node(), keyHash);
            String what = e instanceof RejectedClassException r ? r.className() : e.getClass().getSimpleName();
            // once per class or kind of problem: a flood of bad writes must not flood the log
            if (loggedRejections.size() < MAX_LOGGED_KINDS && loggedRejections.add(what)) {
                log.warn("Rejected a replicated write to cache '{}': {} (logged once per class)", write.cache(), e.getMessage());
            }
            return false;
        }
    }

    /** Decodes network bytes; whatever an application's codec throws on bad bytes counts as a codec failure. */
    private static Object decode(Codec codec, byte[] bytes, int offset, int length) {
        try {
            return codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Cannot decode: " + e, e);
        }
    }

    private boolean countApply(boolean applied) {
        if (applied) {
            stats.countApplied();
        } else {
            stats.countStale();
        }
        return applied;
    }

    private void sweep() {
        long retention = config.tombstoneRetention().toMillis();
        for (ReplicatedCache cache : caches.values()) {
            try {
                cache.store().sweep(retention);
            } catch (RuntimeException e) {
                log.warn("Sweeping cache '{}' failed: {}", cache.name(), e.toString());
            }
        }
    }

    /** The engine's stores as anti-entropy sees them. */
    private final class GossipStores implements AntiEntropy.Stores {

        @Override
        public Collection<String> cacheNames() {
            return GossipCacheEngine.this.cacheNames();
        }

        @Override
        public CacheStore store(String cache) {
            ReplicatedCache replicated = cacheForRemote(cache);
            return replicated == null ? null : replicated.store();
        }

        @Override
        public Write encode(String cache, Object key, StoreEntry entry) {
            return encodeEntry(cache, key, entry, wallClockMillis());
        }

        @Override
        public boolean apply(Write write) {
            return applyRemote(write);
        }
    }

    /** The engine's stores as a state-transfer source: every clear version and entry, encoded. */
    private final class StoreStateSource implements StateTransfer.StateSource {

        @Override
        public void snapshot(Consumer<Write> sink) {
            long now = wallClockMillis();
            for (ReplicatedCache cache : caches.values()) {
                Version cleared = cache.store().clearVersion();
                if (!cleared.equals(Version.ZERO)) {
                    sink.accept(Write.clear(cache.name(), cleared.timestamp(), cleared.node()));
                }
                cache.store().forEachEntry((key, entry) -> {
                    // local overrides stay on this member; an expired value goes as a tombstone
                    if (!entry.isLocalOverride()) {
                        Write w = encodeEntry(cache.name(), key, entry, now);
                        if (w != null) {
                            sink.accept(w);
                        }
                    }
                });
            }
        }

        @Override
        public Map<String, Long> departures() {
            long now = wallClockMillis();
            Map<String, Long> ago = new java.util.HashMap<>();
            lostAt.forEach((name, since) -> {
                if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024) { // the wire's limit
                    ago.put(name, Math.max(0, now - since));
                }
            });
            return ago;
        }

        @Override
        public Write current(String cacheName, Object key) {
            ReplicatedCache cache = caches.get(cacheName);
            StoreEntry entry = cache == null ? null : cache.store().entry(key);
            return entry == null || entry.isLocalOverride() ? null
                    : encodeEntry(cacheName, key, entry, wallClockMillis());
        }
    }

    /**
     * An entry as a write for the wire (state transfer, anti-entropy), or {@code null} if it cannot be encoded. A
     * value expired at {@code nowMillis} goes as the tombstone of its version: it stands for a delete.
     */
    private Write encodeEntry(String cacheName, Object key, StoreEntry entry, long nowMillis) {
        try {
            byte[] unreadable = CacheStore.unreadableKeyBytes(key);
            byte[] keyBytes = unreadable != null ? unreadable : config.keyCodec().encode(key);
            return entry.isTombstone() || entry.isExpired(nowMillis)
                    ? Write.evict(cacheName, keyBytes, entry.timestamp(), entry.node())
                    : Write.put(cacheName, keyBytes, config.valueCodec().encode(entry.value()), entry.timestamp(),
                            entry.node(), entry.expiresAt());
        } catch (CodecException e) {
            log.warn("Skipped an entry of cache '{}' that cannot be encoded: {}", cacheName, e.getMessage());
            return null;
        }
    }
}
