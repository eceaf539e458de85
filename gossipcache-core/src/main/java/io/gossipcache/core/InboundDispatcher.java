package io.gossipcache.core;

import io.gossipcache.core.cluster.MessageHandler;
import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.gossip.AntiEntropy;
import io.gossipcache.core.observation.ReplicationObservations;
import io.gossipcache.core.replication.MalformedMessageException;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.core.replication.Replicator;
import io.gossipcache.core.replication.StateTransfer;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.HybridClock;
import io.micrometer.observation.Observation;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what other members send to the thread that handles it, decodes it there and hands each kind of message to
 * its protocol. JGroups' delivery thread only routes (decoding may run application classes' code): acknowledgements
 * are handled at once (tiny, code-free: a backlog of writes must not delay synchronous callers), anti-entropy goes to
 * its lane, everything else to the inbound thread, in order. A malformed message is dropped, counted and logged once
 * per sender.
 */
final class InboundDispatcher implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);

    /** The protocols messages are handed to. */
    record Protocols(Replicator replicator, StateTransfer stateTransfer, AntiEntropy antiEntropy,
                     RemoteWriteApplier applier, PartitionHealer healer, ReadAnswers readAnswers,
                     RemoteReads remoteReads, Rebalance rebalance,
                     java.util.function.Consumer<Message.Invalidate> invalidations) {
    }

    private final Transport transport;
    private final Protocols protocols;
    private final Executor inbound;
    private final AntiEntropyLane lane;
    private final BooleanSupplier clustered;
    private final ReplicationStats stats;
    private final OnceLog onceLog;
    private final String nodeName;
    private final LongSupplier wallClock;
    private final ReplicationObservations observations;

    /** @param clustered whether this member is in CLUSTERED mode (in LOCAL mode there is no one to answer) */
    InboundDispatcher(Transport transport, Protocols protocols, Executor inbound, AntiEntropyLane lane,
                      BooleanSupplier clustered, ReplicationStats stats, OnceLog onceLog, String nodeName,
                      LongSupplier wallClockMillis, ReplicationObservations observations) {
        this.observations = observations;
        this.transport = transport;
        this.protocols = protocols;
        this.inbound = inbound;
        this.lane = lane;
        this.clustered = clustered;
        this.stats = stats;
        this.onceLog = onceLog;
        this.nodeName = nodeName;
        this.wallClock = wallClockMillis;
    }

    @Override
    public void onMessage(Address source, byte[] buffer, int offset, int length) {
        // No copy: JGroups reads every received message into an array of its own (and reassembles fragments into a
        // new one), which nothing writes to after delivery, so the threads below may read it later.
        Received received = new Received(buffer, offset, length);
        if (WireFormat.isAck(buffer, offset, length) || WireFormat.isGetReply(buffer, offset, length)
                || WireFormat.isInvalidate(buffer, offset, length)) {
            handle(source, received); // a reader waits: at once (an answer's value is decoded by the reader)
            return;
        }
        if (WireFormat.isAntiEntropy(buffer, offset, length)) {
            handOverAntiEntropy(source, received);
            return;
        }
        inbound.execute(() -> handle(source, received));
    }

    /** A received message's bytes: a range of the message's array. */
    private record Received(byte[] buffer, int offset, int length) {
    }

    /**
     * When the anti-entropy lane is far behind, a digest, bucket list or pull is dropped (the next round asks again),
     * but entries are not: they go to the inbound thread instead, which applies them like any other write.
     */
    private void handOverAntiEntropy(Address source, Received received) {
        if (lane.offer(() -> handleAntiEntropy(source, received)) || lane.stopped()) {
            return;
        }
        if (WireFormat.isAntiEntropyEntries(received.buffer(), received.offset(), received.length())) {
            inbound.execute(() -> {
                protocols.healer().runPendingHeals();
                handleAntiEntropy(source, received);
            });
            return;
        }
        lane.dropped();
    }

    /**
     * Anti-entropy only with members of this member's view: a member of the other side sends its reconciliation as
     * soon as its own merge view arrives, which may be before this member's; this member reconciles with it once its
     * own view has it (its rounds repeat anyway).
     */
    private void handleAntiEntropy(Address source, Received received) {
        View view = transport.currentView();
        if (view != null && view.containsMember(source)) {
            handle(source, received);
        }
    }

    private void handle(Address source, Received received) {
        Message message;
        try {
            message = WireFormat.decode(received.buffer(), received.offset(), received.length(), wallClock.getAsLong(),
                    transport.protocol());
        } catch (MalformedMessageException e) {
            stats.countMalformed();
            String sender = transport.nameOf(source);
            if (onceLog.first("malformed:" + sender)) {
                log.warn("Dropped a malformed message from {}: {} (logged once per sender; all are counted"
                        + " in gossipcache.replication.malformed)", sender, e.getMessage());
            }
            return;
        }
        stats.countReceivedBytes(received.length());
        try {
            dispatch(source, message);
        } catch (RuntimeException e) {
            // A well-formed message that still breaks something is a bug of ours: log it (once per kind of
            // failure) and keep the thread going; everything a message applies is applied per write.
            stats.countMalformed();
            if (onceLog.first("failed:" + e.getClass().getName())) {
                log.warn("Failed to handle a {} message from {}", message.type(), transport.nameOf(source), e);
            }
        }
    }

    // Java 17: a switch over the type, with casts, instead of patterns over the sealed interface.
    private void dispatch(Address source, Message message) {
        StateTransfer stateTransfer = protocols.stateTransfer();
        AntiEntropy antiEntropy = protocols.antiEntropy();
        switch (message.type()) {
            case WRITES -> onWrites(source, message.id(), ((Message.Writes) message).writes(), -1);
            case ROUTED_WRITES -> {
                Message.RoutedWrites routed = (Message.RoutedWrites) message;
                onWrites(source, routed.id(), routed.writes(), routed.viewId());
            }
            case ACK -> protocols.replicator().acknowledged(source, message.id());
            case STATE_REQUEST -> {
                log.info("Node {} sends its state to {}", nodeName, transport.nameOf(source));
                stateTransfer.provide(source, message.id());
            }
            case STATE_CHUNK -> {
                Message.StateChunk chunk = (Message.StateChunk) message;
                chunk.writes().forEach(protocols.applier()::apply);
                stateTransfer.chunkReceived(chunk.writes().size());
            }
            case STATE_DONE -> {
                if (stateTransfer.finished(source, message.id())) {
                    protocols.healer().learnDepartures(((Message.StateDone) message).departures());
                }
            }
            case GOSSIP_DIGEST -> {
                // the peer's next round finds us complete
                if (!stateTransfer.receiving() && clustered.getAsBoolean()) {
                    antiEntropy.onDigest(source, (Message.GossipDigest) message);
                }
            }
            case GOSSIP_BUCKETS -> {
                if (clustered.getAsBoolean()) {
                    antiEntropy.onBuckets(source, (Message.GossipBuckets) message);
                }
            }
            case GOSSIP_PULL -> {
                if (clustered.getAsBoolean()) {
                    antiEntropy.onPull(source, (Message.GossipPull) message);
                }
            }
            case GOSSIP_ENTRIES -> antiEntropy.onEntries((Message.GossipEntries) message);
            case GET -> answer(source, (Message.Get) message);
            case INVALIDATE -> protocols.invalidations().accept((Message.Invalidate) message);
            case GET_REPLY -> protocols.remoteReads().answered((Message.GetReply) message);
            case SEGMENT_PULL -> protocols.rebalance().onPull(source, (Message.SegmentPull) message);
            case SEGMENT_ENTRIES -> {
                Message.SegmentEntries entries = (Message.SegmentEntries) message;
                entries.writes().forEach(protocols.applier()::apply);
                protocols.rebalance().onEntries(source, entries);
            }
            case SEGMENT_DONE -> protocols.rebalance().onDone(source, (Message.SegmentDone) message);
            case SEGMENTS_HELD -> protocols.rebalance().onHeld(source, (Message.SegmentsHeld) message);
        }
    }

    private void answer(Address source, Message.Get get) {
        Message.GetReply reply = protocols.readAnswers().answer(source, get);
        try {
            transport.send(source, WireFormat.encode(reply, wallClock.getAsLong(), transport.protocolFor(source)));
        } catch (Exception e) {
            log.debug("Could not answer a read of {}: {}", transport.nameOf(source), e.toString());
        }
    }

    /** @param viewId the view the sender chose the owners in (partitioned caches), or -1 */
    private void onWrites(Address source, long id, java.util.List<Write> writes, long viewId) {
        long now = wallClock.getAsLong();
        Observation observation = observations.apply(writes.size(), transport.nameOf(source));
        long maxLag = 0;
        try {
            for (Write write : writes) {
                protocols.applier().apply(write);
                long lag = now - HybridClock.physicalMillis(write.timestamp());
                stats.recordLag(lag);
                maxLag = Math.max(maxLag, lag);
            }
        } finally {
            ReplicationObservations.lag(observation, maxLag);
            observation.stop();
        }
        protocols.rebalance().forwardNotOwned(writes, viewId);
        if (id > 0) {
            try {
                transport.send(source, WireFormat.encode(new Message.Ack(id), now,
                        transport.protocolFor(source)));
            } catch (Exception e) {
                log.debug("Could not acknowledge to {}: {}", transport.nameOf(source), e.toString());
            }
        }
    }
}
