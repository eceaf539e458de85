package io.gossipcache.core.codec;

import java.util.concurrent.ArrayBlockingQueue;
import org.apache.fory.Fory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.logging.LogLevel;
import org.apache.fory.logging.LoggerFactory;
import org.apache.fory.memory.MemoryBuffer;

/**
 * Apache Fory (Java mode) for objects, limited on both sides to the classes of an {@link AllowList}.
 *
 * <p>Security: Fory writes class names, so it is told to check every class it has no built-in serializer for
 * against the allow-list, before it loads the class: a refused class is neither initialized nor instantiated. Fory's
 * own list of known gadget classes applies on top. A class name in the data is honoured only if allowed; there is no
 * other polymorphic type handling.
 *
 * <p>Schema: {@link CompatibleMode#SCHEMA_CONSISTENT} with the class version check, so a class whose fields differ
 * between writer and reader (two releases of an application during a rolling deployment) fails to decode instead of
 * decoding into the wrong fields. References are tracked, so shared and cyclic object graphs round-trip as they were;
 * strings are written by value, so that equal keys give equal bytes.
 *
 * <p>Logging: Fory logs to stdout by default, warns at every build that class registration is not required (the
 * allow-list is checked instead) and its thread-safe wrappers log a stack trace at ERROR for every value that fails
 * to decode. Fory is therefore switched, JVM-wide and only if nobody changed it, to SLF4J at ERROR, and used without
 * those wrappers: a failure reaches the engine as a {@link CodecException}, which counts and logs it once per kind.
 *
 * <p>Concurrency: a {@link Fory} instance is single-threaded, ~100 KB and takes ~1.5 ms to build, too much for one
 * per application thread; calls borrow one from a pool of idle instances (a new one when none is idle) and give it
 * back, unless the call failed. The pool keeps at most {@link #IDLE} instances. The first instance to meet a class
 * compiles a serializer for it (once per class loader, ~100 ms) on the calling thread.
 */
final class ForyObjects {

    static {
        if (LoggerFactory.getLogLevel() == LogLevel.INFO_LEVEL) {
            LoggerFactory.useSlf4jLogging(true);
            LoggerFactory.setLogLevel(LogLevel.ERROR_LEVEL);
        }
    }

    private static final int MAX_DEPTH = 64;
    private static final int IDLE = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    private final AllowList allowList;
    private final ClassLoader classLoader;
    private final ArrayBlockingQueue<Fory> idle = new ArrayBlockingQueue<>(IDLE);

    ForyObjects(AllowList allowList, ClassLoader classLoader) {
        this.allowList = allowList;
        this.classLoader = classLoader;
    }

    /** Writes {@code tag}, then the object. */
    byte[] encode(byte tag, Object value) {
        MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(64);
        buffer.writeByte(tag);
        Fory fory = borrow();
        try {
            fory.serialize(buffer, value);
        } catch (RuntimeException | StackOverflowError e) {
            RejectedClassException rejected = rejected(e);
            if (rejected != null) {
                throw RejectedClassException.onWrite(rejected.className());
            }
            throw new NotSerializableValueException(value.getClass().getName(), e);
        }
        idle.offer(fory);
        return buffer.getBytes(0, buffer.writerIndex());
    }

    Object decode(byte[] bytes, int start, int size) {
        MemoryBuffer buffer = MemoryBuffer.fromByteArray(bytes, start, size);
        Fory fory = borrow();
        Object value;
        try {
            value = fory.deserialize(buffer);
        } catch (RuntimeException | StackOverflowError e) {
            RejectedClassException rejected = rejected(e);
            throw rejected != null ? rejected : new CodecException("Cannot decode value: " + rootCause(e), e);
        }
        idle.offer(fory);
        if (buffer.readerIndex() != size) {
            throw new CodecException("Trailing bytes after encoded value");
        }
        return value;
    }

    /** The allow-list's refusal somewhere in what Fory threw (it wraps what its type checker throws). */
    private static RejectedClassException rejected(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof RejectedClassException r) {
                return r;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private Fory borrow() {
        Fory fory = idle.poll();
        return fory != null ? fory : build();
    }

    private Fory build() {
        Fory fory = Fory.builder()
                .withLanguage(Language.JAVA)
                .withClassLoader(classLoader)
                .requireClassRegistration(false) // the allow-list decides instead, below
                .suppressClassRegistrationWarnings(true)
                .withRefTracking(true)
                .ignoreStringRef(true)
                .withCompatibleMode(CompatibleMode.SCHEMA_CONSISTENT)
                .withClassVersionCheck(true)
                .withMaxDepth(MAX_DEPTH)
                .withAsyncCompilation(false)
                .build();
        fory.getClassResolver().setTypeChecker((resolver, className) -> {
            if (!allowList.allowsArrayOrClass(className)) {
                throw new RejectedClassException(className);
            }
            return true;
        });
        return fory;
    }
}
