package io.gossipcache.core.replication;

import io.gossipcache.core.cluster.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes of every gossipcache message. Each starts with its format, so that a node can refuse (and count) a
 * message of a format it does not read instead of misreading it. A format belongs to a protocol version
 * ({@link ProtocolVersion}): format 1 is protocol 1.0, format 2 is protocol 1.1; a sender picks the format of the
 * lowest version among its receivers ({@code Transport.protocolFor}).
 *
 * <pre>
 * message  := format:u8 type:u8 id:i64 body
 * WRITES / STATE_CHUNK body := count:i32 write*
 * write    := kind:u8 cache:utf8 [key:bytes] ts:i64 node:i64 [ttlLeftMs:i64 value:bytes]     (format 1)
 * write    := kind:u8 [cache:utf8] [key:bytes] ts:i64 node:i64 [ttlLeftMs:i64 value:bytes]   (format 2: the kind's
 *             bit 0x80 says "the previous write's cache" and the name is left out)
 * ACK / STATE_REQUEST body := (empty)
 * STATE_DONE body    := [count:i32 (node:utf8 agoMs:i64)*]   the provider's departures (empty body: none)
 * GOSSIP_DIGEST body  := horizon:i64 cutoff:i64 count:i32 (cache:utf8 clearTs:i64 clearNode:i64 root:i64)*
 * GOSSIP_BUCKETS body := horizon:i64 cutoff:i64 count:i32 (cache:utf8 clearTs:i64 clearNode:i64 n:i32 bucket:i64{n})*
 * GOSSIP_PULL body    := horizon:i64 cutoff:i64 count:i32 (cache:utf8 n:i32 index:i32{n})*
 * GOSSIP_ENTRIES body := as WRITES
 * GET body            := cache:utf8 key:bytes trackMs:i64                      (protocol 1.3, as the types below)
 * INVALIDATE body     := cache:utf8 key:bytes
 * ROUTED_WRITES body  := viewId:i64 count:i32 write*
 * GET_REPLY body      := holds:u8 count:i32 write{0,1}
 * SEGMENT_PULL / SEGMENTS_HELD body := count:i32 (owners:u8 bits:i64{4})*
 * SEGMENT_ENTRIES body := as WRITES
 * SEGMENT_DONE body   := entries:i64
 * bytes    := length:i32 byte*
 * </pre>
 * A put's expiry travels as the lifetime left at send time (0 = never, negative = already expired), so
 * clock skew between members does not move it.
 */
public final class WireFormat {

    /** The format of protocol 1.0. */
    public static final byte FORMAT_1 = 1;

    /** The format of protocol 1.1. */
    public static final byte FORMAT_2 = 2;

    /** In format 2, set in a write's kind byte when its cache is the previous write's (the name is left out). */
    static final int SAME_CACHE = 0x80;

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
        GOSSIP_ENTRIES(8, true),
        /** Reads one key of a partitioned cache from an owner (protocol 1.3). */
        GET(9),
        /** Answers a {@link #GET} with the same id. */
        GET_REPLY(10),
        /** A new owner asks for the receiver's entries of some segments (protocol 1.3). */
        SEGMENT_PULL(11),
        /** Entries answering a {@link #SEGMENT_PULL}. */
        SEGMENT_ENTRIES(12),
        /** The end of the answer to a {@link #SEGMENT_PULL}. */
        SEGMENT_DONE(13),
        /** The segments a member holds in a view (protocol 1.3). */
        SEGMENTS_HELD(14),
        /** A key a reader keeps in its near cache changed (protocol 1.3). */
        INVALIDATE(15),
        /** Writes of partitioned caches to their owners, with the sender's view (protocol 1.3). */
        ROUTED_WRITES(16);

        private static final Type[] BY_CODE = new Type[17];

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

    /** Most buckets in one cache's digest or pull. */
    static final int MAX_BUCKETS = 1 << 16;

    /** Longest cache or node name, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 1024;

    private WireFormat() {
    }

    /** The format a protocol version writes (and the newest it reads). */
    public static byte format(ProtocolVersion version) {
        if (version.equals(ProtocolVersion.V1_0)) {
            return FORMAT_1;
        }
        if (version.equals(ProtocolVersion.V1_1) || version.equals(ProtocolVersion.V1_2)
                || version.equals(ProtocolVersion.V1_3)) {
            // 1.2 changed what keys and values may hold; 1.3 added message types, sent only when every member reads
            // them (partitioned caches): the format of the messages they share did not change
            return FORMAT_2;
        }
        throw new IllegalArgumentException("this release does not speak protocol " + version);
    }

