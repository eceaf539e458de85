package io.gossipcache.core;

import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * Reads keys of partitioned caches from their owners, for members that do not hold them. The caller asks one owner
 * at a time, in the order given (owners that hold the key's segment first), and waits for each up to the timeout:
 * the first answer from an owner that holds the segment is the answer; answers of owners that do not hold it yet
 * (a rebalance is moving it) are kept, and the newest of them is the answer when no owner holds it.
 *
 * <p>Concurrency: callers are application threads, each waiting on its own future; answers complete them on the
 * JGroups delivery thread (an answer is decoded there: it runs no application code), and a view change completes
 * those waiting for a member that left. The futures are the only shared state.
 */
final class RemoteReads {

    /** How a read is sent: after the writes this member queued before it, so that a member reads its own writes. */
    interface Sender {
        void sendAfterWrites(Address destination, byte[] payload) throws Exception;
    }

    private final Transport transport;
    private final Sender sender;
    private final Duration timeout;
    private final LongSupplier wallClock;
    private final ReplicationStats stats;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    RemoteReads(Transport transport, Sender sender, Duration timeout, LongSupplier wallClockMillis,
                ReplicationStats stats) {
        this.transport = transport;
        this.sender = sender;
        this.timeout = timeout;
        this.wallClock = wallClockMillis;
        this.stats = stats;
    }

    /**
     * What a read found.
     *
     * @param write the newest write found (a put or a tombstone), or {@code null} when none of the owners has one
     * @param holds whether it came from an owner that holds the key's segment (which then tells this member of the
     *              key's next write, if it was asked to)
     */
    record Answer(Write write, boolean holds) {
    }

    /**
     * Reads a key from the first of {@code owners} that answers for its whole segment.
     *
     * @param trackMillis see {@link Message.Get#trackMillis()}
     */
    Answer read(String cache, byte[] key, List<Address> owners, long trackMillis) {
        Write newest = null;
        for (Address owner : owners) {
            Message.GetReply reply = ask(owner, cache, key, trackMillis);
            if (reply == null) {
                continue; // gone, or no answer in time: the next owner
            }
            Write found = reply.writes().isEmpty() ? null : reply.writes().get(0);
            if (reply.holds()) {
                return new Answer(found, true);
            }
            if (found != null && (newest == null || Version.compare(found.timestamp(), found.node(),
                    newest.timestamp(), newest.node()) > 0)) {
                newest = found;
            }
        }
        return new Answer(newest, false);
    }

    private Message.GetReply ask(Address owner, String cache, byte[] key, long trackMillis) {
        long id = ids.incrementAndGet();
        Pending request = new Pending(owner, new CompletableFuture<>());
        pending.put(id, request);
        try {
            View view = transport.currentView();
            if (view == null || !view.containsMember(owner)) {
                return null;
            }
            stats.countRemoteRead();
            sender.sendAfterWrites(owner, WireFormat.encode(new Message.Get(id, cache, key, trackMillis), wallClock.getAsLong(),
                    transport.protocolFor(owner)));
            return request.reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException e) {
            stats.countRemoteReadTimeout();
            return null;
        } catch (ExecutionException e) {
            return null;
        } catch (Exception e) {
            return null; // the network refused it: the next owner
        } finally {
            pending.remove(id);
        }
    }

    /** An owner's answer (on the delivery thread). */
    void answered(Message.GetReply reply) {
        Pending request = pending.get(reply.id());
        if (request != null) {
            request.reply.complete(reply);
        }
    }

    /** Members that left will not answer: their readers move on to the next owner. */
    void viewChanged(View view) {
        for (Pending request : pending.values()) {
            if (view == null || !view.containsMember(request.owner)) {
                request.reply.complete(null);
            }
        }
    }

    private record Pending(Address owner, CompletableFuture<Message.GetReply> reply) {
    }
}
