package io.gossipcache.core.replication;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of every gossipcache message. Each starts with the format version, so that a node can refuse
 * (and count) a message of a format it does not know instead of misreading it.
 *
 * <pre>
 * message  := version:u8 type:u8 id:i64 body
 * WRITES / STATE_CHUNK body := count:i32 write*
 * write    := kind:u8 cache:utf8 [key:bytes] ts:i64 node:i64 [ttlLeftMs:i64 value:bytes]
 * ACK / STATE_REQUEST body := (empty)
 * STATE_DONE body    := [count:i32 (node:utf8 agoMs:i64)*]   the provider's departures (empty body: none)
 * GOSSIP_DIGEST body  := horizon:i64 cutoff:i64 count:i32 (cache:utf8 clearTs:i64 clearNode:i64 root:i64)*
 * GOSSIP_BUCKETS body := horizon:i64 cutoff:i64 count:i32 (cache:utf8 clearTs:i64 clearNode:i64 n:i32 bucket:i64{n})*
 * GOSSIP_PULL body    := horizon:i64 cutoff:i64 count:i32 (cache:utf8 n:i32 index:i32{n})*
 * GOSSIP_ENTRIES body := as WRITES
 * bytes    := length:i32 byte*
 * </pre>
 * A put's expiry travels as the lifetime left at send time (0 = never, negative = already expired), so
 * clock skew between members does not move it.
 */
public final class WireFormat {

    /** The format this release writes and reads. */
    public static final byte VERSION = 1;

    /**
     * Message types, each with its wire code. The code, not the constant's position, is the protocol: a new type
     * takes a new code, and a code is never reused.
     */
    public enum Type {
        /** Replicated writes; id &gt; 0 asks the receivers for an {@link #ACK}. */
        WRITES(0),
        /** Acknowledges the WRITES message with the same id. */
        ACK(1),
        /** A joiner asks a member for its state; id names the transfer. */
        STATE_REQUEST(2),
        /** Part of a state transfer. */
        STATE_CHUNK(3),
        /** The end of a state transfer. */
        STATE_DONE(4),
        /** Anti-entropy: one root hash per cache. */
        GOSSIP_DIGEST(5, true),
        /** Anti-entropy: bucket hashes of the caches whose roots differed. */
        GOSSIP_BUCKETS(6, true),
        /** Anti-entropy: asks for the receiver's entries in the differing buckets. */
        GOSSIP_PULL(7, true),
        /** Anti-entropy: entries of differing buckets. */
        GOSSIP_ENTRIES(8, true);

        private static final Type[] BY_CODE = new Type[9];

        static {
            for (Type type : values()) {
                if (BY_CODE[type.code] != null) {
                    throw new IllegalStateException("wire code " + type.code + " used twice");
                }
                BY_CODE[type.code] = type;
            }
        }

        private final byte code;
        private final boolean antiEntropy;

        Type(int code) {
            this(code, false);
        }

        Type(int code, boolean antiEntropy) {
            this.code = (byte) code;
            this.antiEntropy = antiEntropy;
        }

        /** The byte that names this type on the wire. */
        public byte code() {
            return code;
        }

        /** Whether the anti-entropy thread handles it (routing before decoding). */
        public boolean isAntiEntropy() {
            return antiEntropy;
        }

        /** The type with this wire code, or {@code null} for a code no type has. */
        static Type ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /**
     * A decoded message; fields a type does not use are empty.
     *
     * @param horizon    anti-entropy compares writes with versions in ({@code horizon}, {@code cutoff}]
     * @param cutoff     see {@code horizon}
     * @param departures STATE_DONE: for each member (by node name) that the provider saw leave and not come back,
     *                   how many milliseconds ago it was last in the provider's view
     */
    public record Message(Type type, long id, List<Write> writes, long horizon, long cutoff, List<CacheDigest> digests,
                          List<BucketRequest> requests, Map<String, Long> departures) {

        /** A message of any type but STATE_DONE with departures. */
        public Message(Type type, long id, List<Write> writes, long horizon, long cutoff, List<CacheDigest> digests,
                       List<BucketRequest> requests) {
            this(type, id, writes, horizon, cutoff, digests, requests, Map.of());
        }

        /** The end of a state transfer, with the provider's departures. */
        public static Message stateDone(long id, Map<String, Long> departures) {
            return new Message(Type.STATE_DONE, id, List.of(), 0, 0, List.of(), List.of(), departures);
        }
    }

    /**
     * One cache's digest: its clear version and either only the root hash or every bucket hash.
     *
     * @param buckets bucket hashes, or {@code null} in a root-only digest
     */
    public record CacheDigest(String cache, long clearTimestamp, long clearNode, long root, long[] buckets) {
    }

