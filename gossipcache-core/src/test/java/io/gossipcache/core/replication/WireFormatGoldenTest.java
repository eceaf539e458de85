package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.cluster.ProtocolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes of every message kind in the format of every protocol version this release speaks, committed as fixtures
 * in {@code src/test/resources/wire/v<format>} (hex, 32 bytes a line): a change that alters them fails here, so a
 * format cannot change by accident (a refactoring must keep them; a change of the bytes needs a new protocol version
 * and fixtures of its own, while the old ones stay: every later release must still read them). Each fixture is
 * checked both ways: the message encodes to exactly these bytes, and these bytes decode to the message.
 * {@code -Dgossipcache.wire.write-fixtures=<format>} writes the fixtures of that format; only for a new one
 * (docs/design.md, "Changing the wire format").
 */
class WireFormatGoldenTest {

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long NODE_A = 0x1122334455667788L;
    private static final long NODE_B = -42L;
    static Stream<Arguments> fixtures() {
        return ProtocolVersion.SUPPORTED.stream().flatMap(version -> messages()
                .map(m -> Arguments.of(version, m.get()[0], m.get()[1])));
    }

    /** In the source tree (the module is the tests' working directory), so that a new format's fixtures are written there. */
    private static Path fixtures(ProtocolVersion version) {
        return Path.of("src", "test", "resources", "wire", "v" + WireFormat.format(version));
    }

    static Stream<Arguments> messages() {
        Write put = Write.put("quotes", bytes("ACME"), bytes("42.17"), NOW - 5, NODE_A, NOW + 30_000);
        Write putForever = Write.put("quotes", bytes("ÜBER"), new byte[0], NOW - 4, NODE_B, 0);
        Write expired = Write.put("quotes", bytes("OLD"), bytes("x"), NOW - 3, NODE_A, NOW - 1);
        Write evict = Write.evict("quotes", bytes("ACME"), NOW - 2, NODE_B);
        Write clear = Write.clear("users", NOW - 1, NODE_A);
        Map<String, Long> departures = new LinkedHashMap<>();
        departures.put("node-a", 1_234L);
        departures.put("hôst:8081", 0L);
        return Stream.of(
                Arguments.of("writes", message(WireFormat.Type.WRITES, 0, List.of(put, putForever, expired, evict, clear))),
                Arguments.of("writes-ack-requested", message(WireFormat.Type.WRITES, 42, List.of(put))),
                Arguments.of("ack", message(WireFormat.Type.ACK, 42, List.of())),
                Arguments.of("state-request", message(WireFormat.Type.STATE_REQUEST, 7, List.of())),
                Arguments.of("state-chunk", message(WireFormat.Type.STATE_CHUNK, 7, List.of(put, evict, clear))),
                Arguments.of("state-done", message(WireFormat.Type.STATE_DONE, 7, List.of())),
                Arguments.of("state-done-departures", new Message.StateDone(7, departures)),
                Arguments.of("gossip-digest", new Message.GossipDigest(9, NOW - 600_000, NOW - 2_000,
                        List.of(new Message.CacheDigest("quotes", NOW - 1, NODE_A, 0x0102030405060708L, null),
                        new Message.CacheDigest("ünï", 0, 0, -1, null)))),
                Arguments.of("gossip-buckets", new Message.GossipBuckets(10, NOW - 600_000, NOW - 2_000,
                        List.of(new Message.CacheDigest("quotes", NOW - 1, NODE_A, 7 ^ 9, new long[] {7, 9})))),
                Arguments.of("gossip-pull", new Message.GossipPull(11, NOW - 600_000, NOW - 2_000,
                        List.of(new Message.BucketRequest("quotes", new int[] {0, 5, 65_535})))),
                Arguments.of("gossip-entries", message(WireFormat.Type.GOSSIP_ENTRIES, 12, List.of(put, evict))));
    }

    @ParameterizedTest(name = "protocol {0}: {1}")
    @MethodSource("fixtures")
    void encodesToTheCommittedBytes(ProtocolVersion version, String fixture, Message message) throws IOException {
        byte[] bytes = WireFormat.encode(message, NOW, version);
        if (String.valueOf(WireFormat.format(version)).equals(System.getProperty("gossipcache.wire.write-fixtures"))) {
            Files.createDirectories(fixtures(version));
            Files.writeString(fixtures(version).resolve(fixture + ".hex"), hex(bytes));
        }
        assertThat(hex(bytes)).as("protocol %s, %s: the bytes changed without a new protocol version", version,
                fixture).isEqualTo(read(version, fixture));
    }

