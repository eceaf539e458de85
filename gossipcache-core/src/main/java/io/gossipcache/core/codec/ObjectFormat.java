package io.gossipcache.core.codec;

/**
 * How {@link DefaultCodec} writes an object that has no compact encoding of its own (anything but a
 * {@link String}, {@link Long}, {@link Integer} or {@code byte[]}). Either way the codec reads both formats, each
 * only into classes its {@link AllowList} allows, so members configured differently still read each other.
 */
public enum ObjectFormat {

    /** Java serialization: the object must be {@link java.io.Serializable}. */
    JAVA,

    /**
     * Apache Fory in Java mode: records and plain classes need not be {@link java.io.Serializable}; much faster and
     * smaller than Java serialization. A class that changed its fields between two releases of the application does
     * not decode (a miss on the reader, never a wrong value).
     */
    FORY
}
