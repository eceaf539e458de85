package io.gossipcache.core.codec;

/** A key or value given to a write cannot be serialized; the write was refused and nothing was replicated. */
public class NotSerializableValueException extends CodecException {

    private static final long serialVersionUID = 1L;

    private final String className;

    public NotSerializableValueException(String className, Throwable cause) {
        super("Cannot serialize an instance of " + className
                + " for replication: make it java.io.Serializable, or set gossipcache.serialization.codec=fory, or configure a"
                + " Codec for it", cause);
        this.className = className;
    }

    /** The class that could not be serialized (possibly nested inside the value). */
    public String className() {
        return className;
    }
}
