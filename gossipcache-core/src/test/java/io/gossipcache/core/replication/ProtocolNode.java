package io.gossipcache.core.replication;

import io.gossipcache.core.cluster.InMemoryNetwork;
import io.gossipcache.core.gossip.AntiEntropy;
import io.gossipcache.core.observation.ReplicationObservations;
import io.gossipcache.core.store.CacheSettings;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jgroups.Address;

/**
 * One member for protocol tests: stores, the three protocols (replication, state transfer, anti-entropy) and a
 * handler that hands each received message to its protocol, on an {@link InMemoryNetwork}, with a wall clock the
 * test moves. Keys and values are strings, their UTF-8 bytes on the wire. The replicator sends from its own thread
 * (wait with {@link #flush()}); a state provider sends on the thread that delivers the request.
 */
public final class ProtocolNode implements AutoCloseable {

    public static final Duration RETENTION = Duration.ofMinutes(10);
    public static final Duration GOSSIP_INTERVAL = Duration.ofSeconds(1);

    private final long nodeId;
    private final AtomicLong wallClock;
    private final HybridClock clock;
    private final Map<String, CacheStore> stores = new ConcurrentHashMap<>();
    private final InMemoryNetwork.Member transport;
    private final ExecutorService senderThread;
    private final Replicator replicator;
    private final StateTransfer stateTransfer;
    private final AntiEntropy antiEntropy;

    /** @param wallClock milliseconds, shared by the nodes of a test (clocks in step) */
    public ProtocolNode(InMemoryNetwork network, String name, long nodeId, AtomicLong wallClock) {
        this(network, name, nodeId, wallClock, Duration.ofSeconds(5));
    }

    /** @param syncTimeout how long a synchronous write waits for acknowledgements */
    public ProtocolNode(InMemoryNetwork network, String name, long nodeId, AtomicLong wallClock, Duration syncTimeout) {
        this.nodeId = nodeId;
        this.wallClock = wallClock;
        this.clock = new HybridClock(wallClock::get);
        this.transport = network.join(name, this::onMessage);
        ReplicationStats stats = new ReplicationStats();
        this.senderThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-replicator-" + name));
        this.replicator = new Replicator(transport, stats, syncTimeout, 10_000, wallClock::get, senderThread,
                new ReplicationObservations(ObservationRegistry.NOOP, "protocol-test"));
        this.stateTransfer = new StateTransfer(transport, stats, new Source(), wallClock::get, Runnable::run);
        this.antiEntropy = new AntiEntropy(transport, new Stores(), 2, RETENTION, GOSSIP_INTERVAL, wallClock::get);
        replicator.start();
    }

    public InMemoryNetwork.Member transport() {
        return transport;
    }

    public Replicator replicator() {
        return replicator;
    }

    public StateTransfer stateTransfer() {
        return stateTransfer;
    }

    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    /** Writes here only, as if replication had lost it. */
    public Write putHere(String cache, String key, String value) {
        long ts = clock.tick();
        CacheStore store = store(cache);
        store.apply(key, store.valueEntry(key, value, ts, nodeId, StoreEntry.NEVER, KeyHash.of(bytes(key))));
        return Write.put(cache, bytes(key), bytes(value), ts, nodeId, StoreEntry.NEVER);
    }

    /** Deletes here only, as if replication had lost it. */
    public Write evictHere(String cache, String key) {
        long ts = clock.tick();
        CacheStore store = store(cache);
        store.apply(key, store.tombstoneEntry(key, ts, nodeId, KeyHash.of(bytes(key))));
        return Write.evict(cache, bytes(key), ts, nodeId);
    }

    /** Writes here and replicates it. */
    public ReplicationResult put(String cache, String key, String value, ReplicationMode mode) {
        return replicator.replicate(putHere(cache, key, value), mode);
    }

    /** Deletes here and replicates it. */
    public ReplicationResult evict(String cache, String key, ReplicationMode mode) {
        return replicator.replicate(evictHere(cache, key), mode);
    }

    /** What this member serves for a key: the live value, or {@code null}. */
    public String get(String cache, String key) {
        return (String) store(cache).get(key);
    }

    /** The live entries of a cache, sorted by key. */
    public Map<String, String> contents(String cache) {
        Map<String, String> live = new TreeMap<>();
        store(cache).forEachEntry((key, entry) -> {
            if (!entry.isTombstone() && !entry.isExpired(wallClock.get())) {
                live.put((String) key, (String) entry.value());
            }
        });
        return live;
    }

