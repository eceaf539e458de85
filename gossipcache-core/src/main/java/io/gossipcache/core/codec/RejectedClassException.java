package io.gossipcache.core.codec;

/** Data from the network named a class outside the deserialization allow-list; it was not loaded. */
public class RejectedClassException extends CodecException {

    private static final long serialVersionUID = 1L;

    private final String className;

    public RejectedClassException(String className) {
        super("Refused to deserialize " + className + ": not in the serialization allow-list");
        this.className = className;
    }

    public String className() {
        return className;
    }
}
