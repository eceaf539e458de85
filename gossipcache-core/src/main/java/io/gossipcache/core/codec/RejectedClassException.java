package io.gossipcache.core.codec;

/**
 * A class outside the serialization allow-list: data from the network named it (it was not loaded), or a write of this
 * member holds an instance of it (refused before anything changed, as every member would refuse it).
 */
public class RejectedClassException extends CodecException {

    private static final long serialVersionUID = 1L;

    /** Where the starter's users list what may travel; named in every message so that the fix is one search away. */
    static final String PROPERTY = "gossipcache.serialization.allowed-packages";

    private final String className;

    /** A class named by data from the network. */
    public RejectedClassException(String className) {
        super("Refused to deserialize " + className + ": not in the serialization allow-list (" + PROPERTY + ")");
        this.className = className;
    }

    private RejectedClassException(String className, String message) {
        super(message);
        this.className = className;
    }

    /** A class in a write of this member, which the other members would refuse. */
    static RejectedClassException onWrite(String className) {
        int dot = className.lastIndexOf('.');
        String where = dot > 0 ? "its package " + className.substring(0, dot) : "the class";
        return new RejectedClassException(className, "Cannot replicate an instance of " + className
                + ": the other members would refuse it, as it is not in the serialization allow-list. Add " + where
                + " to " + PROPERTY + " (the same on every member)");
    }

    public String className() {
        return className;
    }
}
