package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.cluster.ProtocolVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void routesOnlyAntiEntropyMessagesToTheAntiEntropyThread() {
        for (WireFormat.Type type : WireFormat.Type.values()) {
            byte[] bytes = WireFormat.encode(TestMessages.of(type, 1, List.of()), NOW);
            boolean gossip = type.name().startsWith("GOSSIP_");
            assertThat(WireFormat.isAntiEntropy(bytes, 0, bytes.length)).as(type.name()).isEqualTo(gossip);
            byte[] shifted = new byte[bytes.length + 3];
            System.arraycopy(bytes, 0, shifted, 3, bytes.length);
            assertThat(WireFormat.isAntiEntropy(shifted, 3, bytes.length)).as(type.name() + " at an offset").isEqualTo(gossip);
            assertThat(WireFormat.isAntiEntropyEntries(bytes, 0, bytes.length)).as(type.name() + " entries")
                    .isEqualTo(type == WireFormat.Type.GOSSIP_ENTRIES);
        }
        assertThat(WireFormat.isAntiEntropy(new byte[] {WireFormat.FORMAT_1}, 0, 1)).isFalse();
        assertThat(WireFormat.isAntiEntropy(new byte[] {99, 5, 0}, 0, 3)).isFalse(); // another format version
    }

    /** The codes are the protocol (the golden fixtures hold their bytes); the constants' order is not. */
    @Test
    void everyMessageTypeAndWriteKindHasAWireCodeOfItsOwn() {
        for (WireFormat.Type type : WireFormat.Type.values()) {
            assertThat(WireFormat.Type.ofCode(type.code())).isSameAs(type);
        }
        assertThat(java.util.Arrays.stream(WireFormat.Type.values()).map(WireFormat.Type::code).distinct())
                .hasSize(WireFormat.Type.values().length);
        assertThat(WireFormat.Type.ofCode(-1)).isNull();
        assertThat(WireFormat.Type.ofCode(WireFormat.Type.values().length)).isNull();
        for (Write.Kind kind : Write.Kind.values()) {
            assertThat(Write.Kind.ofCode(kind.code())).isSameAs(kind);
        }
        assertThat(Write.Kind.ofCode(3)).isNull();
    }

    @Test
    void roundTripsEveryKindOfWrite() {
        List<Write> writes = List.of(
                Write.put("books", new byte[] {1, 2}, new byte[] {3, 4, 5}, 100, 7, 0),
                Write.put("books", new byte[] {9}, new byte[] {8}, 101, 7, NOW + 5_000),
                Write.evict("ünï", new byte[] {1}, 102, 8),
                Write.clear("books", 103, 9));
        byte[] bytes = WireFormat.encode(TestMessages.of(WireFormat.Type.WRITES, 42, writes), NOW);
        Message m = WireFormat.decode(bytes, 0, bytes.length, NOW);

        assertThat(m.type()).isEqualTo(WireFormat.Type.WRITES);
        assertThat(m.id()).isEqualTo(42);
        assertThat(TestMessages.writes(m)).hasSize(4);
        Write put = TestMessages.writes(m).get(0);
        assertThat(put.kind()).isEqualTo(Write.Kind.PUT);
        assertThat(put.cache()).isEqualTo("books");
        assertThat(put.key()).containsExactly(1, 2);
        assertThat(put.value()).containsExactly(3, 4, 5);
        assertThat(put.timestamp()).isEqualTo(100);
        assertThat(put.node()).isEqualTo(7);
        assertThat(put.expiresAt()).isZero();
        assertThat(TestMessages.writes(m).get(2).cache()).isEqualTo("ünï");
        assertThat(TestMessages.writes(m).get(3).kind()).isEqualTo(Write.Kind.CLEAR);
    }

    @Test
    void decodedWritesPointIntoTheMessageAndEncodeAgainToTheSameBytes() {
        List<Write> writes = List.of(
                Write.put("books", new byte[] {1, 2}, new byte[] {3, 4, 5}, 100, 7, 0),
                Write.evict("books", new byte[] {6}, 102, 8),
                Write.clear("books", 103, 9));
        byte[] bytes = WireFormat.encode(TestMessages.of(WireFormat.Type.GOSSIP_ENTRIES, 3, writes), NOW);
        byte[] inBigger = new byte[bytes.length + 9]; // a message somewhere inside a larger buffer
        Arrays.fill(inBigger, (byte) 0x5A);
        System.arraycopy(bytes, 0, inBigger, 4, bytes.length);

        Message m = WireFormat.decode(inBigger, 4, bytes.length, NOW);
        Write put = TestMessages.writes(m).get(0);
        assertThat(put.keyArray()).isSameAs(inBigger);
        assertThat(put.valueArray()).isSameAs(inBigger);
        assertThat(Arrays.copyOfRange(inBigger, put.keyOffset(), put.keyOffset() + put.keyLength())).containsExactly(1, 2);
        assertThat(Arrays.copyOfRange(inBigger, put.valueOffset(), put.valueOffset() + put.valueLength())).containsExactly(3, 4, 5);
        assertThat(put.key()).containsExactly(1, 2).isNotSameAs(inBigger); // a copy of just the key
        assertThat(TestMessages.writes(m).get(1).key()).containsExactly(6);
        assertThat(TestMessages.writes(m).get(1).valueArray()).isNull();
        assertThat(TestMessages.writes(m).get(2).keyArray()).isNull();
        // anti-entropy and state transfer may send on what they received
        assertThat(WireFormat.encode(m, NOW)).containsExactly(bytes);
    }

    @Test
    void everyMessageTypeEncodesToExactlyItsSizeAndBack() {
        List<Message> messages = List.of(
                new Message.GossipDigest(1, 10, 20,
                        List.of(new Message.CacheDigest("a", 1, 2, 3, null), new Message.CacheDigest("ünï", 4, 5, 6, null))),
                new Message.GossipBuckets(2, 10, 20,
                        List.of(new Message.CacheDigest("a", 1, 2, 7 ^ 9, new long[] {7, 9}))),
                new Message.GossipPull(3, 10, 20,
                        List.of(new Message.BucketRequest("a", new int[] {0, 5, 65535}))),
                new Message.StateDone(4, java.util.Map.of()),
                new Message.StateDone(5, java.util.Map.of("node-a", 1_234L, "hôst:8081", 0L)));
        for (Message m : messages) {
            byte[] bytes = WireFormat.encode(m, NOW);
            Message back = WireFormat.decode(bytes, 0, bytes.length, NOW);
            assertThat(back.getClass()).isEqualTo(m.getClass());
            assertThat(back.type()).isEqualTo(m.type());
            assertThat(back.id()).isEqualTo(m.id());
            assertThat(TestMessages.horizon(back)).isEqualTo(TestMessages.horizon(m));
            assertThat(TestMessages.cutoff(back)).isEqualTo(TestMessages.cutoff(m));
            assertThat(TestMessages.digests(back)).usingRecursiveFieldByFieldElementComparator().isEqualTo(TestMessages.digests(m));
            assertThat(TestMessages.requests(back)).usingRecursiveFieldByFieldElementComparator().isEqualTo(TestMessages.requests(m));
            assertThat(TestMessages.departures(back)).isEqualTo(TestMessages.departures(m));
            assertThat(WireFormat.encode(back, NOW)).as(m.type().name()).containsExactly(bytes);
        }
    }

    @Test
    void aStateDoneWithoutDeparturesIsReadAsNone() {
        byte[] bare = {WireFormat.FORMAT_1, WireFormat.Type.STATE_DONE.code(), 0, 0, 0, 0, 0, 0, 0, 7};
        Message m = WireFormat.decode(bare, 0, bare.length, NOW);
        assertThat(m.id()).isEqualTo(7);
        assertThat(TestMessages.departures(m)).isEmpty();
    }

    @Test
    void expiryTravelsAsLifetimeLeftSoReceiverClockSkewDoesNotMoveIt() {
        Write put = Write.put("c", new byte[] {1}, new byte[] {2}, 1, 1, NOW + 5_000);
        byte[] bytes = WireFormat.encode(TestMessages.of(WireFormat.Type.WRITES, 0, List.of(put)), NOW);
        long receiverNow = NOW + 3_600_000; // receiver's wall clock is an hour ahead
        Write received = TestMessages.writes(WireFormat.decode(bytes, 0, bytes.length, receiverNow)).get(0);
        assertThat(received.expiresAt()).isEqualTo(receiverNow + 5_000);
    }

    @Test
    void anAlreadyExpiredPutStillTravelsAndStaysExpired() {
        Write put = Write.put("c", new byte[] {1}, new byte[] {2}, 1, 1, NOW - 10);
        byte[] bytes = WireFormat.encode(TestMessages.of(WireFormat.Type.WRITES, 0, List.of(put)), NOW);
        Write received = TestMessages.writes(WireFormat.decode(bytes, 0, bytes.length, NOW)).get(0);
        assertThat(received.expiresAt()).isNotZero().isLessThan(NOW);
    }

    @Test
    void refusesAFormatNoReleaseWrites() {
        byte[] bytes = WireFormat.encode(new Message.Ack(1), NOW);
        for (byte format : new byte[] {0, 3, -1}) {
            bytes[0] = format;
            assertThatThrownBy(() -> WireFormat.decode(bytes, 0, bytes.length, NOW))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("unsupported format " + format);
        }
    }

    @Test
    void aWriteOfThePreviousWritesCacheLeavesTheNameOutFromProtocol1_1On() {
        List<Write> writes = List.of(Write.put("quotes", new byte[] {1}, new byte[] {2}, 1, 1, 0),
                Write.evict("quotes", new byte[] {3}, 2, 1), Write.clear("users", 3, 1), Write.clear("quotes", 4, 1));
        byte[] v10 = WireFormat.encode(new Message.Writes(0, writes), NOW, ProtocolVersion.V1_0);
        byte[] v11 = WireFormat.encode(new Message.Writes(0, writes), NOW, ProtocolVersion.V1_1);
        assertThat(v11.length).isEqualTo(v10.length - (2 + "quotes".length())); // the evict's name
        for (byte[] bytes : List.of(v10, v11)) {
            assertThat(TestMessages.writes(WireFormat.decode(bytes, 0, bytes.length, NOW))).extracting(Write::cache)
                    .containsExactly("quotes", "quotes", "users", "quotes");
        }
    }

    @Test
    void refusesASameCacheWriteWithoutAPreviousOne() {
        byte[] bytes = WireFormat.encode(new Message.Writes(0, List.of(Write.clear("c", 1, 1))), NOW,
                ProtocolVersion.V1_1);
        byte[] named = bytes.clone();
        // format 2: the first write's kind byte with the same-cache bit, and no name (drop its 3 bytes)
        byte[] noName = new byte[bytes.length - 3];
        System.arraycopy(bytes, 0, noName, 0, 15);
        noName[14] = (byte) (noName[14] | WireFormat.SAME_CACHE);
        System.arraycopy(bytes, 18, noName, 15, bytes.length - 18);
        assertThat(TestMessages.writes(WireFormat.decode(named, 0, named.length, NOW))).hasSize(1);
        assertThatThrownBy(() -> WireFormat.decode(noName, 0, noName.length, NOW))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("names no cache");
        noName[0] = WireFormat.FORMAT_1; // format 1 has no such bit: an unknown kind
        assertThatThrownBy(() -> WireFormat.decode(noName, 0, noName.length, NOW))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("unknown write kind");
    }

    @Test
    void refusesTruncatedAndPaddedMessages() {
        byte[] bytes = WireFormat.encode(new Message.Writes(1,
                List.of(Write.put("c", new byte[] {1}, new byte[] {2}, 1, 1, 0))), NOW);
        for (int cut = 0; cut < bytes.length; cut++) {
            int length = cut;
            assertThatThrownBy(() -> WireFormat.decode(bytes, 0, length, NOW)).isInstanceOf(MalformedMessageException.class);
        }
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> WireFormat.decode(padded, 0, padded.length, NOW)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButMalformedMessage() {
        Random random = new Random(7);
        byte[] valid = WireFormat.encode(new Message.Writes(1,
                List.of(Write.put("c", new byte[] {1}, new byte[] {2}, 1, 1, 0), Write.evict("c", new byte[] {3}, 2, 1))), NOW);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = i % 2 == 0 ? new byte[random.nextInt(64)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(bytes);
            } else {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                WireFormat.decode(bytes, 0, bytes.length, NOW);
            } catch (MalformedMessageException expected) {
                // fine: counted and dropped by the engine
            }
        }
    }
}