    private static boolean isFormat(byte b) {
        return b == FORMAT_1 || b == FORMAT_2;
    }

    /** Whether the bytes look like an acknowledgement (decoding still validates them). */
    public static boolean isAck(byte[] buf, int offset, int length) {
        return length == 10 && isFormat(buf[offset]) && buf[offset + 1] == Type.ACK.code();
    }

    /**
     * Whether the bytes look like an anti-entropy message (digest, buckets, pull or entries), judged from the
     * header alone so that a receiver can route it before decoding (decoding still validates it).
     */
    public static boolean isAntiEntropy(byte[] buf, int offset, int length) {
        if (length < 2 || !isFormat(buf[offset])) {
            return false;
        }
        Type type = Type.ofCode(buf[offset + 1]);
        return type != null && type.isAntiEntropy();
    }

    /** Whether an encoded message (see {@link #isAntiEntropy}) carries anti-entropy entries, i.e. writes to apply. */
    public static boolean isAntiEntropyEntries(byte[] buf, int offset, int length) {
        return length >= 2 && isFormat(buf[offset]) && buf[offset + 1] == Type.GOSSIP_ENTRIES.code();
    }

    /** Whether the bytes look like the answer to a read (decoding still validates them). */
    public static boolean isGetReply(byte[] buf, int offset, int length) {
        return length >= 15 && isFormat(buf[offset]) && buf[offset + 1] == Type.GET_REPLY.code();
    }

    /** Whether the bytes look like a near cache's invalidation (decoding still validates them). */
    public static boolean isInvalidate(byte[] buf, int offset, int length) {
        return length >= 16 && isFormat(buf[offset]) && buf[offset + 1] == Type.INVALIDATE.code();
    }

    /** Encodes a message in the current protocol's format (see {@link #encode(Message, long, ProtocolVersion)}). */
    public static byte[] encode(Message m, long nowMillis) {
        return encode(m, nowMillis, ProtocolVersion.CURRENT);
    }

    /**
     * Encodes a message in the format of {@code version}; expiries are turned into lifetimes left at
     * {@code nowMillis}. The message is written straight into an array of its exact size: this runs once per batch
     * on the replication path.
     */
    public static byte[] encode(Message m, long nowMillis, ProtocolVersion version) {
        byte format = format(version);
        ByteBuffer out = ByteBuffer.allocate(encodedSize(m, format));
        out.put(format);
        out.put(m.type().code());
        out.putLong(m.id());
        if (m instanceof Message.GetReply reply) {
            out.put((byte) (reply.holds() ? 1 : 0));
        }
        if (m instanceof Message.RoutedWrites routed) {
            out.putLong(routed.viewId());
        }
        if (m instanceof Message.CarriesWrites carrier) {
            out.putInt(carrier.writes().size());
            String previousCache = null;
            for (Write w : carrier.writes()) {
                boolean sameCache = format >= FORMAT_2 && w.cache().equals(previousCache);
                writeOne(out, w, nowMillis, sameCache);
                previousCache = w.cache();
            }
        } else if (m instanceof Message.GossipDigest digest) {
            writeDigests(out, digest.horizon(), digest.cutoff(), digest.digests(), false);
        } else if (m instanceof Message.GossipBuckets buckets) {
            writeDigests(out, buckets.horizon(), buckets.cutoff(), buckets.digests(), true);
        } else if (m instanceof Message.GossipPull pull) {
            out.putLong(pull.horizon());
            out.putLong(pull.cutoff());
            out.putInt(pull.requests().size());
            for (Message.BucketRequest r : pull.requests()) {
                writeName(out, r.cache());
                out.putInt(r.buckets().length);
                for (int b : r.buckets()) {
                    out.putInt(b);
                }
            }
        } else if (m instanceof Message.Get get) {
            writeName(out, get.cache());
            out.putInt(get.key().length);
            out.put(get.key());
            out.putLong(get.trackMillis());
        } else if (m instanceof Message.Invalidate invalidate) {
            writeName(out, invalidate.cache());
            out.putInt(invalidate.key().length);
            out.put(invalidate.key());
        } else if (m instanceof Message.SegmentPull pull) {
            writeSegmentSets(out, pull.segments());
        } else if (m instanceof Message.SegmentsHeld held) {
            writeSegmentSets(out, held.segments());
        } else if (m instanceof Message.SegmentDone done) {
            out.putLong(done.entries());
        } else if (m instanceof Message.StateDone done) {
            out.putInt(done.departures().size());
            done.departures().forEach((node, ago) -> {
                byte[] name = node.getBytes(StandardCharsets.UTF_8);
                if (name.length == 0 || name.length > MAX_NAME_BYTES || ago < 0) {
                    throw new IllegalArgumentException("departure not encodable: '" + node + "' " + ago + " ms");
                }
                out.putShort((short) name.length);
                out.put(name);
                out.putLong(ago);
            });
        }
        return out.array();
    }

