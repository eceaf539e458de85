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
        STATE_DONE;

        private static final Type[] VALUES = values();
    }

    /** A decoded message. */
    public record Message(Type type, long id, List<Write> writes) {
    }

    private static final int MAX_NAME_BYTES = 1024;

    private WireFormat() {
    }

    /** Whether the bytes look like an acknowledgement (decoding still validates them). */
    public static boolean isAck(byte[] buf, int offset, int length) {
        return length == 10 && buf[offset] == VERSION && buf[offset + 1] == Type.ACK.ordinal();
    }

    /** Encodes a message with no writes. */
    public static byte[] encode(Type type, long id) {
        return encode(type, id, List.of(), 0);
    }

    /** Encodes a message; expiries are turned into lifetimes left at {@code nowMillis}. */
    public static byte[] encode(Type type, long id, List<Write> writes, long nowMillis) {
        int estimate = 16;
        for (Write w : writes) {
            estimate += w.encodedSizeEstimate();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(type.ordinal());
            out.writeLong(id);
            if (type == Type.WRITES || type == Type.STATE_CHUNK) {
                out.writeInt(writes.size());
                for (Write w : writes) {
                    writeOne(out, w, nowMillis);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    private static void writeOne(DataOutputStream out, Write w, long now) throws IOException {
        out.writeByte(w.kind().ordinal());
        byte[] name = w.cache().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
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
            if (type == Type.WRITES || type == Type.STATE_CHUNK) {
                int count = in.getInt();
                // each write takes at least 19 bytes: refuse counts the message cannot hold before allocating
                if (count < 0 || count > in.remaining() / 19) {
                    throw new MalformedMessageException("bad write count " + count);
                }
                writes = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    writes.add(readOne(in, nowMillis));
                }
            }
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " trailing bytes");
            }
            return new Message(type, id, writes);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedMessageException("truncated message");
        }
    }

    private static Write readOne(ByteBuffer in, long now) {
        int kindIndex = in.get();
        if (kindIndex < 0 || kindIndex > 2) {
            throw new MalformedMessageException("unknown write kind " + kindIndex);
        }
        Write.Kind kind = Write.Kind.values()[kindIndex];
        int nameLength = in.getShort() & 0xFFFF;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) {
            throw new MalformedMessageException("bad cache name length " + nameLength);
        }
        String cache = new String(bytes(in, nameLength), StandardCharsets.UTF_8);
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
