package io.gossipcache.core.cluster;

/** The cluster could not be set up or joined. */
public class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, where a configuration change fixes it (so that start-up can say which). */
    public enum Problem {
        /** The bind address is not an address of this host. */
        BIND_ADDRESS_NOT_LOCAL,
        /** Every port of the configured range is taken. */
        NO_FREE_PORT,
        /** The cluster refused this member: it speaks another protocol major (see ProtocolVersion). */
        REFUSED,
        /** Anything else. */
        OTHER
    }

    private final Problem problem;

    public ClusterException(String message) {
        this(Problem.OTHER, message, null);
    }

    public ClusterException(String message, Throwable cause) {
        this(Problem.OTHER, message, cause);
    }

    public ClusterException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