    private static void writeSegmentSets(ByteBuffer out, List<Message.SegmentSet> sets) {
        out.putInt(sets.size());
        for (Message.SegmentSet set : sets) {
            out.put((byte) set.owners());
            for (long word : set.bits()) {
                out.putLong(word);
            }
        }
    }

    private static void writeDigests(ByteBuffer out, long horizon, long cutoff, List<Message.CacheDigest> digests,
                                     boolean withBuckets) {
        out.putLong(horizon);
        out.putLong(cutoff);
        out.putInt(digests.size());
        for (Message.CacheDigest d : digests) {
            writeName(out, d.cache());
            out.putLong(d.clearTimestamp());
            out.putLong(d.clearNode());
            if (withBuckets) {
                out.putInt(d.buckets().length);
                for (long b : d.buckets()) {
                    out.putLong(b);
                }
            } else {
                out.putLong(d.root());
            }
        }
    }

    private static int encodedSize(Message m, byte format) {
        int size = 10; // format, type, id
        if (m instanceof Message.GetReply) {
            size += 1;
        }
        if (m instanceof Message.RoutedWrites) {
            size += 8;
        }
        if (m instanceof Message.CarriesWrites carrier) {
            size += 4;
            String previousCache = null;
            for (Write w : carrier.writes()) {
                boolean sameCache = format >= FORMAT_2 && w.cache().equals(previousCache);
                previousCache = w.cache();
                size += 1 + (sameCache ? 0 : nameSize(w.cache())) + 16;
                if (w.kind() != Write.Kind.CLEAR) {
                    size += 4 + w.keyLength();
                }
                if (w.kind() == Write.Kind.PUT) {
                    size += 12 + w.valueLength();
                }
            }
        } else if (m instanceof Message.GossipDigest digest) {
            size += 20;
            for (Message.CacheDigest d : digest.digests()) {
                size += nameSize(d.cache()) + 16 + 8;
            }
        } else if (m instanceof Message.GossipBuckets buckets) {
            size += 20;
            for (Message.CacheDigest d : buckets.digests()) {
                size += nameSize(d.cache()) + 16 + 4 + 8 * d.buckets().length;
            }
        } else if (m instanceof Message.GossipPull pull) {
            size += 20;
            for (Message.BucketRequest r : pull.requests()) {
                size += nameSize(r.cache()) + 4 + 4 * r.buckets().length;
            }
        } else if (m instanceof Message.Get get) {
            size += nameSize(get.cache()) + 4 + get.key().length + 8;
        } else if (m instanceof Message.Invalidate invalidate) {
            size += nameSize(invalidate.cache()) + 4 + invalidate.key().length;
        } else if (m instanceof Message.SegmentPull pull) {
            size += segmentSetsSize(pull.segments());
        } else if (m instanceof Message.SegmentsHeld held) {
            size += segmentSetsSize(held.segments());
        } else if (m instanceof Message.SegmentDone) {
            size += 8;
        } else if (m instanceof Message.StateDone done) {
            size += 4;
            for (String node : done.departures().keySet()) {
                size += 2 + node.getBytes(StandardCharsets.UTF_8).length + 8;
            }
        }
        return size;
    }

    private static int segmentSetsSize(List<Message.SegmentSet> sets) {
        int size = 4;
        for (Message.SegmentSet set : sets) {
            size += 1 + 8 * Message.SegmentSet.WORDS;
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

    private static void writeOne(ByteBuffer out, Write w, long now, boolean sameCache) {
        if (sameCache) {
            out.put((byte) (w.kind().code() | SAME_CACHE));
        } else {
            out.put(w.kind().code());
            writeName(out, w.cache());
        }
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
     * @throws MalformedMessageException for anything that is not a complete, well-formed message of a format up to
     *                                   {@code reader}'s
     */
    public static Message decode(byte[] buf, int offset, int length, long nowMillis, ProtocolVersion reader) {
        return WireDecoder.decode(buf, offset, length, nowMillis, format(reader));
    }

    /** Decodes a message of any format this release reads (see the method above). */
    public static Message decode(byte[] buf, int offset, int length, long nowMillis) {
        return decode(buf, offset, length, nowMillis, ProtocolVersion.CURRENT);
    }
}
