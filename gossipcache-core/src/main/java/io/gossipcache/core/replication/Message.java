package io.gossipcache.core.replication;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A gossipcache message, one type per kind, each with the fields its kind carries on the wire (see
 * {@link WireFormat} for the bytes and {@link WireFormat.Type} for the wire codes). Every message carries an id:
 * what it means depends on the kind. Lists are not copied (batches of writes are on the replication path): a message
 * owns the lists it is given.
 */
public sealed interface Message {

    /** The kind of message, which names its wire code. */
    WireFormat.Type type();

    /** The message's id (see each kind). */
    long id();

    /** A message that carries writes to apply. */
    sealed interface CarriesWrites extends Message {
        /** The writes, in the order they were sent. */
        List<Write> writes();
    }

    /**
     * Replicated writes.
     *
     * @param id &gt; 0 asks each receiver for an {@link Ack} with this id; 0 asks for none
     */
    record Writes(long id, List<Write> writes) implements CarriesWrites {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.WRITES;
        }
    }

    /**
     * Writes of partitioned caches sent to their owners (protocol 1.3), with the view the sender chose the owners
     * in: a receiver on another view passes them on to the owners of its own ({@code Rebalance}), so that a write a
     * sender routed on a view it had not replaced yet still reaches a new owner.
     *
     * @param id     as {@link Writes#id()}
     * @param viewId the sender's view ({@code ViewId#getId()})
     */
    record RoutedWrites(long id, long viewId, List<Write> writes) implements CarriesWrites {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.ROUTED_WRITES;
        }
    }

    /** @param id the id of the {@link Writes} acknowledged */
    record Ack(long id) implements Message {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.ACK;
        }
    }

    /** @param id names the transfer: the provider's chunks and its {@link StateDone} carry it back */
    record StateRequest(long id) implements Message {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.STATE_REQUEST;
        }
    }

    /** @param id the transfer's id (see {@link StateRequest}) */
    record StateChunk(long id, List<Write> writes) implements CarriesWrites {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.STATE_CHUNK;
        }
    }

    /**
     * The end of a state transfer.
     *
     * @param id         the transfer's id (see {@link StateRequest})
     * @param departures for each member (by node name) that the provider saw leave and not come back, how many
     *                   milliseconds ago it was last in the provider's view
     */
    record StateDone(long id, Map<String, Long> departures) implements Message {
        public StateDone {
            Objects.requireNonNull(departures, "departures");
        }

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.STATE_DONE;
        }
    }

    /**
     * Anti-entropy: one root hash per cache ({@link CacheDigest#buckets()} is {@code null}).
     *
     * @param id      the sender's round; its {@link GossipBuckets} answer carries it back
     * @param horizon anti-entropy compares writes with versions in ({@code horizon}, {@code cutoff}]
     * @param cutoff  see {@code horizon}
     */
    record GossipDigest(long id, long horizon, long cutoff, List<CacheDigest> digests) implements Message {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GOSSIP_DIGEST;
        }
    }

    /** Anti-entropy: every bucket hash of the caches whose roots differed (see {@link GossipDigest}). */
    record GossipBuckets(long id, long horizon, long cutoff, List<CacheDigest> digests) implements Message {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GOSSIP_BUCKETS;
        }
    }

    /** Anti-entropy: asks for the receiver's entries in the differing buckets (see {@link GossipDigest}). */
    record GossipPull(long id, long horizon, long cutoff, List<BucketRequest> requests) implements Message {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GOSSIP_PULL;
        }
    }

    /** Anti-entropy: entries of differing buckets, applied like replicated writes (id: 0, unused). */
    record GossipEntries(long id, List<Write> writes) implements CarriesWrites {

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GOSSIP_ENTRIES;
        }
    }

    /**
     * One cache's digest: its clear version and either only the root hash or every bucket hash.
     *
     * @param buckets bucket hashes, or {@code null} in a root-only digest
     */
    record CacheDigest(String cache, long clearTimestamp, long clearNode, long root, long[] buckets) {
    }

    /**
     * A read of one key of a partitioned cache from one of its owners (protocol 1.3).
     *
     * @param id          names the read: the {@link GetReply} carries it back
     * @param trackMillis &gt; 0: the reader keeps the value in its near cache this long, so the owner tells it of
     *                    every write to the key meanwhile ({@link Invalidate}); 0: no near cache
     */
    record Get(long id, String cache, byte[] key, long trackMillis) implements Message {
        public Get {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GET;
        }
    }

    /**
     * The answer to a {@link Get}: what the owner holds for the key (no write: nothing; else a put or a tombstone).
     *
     * @param id    the read's id
     * @param holds whether the answering member holds the key's whole segment, so that its answer is the cluster's:
     *              an owner still receiving the segment after a view change answers with what it has, not holding
     */
    record GetReply(long id, boolean holds, List<Write> writes) implements CarriesWrites {
        public GetReply {
            if (writes.size() > 1) {
                throw new IllegalArgumentException("a read answers with one write at most");
            }
        }

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.GET_REPLY;
        }
    }

    /** An owner tells a reader that a key it read into its near cache changed (protocol 1.3; id: 0, unused). */
    record Invalidate(String cache, byte[] key) implements Message {
        public Invalidate {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public long id() {
            return 0;
        }

        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.INVALIDATE;
        }
    }

    /**
     * A new owner asks for everything the receiver holds in some segments of the partitioned caches with some owner
     * counts (protocol 1.3): the receiver answers with {@link SegmentEntries} and a {@link SegmentDone} of the same id.
     */
    record SegmentPull(long id, List<SegmentSet> segments) implements Message {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.SEGMENT_PULL;
        }
    }

    /** Entries answering a {@link SegmentPull}, applied like replicated writes. */
    record SegmentEntries(long id, List<Write> writes) implements CarriesWrites {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.SEGMENT_ENTRIES;
        }
    }

    /**
     * The end of the answer to the {@link SegmentPull} with this id.
     *
     * @param entries how many entries the answer carried: the puller waits for them all, whatever order they arrive in
     */
    record SegmentDone(long id, long entries) implements Message {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.SEGMENT_DONE;
        }
    }

    /**
     * A member tells every other member which segments of its partitioned caches it holds in a view, per owner count:
     * the former owners of a segment drop it once all its owners hold it.
     *
     * @param id the view's id ({@code ViewId#getId()}): an announcement of an older view is ignored
     */
    record SegmentsHeld(long id, List<SegmentSet> segments) implements Message {
        @Override
        public WireFormat.Type type() {
            return WireFormat.Type.SEGMENTS_HELD;
        }
    }

    /**
     * Segments of the partitioned caches with one owner count (all such caches share their placement), as a bit set
     * of {@code Segments.COUNT} bits.
     *
     * @param owners the owner count, 1 to 255
     * @param bits   {@code Segments.COUNT / 64} words, segment {@code s} at bit {@code s % 64} of word {@code s / 64}
     */
    record SegmentSet(int owners, long[] bits) {
        /** The number of words of a segment set. */
        public static final int WORDS = 4;

        public SegmentSet {
            if (owners < 1 || owners > 255) {
                throw new IllegalArgumentException("owners out of range: " + owners);
            }
            if (bits.length != WORDS) {
                throw new IllegalArgumentException("a segment set has " + WORDS + " words, not " + bits.length);
            }
        }
    }

    /** Buckets of one cache whose entries the sender asks for. */
    record BucketRequest(String cache, int[] buckets) {
    }
}
