package io.gossipcache.core.codec;

import io.gossipcache.core.store.KeyHasher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The default codec: compact encodings for the most common key and value types ({@link String},
 * {@link Long}, {@link Integer}, {@code byte[]}), Java serialization for any other {@link java.io.Serializable},
 * and on the way in an {@link AllowList} that decides which classes may be deserialized.
 *
 * <p>The first byte of every encoding is a type tag, so that a later release can add encodings and refuse
 * unknown ones cleanly.
 */
public final class DefaultCodec implements Codec {

    static final byte STRING = 1;
    static final byte LONG = 2;
    static final byte INTEGER = 3;
    private static final byte BYTES = 4;
    private static final byte JAVA = 9;

    private final AllowList allowList;
    private final ClassLoader classLoader;

    /** A codec that deserializes JDK value types only. */
    public DefaultCodec() {
        this(AllowList.jdkOnly());
    }

    public DefaultCodec(AllowList allowList) {
        this(allowList, defaultClassLoader());
    }

    /**
     * @param classLoader loads the application classes named in serialized data (after the allow-list
     *                    accepted them)
     */
    public DefaultCodec(AllowList allowList, ClassLoader classLoader) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DefaultCodec.class.getClassLoader();
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
        return javaSerialize(value);
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

    private byte[] javaSerialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        bytes.write(JAVA);
        try (ObjectOutputStream out = new AllowListedObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (RejectedClassException e) {
            throw e;
        } catch (NotSerializableException e) {
            // The JDK puts the offending (possibly nested) class name in the message.
            throw new NotSerializableValueException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new NotSerializableValueException(value.getClass().getName(), e);
        }
        return bytes.toByteArray();
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
            case JAVA -> javaDeserialize(bytes, start, size);
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

    private Object javaDeserialize(byte[] bytes, int start, int size) {
        try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes, start, size))) {
            Object value = in.readObject();
            if (in.available() > 0 || in.read() != -1) {
                throw new CodecException("Trailing bytes after serialized value");
            }
            return value;
        } catch (InvalidClassException e) {
            if (e.classname != null && !allowList.allows(e.classname)) {
                throw new RejectedClassException(e.classname);
            }
            throw new CodecException("Cannot deserialize value: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new CodecException("Cannot deserialize value: unknown class " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CodecException ce) {
                throw ce;
            }
            throw new CodecException("Cannot deserialize value: " + e, e);
        }
    }

    /**
     * Refuses, while writing, every class the reading side's {@link FilteredObjectInputStream} would refuse: members
     * share one configuration, so a value that would be refused everywhere else fails its put here, loudly, instead
     * of leaving the members to disagree.
     */
    private final class AllowListedObjectOutputStream extends ObjectOutputStream {

        AllowListedObjectOutputStream(ByteArrayOutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> type) throws IOException {
            if (IOException.class.isAssignableFrom(type) && type.getName().startsWith("java.io.")) {
                return; // the stream writing its own failure (a part that is not Serializable): reported as such
            }
            String name = type.getName();
            if (!allowList.allows(name) && !isAllowedArray(name)) {
                throw RejectedClassException.onWrite(type.isArray() ? componentName(name) : name);
            }
        }
    }

    /** Whether an array class name's component type is allowed (a primitive one always is). */
    private boolean isAllowedArray(String name) {
        if (!name.startsWith("[")) {
            return false;
        }
        String component = name.replaceFirst("^\\[+", "");
        if (component.startsWith("L") && component.endsWith(";")) {
            return allowList.allows(component.substring(1, component.length() - 1));
        }
        return component.length() == 1;
    }

    private static String componentName(String arrayName) {
        String component = arrayName.replaceFirst("^\\[+", "");
        return component.startsWith("L") && component.endsWith(";") ? component.substring(1, component.length() - 1)
                : arrayName;
    }

    /** Applies the allow-list and resolves classes through the configured class loader. */
    private final class FilteredObjectInputStream extends ObjectInputStream {

        FilteredObjectInputStream(ByteArrayInputStream in) throws IOException {
            super(in);
            setObjectInputFilter(allowList.filter());
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            // Checked before the class is even loaded: a refused class's static initializer never runs.
            if (!allowList.allows(desc.getName()) && !isAllowedArray(desc.getName())) {
                throw new RejectedClassException(desc.getName());
            }
            try {
                return Class.forName(desc.getName(), false, classLoader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