    /** Waits until the replicator handed every queued write to the network. */
    public void flush() {
        if (!replicator.flush(Duration.ofSeconds(10))) {
            throw new AssertionError("replicator of " + transport.name() + " did not flush");
        }
    }

    public CacheStore store(String cache) {
        return stores.computeIfAbsent(cache, name -> new CacheStore(name, CacheSettings.DEFAULTS, wallClock::get));
    }

    private void onMessage(Address source, byte[] buffer, int offset, int length) {
        Message message = WireFormat.decode(buffer, offset, length, wallClock.get());
        switch (message.type()) {
            case WRITES -> {
                ((Message.Writes) message).writes().forEach(this::apply);
                if (message.id() > 0) {
                    send(source, new Message.Ack(message.id()));
                }
            }
            case ACK -> replicator.acknowledged(source, message.id());
            case STATE_REQUEST -> stateTransfer.provide(source, message.id());
            case STATE_CHUNK -> {
                Message.StateChunk chunk = (Message.StateChunk) message;
                chunk.writes().forEach(this::apply);
                stateTransfer.chunkReceived(chunk.writes().size());
            }
            case STATE_DONE -> stateTransfer.finished(source, message.id());
            case GOSSIP_DIGEST -> antiEntropy.onDigest(source, (Message.GossipDigest) message);
            case GOSSIP_BUCKETS -> antiEntropy.onBuckets(source, (Message.GossipBuckets) message);
            case GOSSIP_PULL -> antiEntropy.onPull(source, (Message.GossipPull) message);
            case GOSSIP_ENTRIES -> antiEntropy.onEntries((Message.GossipEntries) message);
        }
    }

    private void send(Address destination, Message message) {
        try {
            transport.send(destination, WireFormat.encode(message, wallClock.get()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies a received write, newest version wins. */
    private boolean apply(Write write) {
        clock.observe(write.timestamp());
        CacheStore store = store(write.cache());
        if (write.kind() == Write.Kind.CLEAR) {
            return store.clear(new Version(write.timestamp(), write.node()));
        }
        String key = new String(write.key(), StandardCharsets.UTF_8);
        long hash = KeyHash.of(write.key());
        StoreEntry incoming = write.kind() == Write.Kind.EVICT
                ? store.tombstoneEntry(key, write.timestamp(), write.node(), hash)
                : store.valueEntry(key, new String(write.value(), StandardCharsets.UTF_8), write.timestamp(),
                        write.node(), write.expiresAt(), hash);
        return store.apply(key, incoming);
    }

    private Write encode(String cache, Object key, StoreEntry entry) {
        byte[] keyBytes = bytes((String) key);
        return entry.isTombstone() || entry.isExpired(wallClock.get())
                ? Write.evict(cache, keyBytes, entry.timestamp(), entry.node())
                : Write.put(cache, keyBytes, bytes((String) entry.value()), entry.timestamp(), entry.node(),
                        entry.expiresAt());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        senderThread.shutdownNow();
        senderThread.awaitTermination(5, TimeUnit.SECONDS);
        replicator.close();
        stateTransfer.close();
    }

    private final class Stores implements AntiEntropy.Stores {

        @Override
        public boolean[] sharedSegments(String cache, Address peer) {
            return null; // replicated caches only
        }

        @Override
        public Collection<String> cacheNames() {
            return new java.util.TreeSet<>(stores.keySet());
        }

        @Override
        public CacheStore store(String cache) {
            return ProtocolNode.this.store(cache);
        }

        @Override
        public Write encode(String cache, Object key, StoreEntry entry) {
            return ProtocolNode.this.encode(cache, key, entry);
        }

        @Override
        public boolean apply(Write write) {
            return ProtocolNode.this.apply(write);
        }
    }

    private final class Source implements StateTransfer.StateSource {
        @Override
        public void snapshot(Consumer<Write> sink) {
            for (CacheStore store : stores.values()) {
                Version cleared = store.clearVersion();
                if (!cleared.equals(Version.ZERO)) {
                    sink.accept(Write.clear(store.name(), cleared.timestamp(), cleared.node()));
                }
                store.forEachEntry((key, entry) -> sink.accept(encode(store.name(), key, entry)));
            }
        }

        @Override
        public Write current(String cache, Object key) {
            StoreEntry entry = store(cache).entry(key);
            return entry == null ? null : encode(cache, key, entry);
        }

        @Override
        public Map<String, Long> departures() {
            return Map.of();
        }
    }
}