    /** Buckets of one cache whose entries the sender asks for. */
    public record BucketRequest(String cache, int[] buckets) {
    }

    private static final int MAX_BUCKETS = 1 << 16;

    private static final int MAX_NAME_BYTES = 1024;

    private WireFormat() {
    }

    /** Whether the bytes look like an acknowledgement (decoding still validates them). */
    public static boolean isAck(byte[] buf, int offset, int length) {
        return length == 10 && buf[offset] == VERSION && buf[offset + 1] == Type.ACK.code();
    }

    /**
     * Whether the bytes look like an anti-entropy message (digest, buckets, pull or entries), judged from the
     * header alone so that a receiver can route it before decoding (decoding still validates it).
     */
    public static boolean isAntiEntropy(byte[] buf, int offset, int length) {
        if (length < 2 || buf[offset] != VERSION) {
            return false;
        }
        Type type = Type.ofCode(buf[offset + 1]);
        return type != null && type.isAntiEntropy();
    }

    /** Whether an encoded message (see {@link #isAntiEntropy}) carries anti-entropy entries, i.e. writes to apply. */
    public static boolean isAntiEntropyEntries(byte[] buf, int offset, int length) {
        return length >= 2 && buf[offset] == VERSION && buf[offset + 1] == Type.GOSSIP_ENTRIES.code();
    }

    /** Encodes a message with no writes. */
    public static byte[] encode(Type type, long id) {
        return encode(type, id, List.of(), 0);
    }

    /** Encodes a message; expiries are turned into lifetimes left at {@code nowMillis}. */
    public static byte[] encode(Type type, long id, List<Write> writes, long nowMillis) {
        return encode(new Message(type, id, writes, 0, 0, List.of(), List.of()), nowMillis);
    }

    /**
     * Encodes any message; expiries are turned into lifetimes left at {@code nowMillis}. The message is written
     * straight into an array of its exact size: this runs once per batch on the replication path.
     */
    public static byte[] encode(Message m, long nowMillis) {
        ByteBuffer out = ByteBuffer.allocate(encodedSize(m));
        out.put(VERSION);
        out.put(m.type().code());
        out.putLong(m.id());
        switch (m.type()) {
            case WRITES, STATE_CHUNK, GOSSIP_ENTRIES -> {
                out.putInt(m.writes().size());
                for (Write w : m.writes()) {
                    writeOne(out, w, nowMillis);
                }
            }
            case GOSSIP_DIGEST, GOSSIP_BUCKETS -> {
                out.putLong(m.horizon());
                out.putLong(m.cutoff());
                out.putInt(m.digests().size());
                for (CacheDigest d : m.digests()) {
                    writeName(out, d.cache());
                    out.putLong(d.clearTimestamp());
                    out.putLong(d.clearNode());
                    if (m.type() == Type.GOSSIP_DIGEST) {
                        out.putLong(d.root());
                    } else {
                        out.putInt(d.buckets().length);
                        for (long b : d.buckets()) {
                            out.putLong(b);
                        }
                    }
                }
            }
            case STATE_DONE -> {
                out.putInt(m.departures().size());
                m.departures().forEach((node, ago) -> {
                    byte[] name = node.getBytes(StandardCharsets.UTF_8);
                    if (name.length == 0 || name.length > MAX_NAME_BYTES || ago < 0) {
                        throw new IllegalArgumentException("departure not encodable: '" + node + "' " + ago + " ms");
                    }
                    out.putShort((short) name.length);
                    out.put(name);
                    out.putLong(ago);
                });
            }
            case GOSSIP_PULL -> {
                out.putLong(m.horizon());
                out.putLong(m.cutoff());
                out.putInt(m.requests().size());
                for (BucketRequest r : m.requests()) {
                    writeName(out, r.cache());
                    out.putInt(r.buckets().length);
                    for (int b : r.buckets()) {
                        out.putInt(b);
                    }
                }
            }
            default -> { }
        }
        return out.array();
    }

    private static int encodedSize(Message m) {
        int size = 10; // version, type, id
        switch (m.type()) {
            case WRITES, STATE_CHUNK, GOSSIP_ENTRIES -> {
                size += 4;
                for (Write w : m.writes()) {
                    size += 1 + nameSize(w.cache()) + 16;
                    if (w.kind() != Write.Kind.CLEAR) {
                        size += 4 + w.keyLength();
                    }
                    if (w.kind() == Write.Kind.PUT) {
                        size += 12 + w.valueLength();
                    }
                }
            }
            case GOSSIP_DIGEST, GOSSIP_BUCKETS -> {
                size += 20;
                for (CacheDigest d : m.digests()) {
                    size += nameSize(d.cache()) + 16 + (m.type() == Type.GOSSIP_DIGEST ? 8 : 4 + 8 * d.buckets().length);
                }
            }
            case GOSSIP_PULL -> {
                size += 20;
                for (BucketRequest r : m.requests()) {
                    size += nameSize(r.cache()) + 4 + 4 * r.buckets().length;
                }
            }
            case STATE_DONE -> {
                size += 4;
                for (String node : m.departures().keySet()) {
                    size += 2 + node.getBytes(StandardCharsets.UTF_8).length + 8;
                }
            }
            default -> { }
        }
        return size;
    }

