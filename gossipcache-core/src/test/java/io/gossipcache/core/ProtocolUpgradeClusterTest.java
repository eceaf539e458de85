package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossipcache.core.cluster.Cluster;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ProtocolVersion;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.NotSerializableValueException;
import io.gossipcache.core.codec.ObjectFormat;
import io.gossipcache.core.replication.TestMessages;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Write;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jgroups.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Rolling upgrades, member by member: from protocol 1.0 to the current one (issue 21), and from 1.1 to 1.2, where
 * objects start to travel as Fory (issue 23). A member started to speak 1.0 is what the
 * previous release is on the wire: it writes format 1 only and refuses format 2 (the golden fixtures of
 * {@code WireFormatGoldenTest} pin that its bytes are 1.0's), so this runs in one JVM without a build of the previous
 * release. Each member's stack has a tap that records the format of every message it receives.
 */
class ProtocolUpgradeClusterTest {

    private static final String CACHE = "quotes";
    private TestCluster cluster;
    private final Map<String, FormatTap> taps = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void membersOfTwoMinorsReplicateAndRepairBothWaysAndTheClusterWritesTheNewFormatOnceAllAreUpgraded() {
        cluster = new TestCluster("upgrade");
        GossipCacheEngine old1 = start("old-1", ProtocolVersion.V1_0);
        GossipCacheEngine old2 = start("old-2", ProtocolVersion.V1_0);
        IntStream.range(0, 100).forEach(i -> old1.cache(CACHE).put("k" + i, "v" + i));
        await().atMost(TestCluster.WAIT).until(() -> old2.cache(CACHE).size() == 100);

        // old-2 is upgraded: it takes the state from a 1.0 member
        stop(old2);
        GossipCacheEngine new2 = start("new-2", ProtocolVersion.CURRENT);
        await().atMost(TestCluster.WAIT).until(() -> new2.cache(CACHE).size() == 100 && new2.view().size() == 2);
        assertThat(protocols(old1)).containsExactlyInAnyOrderEntriesOf(Map.of("old-1", "1.0",
                "new-2", ProtocolVersion.CURRENT.toString()));
        assertThat(protocols(new2)).isEqualTo(protocols(old1));

        // replication both ways
        new2.cache(CACHE).put("from-new", "n");
        new2.cache(CACHE).evict("k0");
        old1.cache(CACHE).put("from-old", "o");
        await().atMost(TestCluster.WAIT).until(() -> "n".equals(old1.cache(CACHE).get("from-new"))
                && old1.cache(CACHE).get("k0") == null && "o".equals(new2.cache(CACHE).get("from-old")));

        // anti-entropy both ways: writes on each side of a partition meet after it heals
        cluster.partition(List.of(List.of("old-1"), List.of("new-2")));
        await().atMost(TestCluster.WAIT).until(() -> old1.view().size() == 1 && new2.view().size() == 1);
        old1.cache(CACHE).put("side-old", "1");
        new2.cache(CACHE).put("side-new", "2");
        new2.cache(CACHE).put("k1", "newer");
        cluster.heal();
        await().atMost(TestCluster.WAIT).until(() -> old1.view().size() == 2
                && "2".equals(old1.cache(CACHE).get("side-new")) && "newer".equals(old1.cache(CACHE).get("k1"))
                && "1".equals(new2.cache(CACHE).get("side-old")));

        // old-1 leaves; a 1.0 member that joins now (a late or rolled-back instance) takes the state from 1.1
        stop(old1);
        GossipCacheEngine old3 = start("old-3", ProtocolVersion.V1_0);
        // by state transfer; or, when a loaded machine let its join time out, by the merge and anti-entropy
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            assertThat(old3.cache(CACHE).get("side-old")).isEqualTo("1");
            assertThat(old3.cache(CACHE).get("k1")).isEqualTo("newer");
            assertThat(old3.cache(CACHE).get("k0")).isNull();
            assertThat(old3.cache(CACHE).size()).isEqualTo(new2.cache(CACHE).size());
        });
        new2.cache(CACHE).put("to-old-3", "x");
        await().atMost(TestCluster.WAIT).until(() -> "x".equals(old3.cache(CACHE).get("to-old-3")));

        // nothing a 1.0 member could not read ever reached one
        for (GossipCacheEngine old : List.of(old1, old3)) {
            assertThat(old.stats().messagesMalformed()).as(old.nodeName()).isZero();
        }
        assertThat(taps.get("old-1").formats()).containsOnly(WireFormat.FORMAT_1);
        assertThat(taps.get("old-3").formats()).containsOnly(WireFormat.FORMAT_1);
        assertThat(taps.get("new-2").formats()).containsOnly(WireFormat.FORMAT_1);

        // the last 1.0 member is upgraded: from now on every member writes format 2
        stop(old3);
        GossipCacheEngine new1 = start("new-1", ProtocolVersion.CURRENT);
        new2.cache(CACHE).put("after", "y");
        new1.cache(CACHE).put("after-2", "z");
        await().atMost(TestCluster.WAIT).until(() -> "y".equals(new1.cache(CACHE).get("after"))
                && "z".equals(new2.cache(CACHE).get("after-2")));
        assertThat(taps.get("new-1").formats()).containsOnly(WireFormat.FORMAT_2);
        assertThat(taps.get("new-2").formats()).contains(WireFormat.FORMAT_2);
        assertThat(new1.cache(CACHE).size()).isEqualTo(new2.cache(CACHE).size());
        assertThat(new1.stats().messagesMalformed() + new2.stats().messagesMalformed()).isZero();
    }

    @Test
    void aMemberOfAnotherMajorIsRefusedServesNothingAndJoinsOnceThatClusterIsGone() {
        cluster = new TestCluster("major");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        // the cluster's own lines, INFO included, here only (the build's console stays at WARN)
        Logger logger = (Logger) LoggerFactory.getLogger(Cluster.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(log);
        try {
            GossipCacheEngine a = cluster.start("node-a");
            GossipCacheEngine b = cluster.start("node-b");
            assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
                    .filteredOn(l -> l.startsWith("Node ") && l.contains(" joined cluster")).hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("(protocol " + ProtocolVersion.CURRENT
                            + ", JGroups " + ProtocolVersion.JGROUPS_LINE + "."));
            // a release of the next major, as far as the cluster can tell (its address says 2.0), back from a
            // LOCAL excursion: what it cached meanwhile goes when the cluster refuses it
            GossipCacheEngine future = new GossipCacheEngine(EngineConfig.builder().startMode(Mode.LOCAL)
                    .cluster(cluster.clusterConfig("future").channelCustomizer(ch ->
                            ch.addAddressGenerator(() -> new ProtocolVersion(2, 0).newAddress())).build()).build());
            try {
                future.start();
                future.cache(CACHE).put("k", "local");
                assertThat(future.cache(CACHE).get("k")).isEqualTo("local");
                future.switchMode(Mode.CLUSTERED);

                assertThat(future.isRunning()).isTrue();
                assertThat(future.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                        .contains("does not admit protocol 2.0"));
                assertThat(future.view().size()).isEqualTo(1);
                assertThat(future.cache(CACHE).get("k")).as("a refused member serves nothing").isNull();
                future.cache(CACHE).put("k", "from-future");
                assertThat(future.cache(CACHE).get("k")).as("nor stores anything").isNull();
                // the cluster did not notice, and keeps serving
                assertThat(a.view().size()).isEqualTo(2);
                assertThat(b.view().size()).isEqualTo(2);
                a.cache(CACHE).put("k", "v");
                await().atMost(TestCluster.WAIT).until(() -> "v".equals(b.cache(CACHE).get("k")));
                List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
                assertThat(lines).filteredOn(l -> l.contains("refused the join of future")).hasSize(1);
                assertThat(lines).filteredOn(l -> l.contains("Node future was refused by cluster")).hasSize(1);

                // the other major's members go away: the refused member founds the cluster by itself
                stop(a);
                stop(b);
                await().atMost(Cluster.REJOIN_INTERVAL.plus(TestCluster.WAIT)).pollInterval(Duration.ofMillis(200))
                        .until(() -> future.refusal().isEmpty());
                future.cache(CACHE).put("k", "served");
                assertThat(future.cache(CACHE).get("k")).isEqualTo("served");
            } finally {
                future.close();
            }
        } finally {
            logger.detachAppender(log);
            logger.setAdditive(true);
            logger.setLevel(level);
        }
    }

    /** A value as an application of the previous release had to write it: Serializable. */
    record Price(String sku, BigDecimal amount) implements Serializable {
    }

    /** A value as applications write them now. */
    record Quote(String symbol, BigDecimal bid, Instant at) {
    }

    @Test
    void objectsTravelWithJavaSerializationUntilEveryMemberReadsForyAndWithForyFromThen() {
        DefaultCodec codec = new DefaultCodec(AllowList.of(List.of(Price.class.getName(), Quote.class.getName())),
                getClass().getClassLoader(), ObjectFormat.FORY);
        ObjectFormat[] nextFormat = {ObjectFormat.JAVA}; // what the next member started writes
        cluster = new TestCluster("fory-upgrade", b -> b.keyCodec(codec.writing(nextFormat[0]))
                .valueCodec(codec.writing(nextFormat[0])));
        // the previous release: protocol 1.1, and a codec that writes objects with Java serialization
        GossipCacheEngine old1 = start("old-1", ProtocolVersion.V1_1);
        GossipCacheEngine old2 = start("old-2", ProtocolVersion.V1_1);
        old1.cache(CACHE).put("p1", new Price("p1", new BigDecimal("1.10")));
        await().atMost(TestCluster.WAIT).until(() -> old2.cache(CACHE).get("p1") != null);

        // old-2 is upgraded to a release that writes Fory: with a 1.1 member in the view it writes Java
        stop(old2);
        nextFormat[0] = ObjectFormat.FORY;
        GossipCacheEngine new2 = start("new-2", ProtocolVersion.CURRENT);
        await().atMost(TestCluster.WAIT).until(() -> new Price("p1", new BigDecimal("1.10"))
                .equals(new2.cache(CACHE).get("p1")) && new2.view().size() == 2);
        new2.cache(CACHE).put("p2", new Price("p2", new BigDecimal("2.20")));
        await().atMost(TestCluster.WAIT).until(() -> old1.cache(CACHE).get("p2") != null);
        assertThatThrownBy(() -> new2.cache(CACHE).put("q", new Quote("ACME", BigDecimal.ONE, Instant.EPOCH)))
                .as("what the 1.1 member could not read fails on the writer, as before the upgrade")
                .isInstanceOf(NotSerializableValueException.class);
        assertThat(taps.get("old-1").valueTags()).contains(JAVA_TAG).doesNotContain(FORY_TAG);

        // the last 1.1 member is upgraded: from now on objects travel as Fory, records without Serializable
        stop(old1);
        GossipCacheEngine new1 = start("new-1", ProtocolVersion.CURRENT);
        await().atMost(TestCluster.WAIT).until(() -> new Price("p2", new BigDecimal("2.20"))
                .equals(new1.cache(CACHE).get("p2")) && new1.view().size() == 2);
        Quote quote = new Quote("ACME", new BigDecimal("42.17"), Instant.ofEpochSecond(1_767_225_600L, 5));
        new2.cache(CACHE).put("q", quote);
        await().atMost(TestCluster.WAIT).until(() -> quote.equals(new1.cache(CACHE).get("q")));
        assertThat(taps.get("new-1").valueTags()).contains(FORY_TAG).doesNotContain(JAVA_TAG);
        for (GossipCacheEngine engine : List.of(old1, new1, new2)) {
            assertThat(engine.stats().writesRejected() + engine.stats().messagesMalformed()).as(engine.nodeName())
                    .isZero();
        }
    }

    private static final byte JAVA_TAG = 9;
    private static final byte FORY_TAG = 10;

    private GossipCacheEngine start(String name, ProtocolVersion version) {
        cluster.clusterTweaks(c -> c.protocolVersion(version).channelCustomizer(ch -> {
            FormatTap tap = new FormatTap();
            taps.put(name, tap);
            ch.getProtocolStack().insertProtocolAtTop(new MessageTap(tap::record));
        }));
        return cluster.start(name);
    }

    private void stop(GossipCacheEngine engine) {
        engine.close();
        cluster.forget(engine);
    }

    private static Map<String, String> protocols(GossipCacheEngine engine) {
        return engine.view().members().stream().collect(Collectors.toMap(ClusterMember::name, ClusterMember::protocol));
    }

    /**
     * Records the format byte of every gossipcache message a member receives, and the first byte (the codec's tag) of
     * every value in them.
     */
    static final class FormatTap {

        private final Set<Byte> formats = ConcurrentHashMap.newKeySet();
        private final Set<Byte> valueTags = ConcurrentHashMap.newKeySet();

        Set<Byte> formats() {
            return Set.copyOf(formats);
        }

        Set<Byte> valueTags() {
            return Set.copyOf(valueTags);
        }

        void record(Message msg) {
            if (msg.hasArray() && msg.getLength() > 0) {
                formats.add(msg.getArray()[msg.getOffset()]);
                try {
                    io.gossipcache.core.replication.Message decoded = WireFormat.decode(msg.getArray(),
                            msg.getOffset(), msg.getLength(), System.currentTimeMillis(), ProtocolVersion.CURRENT);
                    for (Write write : TestMessages.writes(decoded)) {
                        if (write.kind() == Write.Kind.PUT && write.valueLength() > 0) {
                            valueTags.add(write.valueArray()[write.valueOffset()]);
                        }
                    }
                } catch (RuntimeException notOneWithWrites) {
                    // counted by the engine if it is malformed; the formats above are what this tap is for
                }
            }
        }
    }
}
