package io.gossipcache.benchmarks.member;

/**
 * One replicated cache system (gossipcache, a peer, or the floor) as seen by a scenario member process.
 *
 * <p>Each member of a cluster scenario is its own JVM running {@link ScenarioMember}, which loads one
 * implementation of this interface by class name (public no-arg constructor). This source root is
 * JDK-only on purpose: every system's module compiles it next to its own dependencies, so the peers keep
 * their own JGroups and never share a classpath.
 *
 * <p>Every socket is on 127.0.0.1; no implementation may multicast, phone home or bind another interface.
 */
public interface CacheSystem extends AutoCloseable {

    /** Short name for reports, for example {@code gossipcache}, {@code infinispan}. */
    String name();

    /** Version of the system's library as resolved on this classpath. */
    String version();

    /** One paragraph for the results file: transport, discovery, replication mode, failure detection. */
    String describe(MemberOptions options);

    /**
     * Starts this member and joins (or forms) the cluster; returns when it is ready to serve reads and
     * writes and any initial state transfer the system does synchronously has finished.
     */
    void start(MemberOptions options) throws Exception;

    /** Puts without waiting for replication (the system's asynchronous mode). */
    void put(String key, byte[] value);

    /** Puts with a time to live in milliseconds, without waiting for replication. */
    void put(String key, byte[] value, long ttlMillis);

    /** The value held by this member, or {@code null}; a local read, never a remote call. */
    byte[] get(String key);

    /** Number of entries held by this member (a local count, never cluster-wide). */
    long localSize();

    /** Number of members in this member's current view. */
    int viewSize();

    /** Leaves the cluster and releases every resource. */
    @Override
    void close();
}
