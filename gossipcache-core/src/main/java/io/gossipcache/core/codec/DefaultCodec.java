package io.gossipcache.core.codec;

import io.gossipcache.core.store.KeyHasher;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The default codec: compact encodings for the most common key and value types ({@link String}, {@link Long},
 * {@link Integer}, {@code byte[]}); any other object in its {@link ObjectFormat} (Apache Fory or Java serialization);
 * and on the way in an {@link AllowList} that decides which classes may be read.
 *
 * <p>The first byte of every encoding is a type tag, so that a later release can add encodings and refuse unknown ones
 * cleanly. A codec reads every tag whatever format it writes: members whose formats differ read each other.
 *
 * <p>Keys: equal keys must give equal bytes on every member, since every member hashes the bytes of a key it receives
 * and anti-entropy compares those hashes. A key codec ({@link #forKeys()}) therefore picks the encoding from the key
 * alone: a {@link Serializable} key is written with Java serialization whatever the format (as every earlier release
 * wrote it), and Fory writes only keys that Java serialization cannot.
 */
public final class DefaultCodec implements Codec {

    /** What an application that configures nothing writes its objects in. */
    public static final ObjectFormat DEFAULT_FORMAT = ObjectFormat.FORY;

    static final byte STRING = 1;
    static final byte LONG = 2;
    static final byte INTEGER = 3;
    private static final byte BYTES = 4;
    private static final byte JAVA = 9;
    private static final byte FORY = 10;

    private final AllowList allowList;
    private final ObjectFormat format;
    private final boolean keys;
    private final JavaObjects java;
    private final ForyObjects fory;

    /** A codec in the {@link #DEFAULT_FORMAT} that reads JDK value types only. */
    public DefaultCodec() {
        this(AllowList.jdkOnly());
    }

    /** A codec in the {@link #DEFAULT_FORMAT}. */
    public DefaultCodec(AllowList allowList) {
        this(allowList, defaultClassLoader());
    }

    /**
     * A codec in the {@link #DEFAULT_FORMAT}.
     *
     * @param classLoader loads the application classes named in encoded data (after the allow-list accepted them)
     */
    public DefaultCodec(AllowList allowList, ClassLoader classLoader) {
        this(allowList, classLoader, DEFAULT_FORMAT);
    }

    /**
     * @param classLoader loads the application classes named in encoded data (after the allow-list accepted them)
     * @param format      how objects without a compact encoding are written
     */
    public DefaultCodec(AllowList allowList, ClassLoader classLoader, ObjectFormat format) {
        this(Objects.requireNonNull(allowList, "allowList"), Objects.requireNonNull(format, "format"), false,
                new JavaObjects(allowList, Objects.requireNonNull(classLoader, "classLoader")),
                new ForyObjects(allowList, classLoader));
    }

    private DefaultCodec(AllowList allowList, ObjectFormat format, boolean keys, JavaObjects java, ForyObjects fory) {
        this.allowList = allowList;
        this.format = format;
        this.keys = keys;
        this.java = java;
        this.fory = fory;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DefaultCodec.class.getClassLoader();
    }

    /** This codec, writing objects in {@code objectFormat} (the same allow-list and class loader). */
    public DefaultCodec writing(ObjectFormat objectFormat) {
        return objectFormat == format ? this : new DefaultCodec(allowList, objectFormat, keys, java, fory);
    }

    /** This codec for keys: a {@link Serializable} key is written with Java serialization in every format. */
    public DefaultCodec forKeys() {
        return keys ? this : new DefaultCodec(allowList, format, true, java, fory);
    }

    /** How this codec writes objects without a compact encoding. */
    public ObjectFormat format() {
        return format;
    }

    /**
     * Computes the {@link io.gossipcache.core.store.KeyHash} of this codec's encoding of a String, Long or Integer
     * key without encoding it.
     */
    public KeyHasher keyHasher() {
        return DefaultKeyHasher.INSTANCE;
    }

    public AllowList allowList() {
        return allowList;
    }

    @Override
    public byte[] encode(Object value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof String s) {
            return tagged(STRING, s.getBytes(StandardCharsets.UTF_8));
        }
        if (value instanceof Long l) {
            return longBytes(LONG, l);
        }
        if (value instanceof Integer i) {
            return longBytes(INTEGER, i);
        }
        if (value instanceof byte[] b) {
            return tagged(BYTES, b);
        }
        if (format == ObjectFormat.JAVA) {
            return java.encode(JAVA, value);
        }
        if (keys && value instanceof Serializable) {
            try {
                return java.encode(JAVA, value);
            } catch (NotSerializableValueException e) {
                // a part is not Serializable: Fory, which every member picks for this key as well
            }
        }
        return fory.encode(FORY, value);
    }

    private static byte[] tagged(byte tag, byte[] payload) {
        byte[] out = new byte[payload.length + 1];
        out[0] = tag;
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    private static byte[] longBytes(byte tag, long v) {
        byte[] out = new byte[9];
        out[0] = tag;
        for (int i = 8; i >= 1; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    @Override
    public Object decode(byte[] bytes, int offset, int length) {
        if (length < 1 || offset < 0 || offset + length > bytes.length) {
            throw new CodecException("Empty or out-of-range encoded value");
        }
        byte tag = bytes[offset];
        int start = offset + 1;
        int size = length - 1;
        return switch (tag) {
            case STRING -> new String(bytes, start, size, StandardCharsets.UTF_8);
            case LONG -> readLong(bytes, start, size);
            case INTEGER -> readInt(bytes, start, size);
            case BYTES -> Arrays.copyOfRange(bytes, start, start + size);
            case JAVA -> java.decode(bytes, start, size);
            case FORY -> fory.decode(bytes, start, size);
            default -> throw new CodecException("Unknown value encoding tag " + tag);
        };
    }

    private static int readInt(byte[] bytes, int start, int size) {
        long v = readLong(bytes, start, size);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CodecException("Malformed integer: " + v + " is out of range");
        }
        return (int) v;
    }

    private static long readLong(byte[] bytes, int start, int size) {
        if (size != 8) {
            throw new CodecException("Malformed number: " + size + " bytes");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[start + i] & 0xFF);
        }
        return v;
    }
}
