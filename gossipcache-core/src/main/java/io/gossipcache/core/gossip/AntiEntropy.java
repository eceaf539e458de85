package io.gossipcache.core.gossip;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.ChunkedSender;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.Message.BucketRequest;
import io.gossipcache.core.replication.Message.CacheDigest;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.StoreEntry;
import io.gossipcache.core.version.HybridClock;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy: makes members that missed something converge. Each round this member sends a few random
 * peers one root hash per cache; a peer whose roots differ answers with per-bucket hashes; the buckets that
 * differ are exchanged in both directions and applied newest-wins, tombstones and clears included. When
 * members agree, a round is one small message per peer.
 *
 * <p>Only entries newer than the tombstone retention take part (see {@link CacheStore#digest}). Members
 * that were separated for longer drop their older entries instead (see {@link #horizonMillis}).
 */
public final class AntiEntropy implements GossipStats {

    private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

    /**
     * Buckets per cache: 8 KiB of hashes, about 100 entries a bucket at 100,000 entries. A multiple of
     * {@link Segments#COUNT}, so that each bucket lies in one segment of a partitioned cache.
     */
    public static final int BUCKETS = 1024;

    /** What anti-entropy needs from the engine. */
    public interface Stores {
        Collection<String> cacheNames();

        /** The store of a cache, created if this member does not have it yet; {@code null} past the bound on caches. */
        CacheStore store(String cache);

        /** Encodes an entry for the wire, or {@code null} if it cannot be. */
        Write encode(String cache, Object key, StoreEntry entry);

        /** Applies a write received from another member. */
        boolean apply(Write write);

        /**
         * The segments of a cache that this member and {@code peer} both hold ({@code Segments.COUNT} flags), or
         * {@code null} when they share every key (a replicated cache). Anti-entropy compares only those: a member
         * of a partitioned cache holds its own segments only.
         */
        boolean[] sharedSegments(String cache, Address peer);
    }

    private final Transport transport;
    private final Stores stores;
    private final int fanout;
    private final Duration retention;
    private final Duration settle;
    private final LongSupplier wallClock;
    private final AtomicLong rounds = new AtomicLong();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder repairs = new LongAdder();
    private final LongAdder digestsSent = new LongAdder();

    /**
     * @param retention the tombstone retention: older writes are not exchanged
     * @param settle    writes younger than this are left to replication, which is most likely still
     *                  delivering them; comparing them would make every round under load exchange them again
     */
    public AntiEntropy(Transport transport, Stores stores, int fanout, Duration retention, Duration settle,
                       LongSupplier wallClockMillis) {
        this.transport = transport;
        this.stores = stores;
        this.fanout = fanout;
        this.retention = retention;
        this.settle = settle;
        this.wallClock = wallClockMillis;
    }

    /** One periodic round: digests to {@code fanout} random peers. */
    public void round() {
        View view = transport.currentView();
        Address self = transport.self();
        if (view == null || self == null || view.size() < 2) {
            return;
        }
        List<Address> peers = new ArrayList<>(view.getMembers());
        peers.remove(self);
        Collections.shuffle(peers, ThreadLocalRandom.current());
        rounds.incrementAndGet();
        sendDigests(peers.subList(0, Math.min(fanout, peers.size())));
    }

    /** Reconciles with these members now (after a merge or a return from local-only mode). */
    public void reconcileWith(Collection<Address> peers) {
        if (!peers.isEmpty()) {
            sendDigests(peers);
        }
    }

    private void sendDigests(Collection<Address> peers) {
        long now = wallClock.getAsLong();
        // The window moves in steps of the settle time, so that every member digests the same window for a
        // while and a store answers its own round and its peers' digests from one scan (CacheStore#digest).
        // Rounding the horizon up and the cutoff down only ever leaves entries out.
        long step = Math.max(1, settle.toMillis());
        long horizon = HybridClock.fromMillis(Math.floorDiv(horizonMillis(now) + step - 1, step) * step);
        long cutoff = HybridClock.fromMillis(Math.floorDiv(now - step, step) * step);
        byte[] shared = null; // one payload for every peer while no cache is partitioned
        for (Address peer : peers) {
            boolean perPeer = false;
            List<CacheDigest> digests = new ArrayList<>();
            for (String name : stores.cacheNames()) {
                CacheStore store = stores.store(name);
                if (store == null) {
                    continue;
                }
                boolean[] segments = stores.sharedSegments(name, peer);
                perPeer |= segments != null;
                Version cleared = store.clearVersion();
                long root = root(masked(store.digest(BUCKETS, horizon, cutoff), segments));
                digests.add(new CacheDigest(name, cleared.timestamp(), cleared.node(), root, null));
            }
            byte[] payload = !perPeer && shared != null ? shared
                    : WireFormat.encode(new Message.GossipDigest(rounds.get(), horizon, cutoff, digests), now,
                            transport.protocolFor(null)); // the lowest of the view
            if (!perPeer) {
                shared = payload;
            }
            send(peer, payload);
            digestsSent.increment();
        }
    }

    /**
     * Bucket hashes with the buckets of segments outside {@code segments} zeroed ({@code null}: all kept): bucket
     * {@code b} lies in segment {@code b % Segments.COUNT}, since {@link #BUCKETS} is a multiple of it.
     */
    private static long[] masked(long[] buckets, boolean[] segments) {
        if (segments == null) {
            return buckets;
        }
        long[] kept = buckets.clone();
        for (int b = 0; b < kept.length; b++) {
            if (!segments[b % Segments.COUNT]) {
                kept[b] = 0;
            }
        }
        return kept;
    }

    /** The oldest version anti-entropy exchanges: anything older may be deleted elsewhere with its tombstone gone. */
    public long horizon(long nowMillis) {
        return HybridClock.fromMillis(horizonMillis(nowMillis));
    }

    public long horizonMillis(long nowMillis) {
        return nowMillis - retention.toMillis();
    }

    /** A peer's roots: answer with the bucket hashes of every cache that differs (nothing if none does). */
    public void onDigest(Address peer, Message.GossipDigest message) {
        long now = wallClock.getAsLong();
        List<CacheDigest> theirs = message.digests();
        Set<String> names = new TreeSet<>(stores.cacheNames());
        theirs.forEach(d -> names.add(d.cache()));
        List<CacheDigest> differing = new ArrayList<>();
        for (String name : names) {
            CacheDigest their = theirs.stream().filter(d -> d.cache().equals(name)).findFirst().orElse(null);
            CacheStore store = stores.store(name);
            if (store == null) {
                continue; // refused: this member has as many caches as it may
            }
            long[] mine = masked(store.digest(BUCKETS, message.horizon(), message.cutoff()),
                    stores.sharedSegments(name, peer));
            Version cleared = store.clearVersion();
            boolean same = their != null && their.root() == root(mine)
                    && their.clearTimestamp() == cleared.timestamp() && their.clearNode() == cleared.node();
            if (!same) {
                differing.add(new CacheDigest(name, cleared.timestamp(), cleared.node(), root(mine), mine));
            }
        }
        if (!differing.isEmpty()) {
            send(peer, WireFormat.encode(new Message.GossipBuckets(message.id(), message.horizon(),
                    message.cutoff(), differing), now, transport.protocolFor(peer)));
        }
    }

    /** A peer's bucket hashes: send ours where they differ, and ask for theirs. */
    public void onBuckets(Address peer, Message.GossipBuckets message) {
        long now = wallClock.getAsLong();
        List<BucketRequest> requests = new ArrayList<>();
        ChunkedSender entries = entriesTo(peer, now);
        for (CacheDigest their : message.digests()) {
            if (their.buckets().length != BUCKETS) {
                continue; // a peer with another bucket layout: nothing comparable
            }
            CacheStore store = stores.store(their.cache());
            if (store == null) {
                continue;
            }
            boolean[] segments = stores.sharedSegments(their.cache(), peer);
            long[] mine = store.digest(BUCKETS, message.horizon(), message.cutoff());
            BitSet differing = new BitSet(BUCKETS);
            for (int b = 0; b < BUCKETS; b++) {
                if ((segments == null || segments[b % Segments.COUNT]) && mine[b] != their.buckets()[b]) {
                    differing.set(b);
                }
            }
            sendClearIfNewer(entries, store, their);
            if (!differing.isEmpty()) {
                requests.add(new BucketRequest(their.cache(), differing.stream().toArray()));
                store.forEachGossiped(differing, BUCKETS, message.horizon(), message.cutoff(),
                        (key, entry) -> entries.accept(stores.encode(their.cache(), key, entry)));
            }
        }
        entries.flush();
        if (!requests.isEmpty()) {
            send(peer, WireFormat.encode(new Message.GossipPull(message.id(), message.horizon(),
                    message.cutoff(), requests), now, transport.protocolFor(peer)));
        }
    }

    /** A peer asks for our entries in some buckets. */
    public void onPull(Address peer, Message.GossipPull message) {
        long now = wallClock.getAsLong();
        ChunkedSender entries = entriesTo(peer, now);
        for (BucketRequest request : message.requests()) {
            CacheStore store = stores.store(request.cache());
            if (store == null) {
                continue;
            }
            Version cleared = store.clearVersion();
            if (!cleared.equals(Version.ZERO)) {
                entries.accept(Write.clear(request.cache(), cleared.timestamp(), cleared.node()));
            }
            boolean[] segments = stores.sharedSegments(request.cache(), peer);
            BitSet buckets = new BitSet(BUCKETS);
            for (int b : request.buckets()) {
                if (b >= 0 && b < BUCKETS && (segments == null || segments[b % Segments.COUNT])) {
                    buckets.set(b);
                }
            }
            store.forEachGossiped(buckets, BUCKETS, message.horizon(), message.cutoff(),
                    (key, entry) -> entries.accept(stores.encode(request.cache(), key, entry)));
        }
        entries.flush();
    }

    /** Entries from a peer's buckets. */
    public void onEntries(Message.GossipEntries message) {
        for (Write write : message.writes()) {
            if (stores.apply(write)) {
                repairs.increment();
            }
        }
    }

    private void sendClearIfNewer(ChunkedSender entries, CacheStore store, CacheDigest their) {
        Version mine = store.clearVersion();
        if (mine.isNewerThan(new Version(their.clearTimestamp(), their.clearNode()))) {
            entries.accept(Write.clear(their.cache(), mine.timestamp(), mine.node()));
        }
    }

    private static long root(long[] buckets) {
        long root = 0;
        for (long b : buckets) {
            root ^= b;
        }
        return root;
    }

    private void send(Address peer, byte[] payload) {
        try {
            if (transport.send(peer, payload)) {
                bytesSent.add(payload.length);
            }
        } catch (Exception e) {
            log.debug("Gossip to {} failed: {}", transport.nameOf(peer), e.toString());
        }
    }

    /** Periodic rounds started by this member. */
    @Override
    public long rounds() {
        return rounds.get();
    }

    /** Bytes of every anti-entropy message this member sent. */
    @Override
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Entries received through anti-entropy that were newer than what this member held. */
    @Override
    public long repairs() {
        return repairs.sum();
    }

    /** Anti-entropy entries for {@code peer}, sent as {@link WireFormat.Type#GOSSIP_ENTRIES} as they fill. */
    private ChunkedSender entriesTo(Address peer, long now) {
        return new ChunkedSender(batch -> send(peer, WireFormat.encode(new Message.GossipEntries(0, batch), now,
                transport.protocolFor(peer))));
    }
}