    private static int nameSize(String name) {
        return 2 + CacheNames.utf8(name).length;
    }

    private static void writeName(ByteBuffer out, String name) {
        byte[] bytes = CacheNames.utf8(name);
        out.putShort((short) bytes.length);
        out.put(bytes);
    }

    private static void writeOne(ByteBuffer out, Write w, long now) {
        out.put(w.kind().code());
        writeName(out, w.cache());
        if (w.kind() != Write.Kind.CLEAR) {
            out.putInt(w.keyLength());
            out.put(w.keyArray(), w.keyOffset(), w.keyLength());
        }
        out.putLong(w.timestamp());
        out.putLong(w.node());
        if (w.kind() == Write.Kind.PUT) {
            long left = 0;
            if (w.expiresAt() != 0) {
                left = w.expiresAt() - now;
                if (left <= 0) {
                    left = -1;
                }
            }
            out.putLong(left);
            out.putInt(w.valueLength());
            out.put(w.valueArray(), w.valueOffset(), w.valueLength());
        }
    }

    /**
     * Decodes a message; lifetimes left become local expiries at {@code nowMillis}. The keys and values of the
     * decoded writes are ranges of {@code buf}, which must therefore not change while they are in use.
     *
     * @throws MalformedMessageException for anything that is not a complete, well-formed message of this format
     */
    public static Message decode(byte[] buf, int offset, int length, long nowMillis) {
        try {
            ByteBuffer in = ByteBuffer.wrap(buf, offset, length);
            byte version = in.get();
            if (version != VERSION) {
                throw new MalformedMessageException("unsupported format version " + version + " (this node reads " + VERSION + ")");
            }
            int code = in.get();
            Type type = Type.ofCode(code);
            if (type == null) {
                throw new MalformedMessageException("unknown message type " + code);
            }
            long id = in.getLong();
            List<Write> writes = List.of();
            long horizon = 0;
            long cutoff = 0;
            List<CacheDigest> digests = List.of();
            List<BucketRequest> requests = List.of();
            Map<String, Long> departures = Map.of();
            switch (type) {
                case WRITES, STATE_CHUNK, GOSSIP_ENTRIES -> writes = readWrites(in, nowMillis);
                case GOSSIP_DIGEST, GOSSIP_BUCKETS -> {
                    horizon = in.getLong();
                    cutoff = in.getLong();
                    int count = count(in, 19);
                    digests = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        String cache = readName(in);
                        long clearTs = in.getLong();
                        long clearNode = in.getLong();
                        if (type == Type.GOSSIP_DIGEST) {
                            digests.add(new CacheDigest(cache, clearTs, clearNode, in.getLong(), null));
                        } else {
                            long[] buckets = new long[bucketCount(in, 8)];
                            long root = 0;
                            for (int b = 0; b < buckets.length; b++) {
                                buckets[b] = in.getLong();
                                root ^= buckets[b];
                            }
                            digests.add(new CacheDigest(cache, clearTs, clearNode, root, buckets));
                        }
                    }
                }
                case GOSSIP_PULL -> {
                    horizon = in.getLong();
                    cutoff = in.getLong();
                    int count = count(in, 7);
                    requests = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        String cache = readName(in);
                        int[] buckets = new int[bucketCount(in, 4)];
                        for (int b = 0; b < buckets.length; b++) {
                            buckets[b] = in.getInt();
                            if (buckets[b] < 0 || buckets[b] >= MAX_BUCKETS) {
                                throw new MalformedMessageException("bad bucket index " + buckets[b]);
                            }
                        }
                        requests.add(new BucketRequest(cache, buckets));
                    }
                }
                case STATE_DONE -> departures = in.hasRemaining() ? readDepartures(in) : Map.of();
                default -> { }
            }
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " trailing bytes");
            }
            return new Message(type, id, writes, horizon, cutoff, digests, requests, departures);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedMessageException("truncated message");
        }
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

    private static List<Write> readWrites(ByteBuffer in, long now) {
        int count = count(in, 19); // each write takes at least 19 bytes
        List<Write> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            writes.add(readOne(in, now));
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

    private static Write readOne(ByteBuffer in, long now) {
        int code = in.get();
        Write.Kind kind = Write.Kind.ofCode(code);
        if (kind == null) {
            throw new MalformedMessageException("unknown write kind " + code);
        }
        String cache = readName(in);
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