    @ParameterizedTest(name = "protocol {0}: {1}")
    @MethodSource("fixtures")
    void decodesTheCommittedBytesToTheMessage(ProtocolVersion version, String fixture, Message expected)
            throws IOException {
        byte[] bytes = HexFormat.of().parseHex(read(version, fixture).replace("\n", ""));
        Message actual = WireFormat.decode(bytes, 0, bytes.length, NOW, version);
        assertSameMessage(actual, expected);
        // every newer version this release speaks reads it too
        for (ProtocolVersion reader : ProtocolVersion.SUPPORTED) {
            if (reader.compareTo(version) > 0) {
                assertSameMessage(WireFormat.decode(bytes, 0, bytes.length, NOW, reader), expected);
            }
        }
    }

    @ParameterizedTest(name = "protocol {0}: {1}")
    @MethodSource("fixtures")
    void anOlderReaderRefusesANewerFormat(ProtocolVersion version, String fixture, Message ignored) throws IOException {
        byte[] bytes = HexFormat.of().parseHex(read(version, fixture).replace("\n", ""));
        for (ProtocolVersion reader : ProtocolVersion.SUPPORTED) {
            if (WireFormat.format(reader) < WireFormat.format(version)) {
                assertThatThrownBy(() -> WireFormat.decode(bytes, 0, bytes.length, NOW, reader))
                        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("unsupported format");
            }
        }
    }

    @Test
    void theCurrentProtocolWritesLessThanTheOneBeforeWhenWritesShareACache() throws IOException {
        String v1 = read(ProtocolVersion.V1_0, "writes");
        String v2 = read(ProtocolVersion.V1_1, "writes");
        assertThat(v2.replace("\n", "").length()).isLessThan(v1.replace("\n", "").length());
    }

    private static void assertSameMessage(Message actual, Message expected) {

        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(TestMessages.horizon(actual)).isEqualTo(TestMessages.horizon(expected));
        assertThat(TestMessages.cutoff(actual)).isEqualTo(TestMessages.cutoff(expected));
        assertThat(TestMessages.digests(actual)).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(TestMessages.digests(expected));
        assertThat(TestMessages.requests(actual)).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(TestMessages.requests(expected));
        assertThat(TestMessages.departures(actual)).containsExactlyEntriesOf(TestMessages.departures(expected));
        List<Write> wanted = TestMessages.writes(expected);
        List<Write> received = TestMessages.writes(actual);
        assertThat(received).hasSameSizeAs(wanted);
        for (int i = 0; i < wanted.size(); i++) {
            Write want = wanted.get(i);
            Write got = received.get(i);
            assertThat(List.of(got.kind(), got.cache(), got.timestamp(), got.node()))
                    .isEqualTo(List.of(want.kind(), want.cache(), want.timestamp(), want.node()));
            if (want.kind() != Write.Kind.CLEAR) {
                assertThat(got.key()).isEqualTo(want.key());
            }
            if (want.kind() == Write.Kind.PUT) {
                assertThat(got.value()).isEqualTo(want.value());
                // a lifetime travels; read at the same instant it is the same deadline (an expired one stays expired)
                assertThat(got.expiresAt() == 0).isEqualTo(want.expiresAt() == 0);
                if (want.expiresAt() > NOW) {
                    assertThat(got.expiresAt()).isEqualTo(want.expiresAt());
                } else if (want.expiresAt() != 0) {
                    assertThat(got.expiresAt()).isLessThanOrEqualTo(NOW);
                }
            }
        }
    }

    private static Message message(WireFormat.Type type, long id, List<Write> writes) {
        return TestMessages.of(type, id, writes);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex, 32 bytes a line, so that a diff shows where bytes moved. */
    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length; i += 32) {
            out.append(HexFormat.of().formatHex(bytes, i, Math.min(bytes.length, i + 32))).append('\n');
        }
        return out.toString();
    }

    private static String read(ProtocolVersion version, String fixture) throws IOException {
        Path file = fixtures(version).resolve(fixture + ".hex");
        assertThat(file).as("fixture of protocol %s (write it with -Dgossipcache.wire.write-fixtures=%s)", version,
                WireFormat.format(version)).exists();
        return Files.readString(file);
    }
}
