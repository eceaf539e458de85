package io.gossipcache.core.replication;

import java.util.List;
import java.util.Map;

/** Builds and reads messages of any kind generically, for tests that go over every kind. */
public final class TestMessages {

    private TestMessages() {
    }

    /** A message of a kind that carries writes (or nothing: the others but STATE_DONE's departures and gossip). */
    public static Message of(WireFormat.Type type, long id, List<Write> writes) {
        return switch (type) {
            case WRITES -> new Message.Writes(id, writes);
            case ACK -> new Message.Ack(id);
            case STATE_REQUEST -> new Message.StateRequest(id);
            case STATE_CHUNK -> new Message.StateChunk(id, writes);
            case STATE_DONE -> new Message.StateDone(id, Map.of());
            case GOSSIP_DIGEST -> new Message.GossipDigest(id, 0, 0, List.of());
            case GOSSIP_BUCKETS -> new Message.GossipBuckets(id, 0, 0, List.of());
            case GOSSIP_PULL -> new Message.GossipPull(id, 0, 0, List.of());
            case GOSSIP_ENTRIES -> new Message.GossipEntries(id, writes);
            case GET -> new Message.Get(id, "c", new byte[] {1, 2}, 5_000);
            case INVALIDATE -> new Message.Invalidate("c", new byte[] {3});
            case ROUTED_WRITES -> new Message.RoutedWrites(id, 7, writes);
            case GET_REPLY -> new Message.GetReply(id, true, writes.isEmpty() ? List.of() : writes.subList(0, 1));
            case SEGMENT_PULL -> new Message.SegmentPull(id, List.of(new Message.SegmentSet(2, new long[4])));
            case SEGMENT_ENTRIES -> new Message.SegmentEntries(id, writes);
            case SEGMENT_DONE -> new Message.SegmentDone(id, 3);
            case SEGMENTS_HELD -> new Message.SegmentsHeld(id, List.of(new Message.SegmentSet(1,
                    new long[] {1, 2, 3, -1})));
        };
    }

    public static List<Write> writes(Message m) {
        return m instanceof Message.CarriesWrites c ? c.writes() : List.of();
    }

    public static long horizon(Message m) {
        return m instanceof Message.GossipDigest d ? d.horizon() : m instanceof Message.GossipBuckets b ? b.horizon()
                : m instanceof Message.GossipPull p ? p.horizon() : 0;
    }

    public static long cutoff(Message m) {
        return m instanceof Message.GossipDigest d ? d.cutoff() : m instanceof Message.GossipBuckets b ? b.cutoff()
                : m instanceof Message.GossipPull p ? p.cutoff() : 0;
    }

    public static List<Message.CacheDigest> digests(Message m) {
        return m instanceof Message.GossipDigest d ? d.digests() : m instanceof Message.GossipBuckets b ? b.digests()
                : List.of();
    }

    public static List<Message.BucketRequest> requests(Message m) {
        return m instanceof Message.GossipPull p ? p.requests() : List.of();
    }

    public static Map<String, Long> departures(Message m) {
        return m instanceof Message.StateDone d ? d.departures() : Map.of();
    }
}
