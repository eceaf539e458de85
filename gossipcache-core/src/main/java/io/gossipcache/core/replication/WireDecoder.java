package io.gossipcache.core.replication;

import static io.gossipcache.core.replication.WireFormat.MAX_BUCKETS;
import static io.gossipcache.core.replication.WireFormat.MAX_NAME_BYTES;
import static io.gossipcache.core.replication.WireFormat.FORMAT_1;
import static io.gossipcache.core.replication.WireFormat.FORMAT_2;
import static io.gossipcache.core.replication.WireFormat.SAME_CACHE;

import io.gossipcache.core.replication.WireFormat.Type;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the bytes {@link WireFormat} describes, refusing anything that is not a complete, well-formed message: the
 * bytes come from the network, so every count and length is checked against what is left before it is used.
 */
final class WireDecoder {

    private WireDecoder() {
    }

    /** See {@link WireFormat#decode}. */
    static Message decode(byte[] buf, int offset, int length, long nowMillis, byte newestReadable) {
        try {
            ByteBuffer in = ByteBuffer.wrap(buf, offset, length);
            byte format = in.get();
            if (format < FORMAT_1 || format > newestReadable) {
                throw new MalformedMessageException("unsupported format " + format + " (this node reads " + FORMAT_1
                        + (newestReadable > FORMAT_1 ? " to " + newestReadable : "") + ")");
            }
            boolean compact = format >= FORMAT_2;
            int code = in.get();
            Type type = Type.ofCode(code);
            if (type == null) {
                throw new MalformedMessageException("unknown message type " + code);
            }
            long id = in.getLong();
            Message message = switch (type) {
                case WRITES -> new Message.Writes(id, readWrites(in, nowMillis, compact));
                case ACK -> new Message.Ack(id);
                case STATE_REQUEST -> new Message.StateRequest(id);
                case STATE_CHUNK -> new Message.StateChunk(id, readWrites(in, nowMillis, compact));
                case STATE_DONE -> new Message.StateDone(id, in.hasRemaining() ? readDepartures(in) : Map.of());
                case GOSSIP_DIGEST -> new Message.GossipDigest(id, in.getLong(), in.getLong(), readDigests(in, false));
                case GOSSIP_BUCKETS -> new Message.GossipBuckets(id, in.getLong(), in.getLong(), readDigests(in, true));
                case GOSSIP_PULL -> new Message.GossipPull(id, in.getLong(), in.getLong(), readRequests(in));
                case GOSSIP_ENTRIES -> new Message.GossipEntries(id, readWrites(in, nowMillis, compact));
                case GET -> readGet(id, in);
                case INVALIDATE -> {
                    if (id != 0) {
                        throw new MalformedMessageException("an invalidation with id " + id);
                    }
                    yield new Message.Invalidate(readName(in), readKey(in));
                }
                case GET_REPLY -> readGetReply(id, in, nowMillis, compact);
                case ROUTED_WRITES -> new Message.RoutedWrites(id, in.getLong(), readWrites(in, nowMillis, compact));
                case SEGMENT_PULL -> new Message.SegmentPull(id, readSegmentSets(in));
                case SEGMENT_ENTRIES -> new Message.SegmentEntries(id, readWrites(in, nowMillis, compact));
                case SEGMENT_DONE -> new Message.SegmentDone(id, in.getLong());
                case SEGMENTS_HELD -> new Message.SegmentsHeld(id, readSegmentSets(in));
            };
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " trailing bytes");
            }
            return message;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedMessageException("truncated message");
        }
    }

    private static byte[] readKey(ByteBuffer in) {
        int length = in.getInt();
        int start = skip(in, length);
        byte[] key = new byte[length];
        System.arraycopy(in.array(), start, key, 0, length);
        return key;
    }

    private static Message.Get readGet(long id, ByteBuffer in) {
        String cache = readName(in);
        byte[] key = readKey(in);
        long track = in.getLong();
        if (track < 0) {
            throw new MalformedMessageException("negative tracking time " + track);
        }
        return new Message.Get(id, cache, key, track);
    }

    private static Message.GetReply readGetReply(long id, ByteBuffer in, long nowMillis, boolean compact) {
        int holds = in.get();
        if (holds != 0 && holds != 1) {
            throw new MalformedMessageException("bad holds flag " + holds);
        }
        List<Write> writes = readWrites(in, nowMillis, compact);
        if (writes.size() > 1) {
            throw new MalformedMessageException("a read answered with " + writes.size() + " writes");
        }
        return new Message.GetReply(id, holds == 1, writes);
    }

    private static List<Message.SegmentSet> readSegmentSets(ByteBuffer in) {
        int count = count(in, 1 + 8 * Message.SegmentSet.WORDS);
        List<Message.SegmentSet> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int owners = in.get() & 0xFF;
            if (owners == 0) {
                throw new MalformedMessageException("a segment set of 0 owners");
            }
            long[] bits = new long[Message.SegmentSet.WORDS];
            for (int w = 0; w < bits.length; w++) {
                bits[w] = in.getLong();
            }
            sets.add(new Message.SegmentSet(owners, bits));
        }
        return sets;
    }

    private static List<Message.CacheDigest> readDigests(ByteBuffer in, boolean withBuckets) {
        int count = count(in, 19);
        List<Message.CacheDigest> digests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String cache = readName(in);
            long clearTs = in.getLong();
            long clearNode = in.getLong();
            if (!withBuckets) {
                digests.add(new Message.CacheDigest(cache, clearTs, clearNode, in.getLong(), null));
                continue;
            }
            long[] buckets = new long[bucketCount(in, 8)];
            long root = 0;
            for (int b = 0; b < buckets.length; b++) {
                buckets[b] = in.getLong();
                root ^= buckets[b];
            }
            digests.add(new Message.CacheDigest(cache, clearTs, clearNode, root, buckets));
        }
        return digests;
    }

    private static List<Message.BucketRequest> readRequests(ByteBuffer in) {
        int count = count(in, 7);
        List<Message.BucketRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String cache = readName(in);
            int[] buckets = new int[bucketCount(in, 4)];
            for (int b = 0; b < buckets.length; b++) {
                buckets[b] = in.getInt();
                if (buckets[b] < 0 || buckets[b] >= MAX_BUCKETS) {
                    throw new MalformedMessageException("bad bucket index " + buckets[b]);
                }
            }
            requests.add(new Message.BucketRequest(cache, buckets));
        }
        return requests;
    }

    private static Map<String, Long> readDepartures(ByteBuffer in) {
        int count = count(in, 11); // each takes at least 11 bytes
        Map<String, Long> departures = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int nameLength = in.getShort() & 0xFFFF;
            if (nameLength == 0 || nameLength > MAX_NAME_BYTES) {
                throw new MalformedMessageException("bad node name length " + nameLength);
            }
            String node = new String(in.array(), skip(in, nameLength), nameLength, StandardCharsets.UTF_8);
            long ago = in.getLong();
            if (ago < 0) {
                throw new MalformedMessageException("negative departure age " + ago);
            }
            departures.put(node, ago);
        }
        return departures;
    }

    private static List<Write> readWrites(ByteBuffer in, long now, boolean compact) {
        int count = count(in, 17); // each write takes at least 17 bytes (a clear of the previous write's cache)
        List<Write> writes = new ArrayList<>(count);
        String previousCache = null;
        for (int i = 0; i < count; i++) {
            Write write = readOne(in, now, compact, previousCache);
            previousCache = write.cache();
            writes.add(write);
        }
        return writes;
    }

    /** Reads a count and refuses one the rest of the message cannot hold, before anything is allocated. */
    private static int count(ByteBuffer in, int minBytesEach) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / minBytesEach) {
            throw new MalformedMessageException("bad count " + count);
        }
        return count;
    }

    private static int bucketCount(ByteBuffer in, int bytesEach) {
        int n = count(in, bytesEach);
        if (n > MAX_BUCKETS) {
            throw new MalformedMessageException("bad bucket count " + n);
        }
        return n;
    }

    private static String readName(ByteBuffer in) {
        int nameLength = in.getShort() & 0xFFFF;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) {
            throw new MalformedMessageException("bad cache name length " + nameLength);
        }
        return CacheNames.decode(in.array(), skip(in, nameLength), nameLength);
    }

    private static Write readOne(ByteBuffer in, long now, boolean compact, String previousCache) {
        int code = in.get() & 0xFF;
        boolean sameCache = compact && (code & SAME_CACHE) != 0;
        if (sameCache) {
            code &= ~SAME_CACHE;
        }
        Write.Kind kind = Write.Kind.ofCode(code);
        if (kind == null) {
            throw new MalformedMessageException("unknown write kind " + code);
        }
        if (sameCache && previousCache == null) {
            throw new MalformedMessageException("the first write names no cache");
        }
        String cache = sameCache ? previousCache : readName(in);
        int keyLength = kind == Write.Kind.CLEAR ? 0 : in.getInt();
        int keyOffset = kind == Write.Kind.CLEAR ? 0 : skip(in, keyLength);
        long ts = in.getLong();
        long node = in.getLong();
        // Keys and values stay where they are in the message's buffer: the receiver decodes them from there.
        return switch (kind) {
            case CLEAR -> Write.clear(cache, ts, node);
            case EVICT -> Write.evictIn(cache, in.array(), keyOffset, keyLength, ts, node);
            case PUT -> {
                long left = in.getLong();
                int valueLength = in.getInt();
                int valueOffset = skip(in, valueLength);
                long expiresAt = left == 0 ? 0 : left > 0 ? now + left : 1; // 1: long past, but not "never"
                yield Write.putIn(cache, in.array(), keyOffset, keyLength, valueOffset, valueLength, ts, node, expiresAt);
            }
        };
    }

    /** Steps over {@code length} bytes and returns the index in the buffer's array where they start. */
    private static int skip(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new MalformedMessageException("bad length " + length);
        }
        int start = in.arrayOffset() + in.position();
        in.position(in.position() + length);
        return start;
    }
}
