package io.gossipcache.core.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization of objects, limited on both sides to the classes of an {@link AllowList}. Thread-safe: every call
 * has streams of its own.
 */
final class JavaObjects {

    private final AllowList allowList;
    private final ClassLoader classLoader;

    JavaObjects(AllowList allowList, ClassLoader classLoader) {
        this.allowList = allowList;
        this.classLoader = classLoader;
    }

    /** Writes {@code tag}, then the serialized object. */
    byte[] encode(byte tag, Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        bytes.write(tag);
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

    Object decode(byte[] bytes, int start, int size) {
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
            if (!allowList.allowsArrayOrClass(name)) {
                throw RejectedClassException.onWrite(type.isArray() ? AllowList.componentName(name) : name);
            }
        }
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
            if (!allowList.allowsArrayOrClass(desc.getName())) {
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
