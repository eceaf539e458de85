package io.gossipcache.core.replication;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the replication traffic, for metrics. All monotonic. */
public final class ReplicationStats {

    final LongAdder writesSent = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder writesReceived = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder writesApplied = new LongAdder();
    final LongAdder writesStale = new LongAdder();
    final LongAdder writesRejected = new LongAdder();
    final LongAdder messagesMalformed = new LongAdder();
    final LongAdder syncTimeouts = new LongAdder();
    final LongAdder stateEntriesSent = new LongAdder();
    final LongAdder stateEntriesReceived = new LongAdder();
    final LongAdder syncAcks = new LongAdder();
    final LongAdder syncAckNanos = new LongAdder();
    final LongAdder lagSamples = new LongAdder();
    final LongAdder lagMillis = new LongAdder();
    final LongAdder cachesRefused = new LongAdder();
    final LongAdder remoteReads = new LongAdder();
    final LongAdder remoteReadTimeouts = new LongAdder();

    void countSent(int writes, int bytes) {
        messagesSent.increment();
        writesSent.add(writes);
        bytesSent.add(bytes);
    }

    /** For the engine's inbound path. */
    public void countReceivedBytes(int bytes) { bytesReceived.add(bytes); }

    public void countReceivedWrite() { writesReceived.increment(); }

    public void countApplied() { writesApplied.increment(); }

    public void countStale() { writesStale.increment(); }

    public void countRejected() { writesRejected.increment(); }

    public void countMalformed() { messagesMalformed.increment(); }

    /** A write from another member to a new cache, refused because this member has as many caches as it may. */
    public void countCacheRefused() { cachesRefused.increment(); }

    /** A read of a partitioned cache asked an owner. */
    public void countRemoteRead() { remoteReads.increment(); }

    /** An owner did not answer a read in time. */
    public void countRemoteReadTimeout() { remoteReadTimeouts.increment(); }

    /** Reads of partitioned caches that asked an owner (one per owner asked). */
    public long remoteReads() { return remoteReads.sum(); }

    /** Owners that did not answer a read within the sync timeout (the reader asked the next). */
    public long remoteReadTimeouts() { return remoteReadTimeouts.sum(); }

    /** Writes from other members to new caches refused past the bound on caches. */
    public long cachesRefused() { return cachesRefused.sum(); }

    /**
     * A replicated write arrived {@code millis} after it was made (by the writer's clock: on machines whose
     * clocks agree, the replication lag).
     */
    public void recordLag(long millis) {
        lagSamples.increment();
        lagMillis.add(Math.max(0, millis));
    }

    public long writesSent() { return writesSent.sum(); }

    public long messagesSent() { return messagesSent.sum(); }

    public long bytesSent() { return bytesSent.sum(); }

    public long writesReceived() { return writesReceived.sum(); }

    public long bytesReceived() { return bytesReceived.sum(); }

    /** Received writes that were newer than the local entry and were kept. */
    public long writesApplied() { return writesApplied.sum(); }

    /** Received writes that were older than (or equal to) the local entry: harmless duplicates or reorders. */
    public long writesStale() { return writesStale.sum(); }

    /** Received writes whose key or value could not be decoded (not allowed, malformed). */
    public long writesRejected() { return writesRejected.sum(); }

    /** Messages dropped whole: malformed, truncated or of an unknown format version. */
    public long messagesMalformed() { return messagesMalformed.sum(); }

    /** Synchronous writes that some member did not acknowledge in time. */
    public long syncTimeouts() { return syncTimeouts.sum(); }

    public long stateEntriesSent() { return stateEntriesSent.sum(); }

    /** Synchronous writes that every member acknowledged. */
    public long syncAcks() { return syncAcks.sum(); }

    /** Total time synchronous writes waited for their acknowledgements, in nanoseconds. */
    public long syncAckNanos() { return syncAckNanos.sum(); }

    /** Replicated writes whose lag was recorded. */
    public long lagSamples() { return lagSamples.sum(); }

    /** Total replication lag of those writes, in milliseconds. */
    public long lagMillisTotal() { return lagMillis.sum(); }

    public long stateEntriesReceived() { return stateEntriesReceived.sum(); }
}
