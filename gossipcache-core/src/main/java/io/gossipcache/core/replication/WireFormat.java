package io.gossipcache.core.replication;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of every gossipcache message. Each starts with the format version, so that a node can refuse
 * (and count) a message of a format it does not know instead of misreading it.
 *
 * <pre>
 * message  := version:u8 type:u8 id:i64 body
 * WRITES / STATE_CHUNK body := count:i32 write*
 * write    := kind:u8 cache:utf8 [key:bytes] ts:i64 node:i64 [ttlLeftMs:i64 value:bytes]
 * ACK / STATE_REQUEST / STATE_DONE body := (empty)
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

    /** Message types. */
    public enum Type {
        /** Replicated writes; id &gt; 0 asks the receivers for an {@link #ACK}. */
        WRITES,
        /** Acknowledges the WRITES message with the same id. */
        ACK,
        /** A joiner asks a member for its state; id names the transfer. */
        STATE_REQUEST,
        /** Part of a state transfer. */
        STATE_CHUNK,
        /** The end of a state transfer. */
        STATE_DONE,
        /** Anti-entropy: one root hash per cache. */
        GOSSIP_DIGEST,
        /** Anti-entropy: bucket hashes of the caches whose roots differed. */
        GOSSIP_BUCKETS,
        /** Anti-entropy: asks for the receiver's entries in the differing buckets. */
        GOSSIP_PULL,
        /** Anti-entropy: entries of differing buckets. */
        GOSSIP_ENTRIES;

        private static final Type[] VALUES = values();
    }

    /**
     * A decoded message; fields a type does not use are empty.
     *
     * @param horizon anti-entropy compares writes with versions in ({@code horizon}, {@code cutoff}]
     * @param cutoff  see {@code horizon}
     */
    public record Message(Type type, long id, List<Write> writes, long horizon, long cutoff, List<CacheDigest> digests,
                          List<BucketRequest> requests) {
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
        return length == 10 && buf[offset] == VERSION && buf[offset + 1] == Type.ACK.ordinal();
    }

    /**
     * Whether the bytes look like an anti-entropy message (digest, buckets, pull or entries), judged from the
     * header alone so that a receiver can route it before decoding (decoding still validates it).
     */
    public static boolean isAntiEntropy(byte[] buf, int offset, int length) {
        if (length < 2 || buf[offset] != VERSION) {
            return false;
        }
        int type = buf[offset + 1];
        return type >= Type.GOSSIP_DIGEST.ordinal() && type <= Type.GOSSIP_ENTRIES.ordinal();
    }

    /** Whether an encoded message (see {@link #isAntiEntropy}) carries anti-entropy entries, i.e. writes to apply. */
    public static boolean isAntiEntropyEntries(byte[] buf, int offset, int length) {
        return length >= 2 && buf[offset] == VERSION && buf[offset + 1] == Type.GOSSIP_ENTRIES.ordinal();
    }

    /** Encodes a message with no writes. */
    public static byte[] encode(Type type, long id) {
        return encode(type, id, List.of(), 0);
    }

    /** Encodes a message; expiries are turned into lifetimes left at {@code nowMillis}. */
    public static byte[] encode(Type type, long id, List<Write> writes, long nowMillis) {
        return encode(new Message(type, id, writes, 0, 0, List.of(), List.of()), nowMillis);
    }

    /** Encodes any message; expiries are turned into lifetimes left at {@code nowMillis}. */
    public static byte[] encode(Message m, long nowMillis) {
        int estimate = 16;
        for (Write w : m.writes()) {
            estimate += w.encodedSizeEstimate();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(m.type().ordinal());
            out.writeLong(m.id());
            switch (m.type()) {
                case WRITES, STATE_CHUNK, GOSSIP_ENTRIES -> writeWrites(out, m.writes(), nowMillis);
                case GOSSIP_DIGEST, GOSSIP_BUCKETS -> {
                    out.writeLong(m.horizon());
                    out.writeLong(m.cutoff());
                    out.writeInt(m.digests().size());
                    for (CacheDigest d : m.digests()) {
                        writeName(out, d.cache());
                        out.writeLong(d.clearTimestamp());
                        out.writeLong(d.clearNode());
                        if (m.type() == Type.GOSSIP_DIGEST) {
                            out.writeLong(d.root());
                        } else {
                            out.writeInt(d.buckets().length);
                            for (long b : d.buckets()) {
                                out.writeLong(b);
                            }
                        }
                    }
                }
                case GOSSIP_PULL -> {
                    out.writeLong(m.horizon());
                    out.writeLong(m.cutoff());
                    out.writeInt(m.requests().size());
                    for (BucketRequest r : m.requests()) {
                        writeName(out, r.cache());
                        out.writeInt(r.buckets().length);
                        for (int b : r.buckets()) {
                            out.writeInt(b);
                        }
                    }
                }
                default -> { }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    private static void writeWrites(DataOutputStream out, List<Write> writes, long now) throws IOException {
        out.writeInt(writes.size());
        for (Write w : writes) {
            writeOne(out, w, now);
        }
    }

    private static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static void writeOne(DataOutputStream out, Write w, long now) throws IOException {
        out.writeByte(w.kind().ordinal());
        writeName(out, w.cache());
        if (w.kind() != Write.Kind.CLEAR) {
            out.writeInt(w.key().length);
            out.write(w.key());
        }
        out.writeLong(w.timestamp());
        out.writeLong(w.node());
        if (w.kind() == Write.Kind.PUT) {
            long left = 0;
            if (w.expiresAt() != 0) {
                left = w.expiresAt() - now;
                if (left <= 0) {
                    left = -1;
                }
            }
            out.writeLong(left);
            out.writeInt(w.value().length);
            out.write(w.value());
        }
    }

    /**
     * Decodes a message; lifetimes left become local expiries at {@code nowMillis}.
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
            int typeIndex = in.get();
            if (typeIndex < 0 || typeIndex >= Type.VALUES.length) {
                throw new MalformedMessageException("unknown message type " + typeIndex);
            }
            Type type = Type.VALUES[typeIndex];
            long id = in.getLong();
            List<Write> writes = List.of();
            long horizon = 0;
            long cutoff = 0;
            List<CacheDigest> digests = List.of();
            List<BucketRequest> requests = List.of();
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
                default -> { }
            }
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " trailing bytes");
            }
            return new Message(type, id, writes, horizon, cutoff, digests, requests);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedMessageException("truncated message");
        }
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
        return new String(bytes(in, nameLength), StandardCharsets.UTF_8);
    }

    private static Write readOne(ByteBuffer in, long now) {
        int kindIndex = in.get();
        if (kindIndex < 0 || kindIndex > 2) {
            throw new MalformedMessageException("unknown write kind " + kindIndex);
        }
        Write.Kind kind = Write.Kind.values()[kindIndex];
        String cache = readName(in);
        byte[] key = kind == Write.Kind.CLEAR ? null : bytes(in, in.getInt());
        long ts = in.getLong();
        long node = in.getLong();
        return switch (kind) {
            case CLEAR -> Write.clear(cache, ts, node);
            case EVICT -> Write.evict(cache, key, ts, node);
            case PUT -> {
                long left = in.getLong();
                byte[] value = bytes(in, in.getInt());
                long expiresAt = left == 0 ? 0 : left > 0 ? now + left : 1; // 1: long past, but not "never"
                yield Write.put(cache, key, value, ts, node, expiresAt);
            }
        };
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new MalformedMessageException("bad length " + length);
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
