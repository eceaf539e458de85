package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.RawChannels;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.replication.WireFormat;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.Message.BucketRequest;
import io.gossipcache.core.replication.Message.CacheDigest;
import io.gossipcache.core.replication.TestMessages;
import io.gossipcache.core.replication.WireFormat.Type;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.version.HybridClock;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rogue member of an unsecured cluster (a raw JGroups channel that joined like any member) sends what a
 * real member never would: a serialized gadget class outside the allow-list, and a fuzzer's worth of random,
 * truncated, bit-flipped and wrong-version messages. The targeted member must refuse all of it without running
 * any foreign code, keep every cache it had intact, and go on replicating with its real peer.
 */
class RogueSenderTest {

    private static final Logger log = LoggerFactory.getLogger(RogueSenderTest.class);
    /** Cases the fuzzer sends; the issue asks for at least 100,000 in CI. */
    private static final int CASES = Integer.getInteger("gossipcache.fuzz.cases", 100_000);

    private final DefaultCodec codec = new DefaultCodec();
    private TestCluster cluster;
    private GossipCacheEngine target;
    private GossipCacheEngine peer;
    private JChannel rogue;
    private Address targetAddress;

    @BeforeEach
    void clusterWithARogue() throws Exception {
        cluster = new TestCluster("rogue");
        target = cluster.start("target");
        peer = cluster.start("peer");
        for (int i = 0; i < 200; i++) {
            target.cache("orders").put("order-" + i, "value-" + i);
        }
        await().atMost(TestCluster.WAIT).until(() -> peer.cache("orders").size() == 200);

        rogue = RawChannels.create(ClusterConfig.builder().clusterName(cluster.name).nodeName("rogue")
                .bindPort(cluster.basePort).portRange(9).build());
        rogue.setDiscardOwnMessages(true);
        rogue.connect(cluster.name);
        await().atMost(TestCluster.WAIT).until(() -> target.view().size() == 3 && rogue.getView().size() == 3);
        targetAddress = rogue.getView().getMembers().stream()
                .filter(a -> "target".equals(org.jgroups.util.NameCache.get(a)))
                .findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        if (rogue != null) {
            rogue.close();
        }
        cluster.close();
    }

    @Test
    void aGadgetOutsideTheAllowListIsRefusedWithoutRunningItsCode() throws Exception {
        Gadget.READS.set(0);
        long rejectedBefore = target.stats().writesRejected();
        long now = System.currentTimeMillis();
        // the rogue's own codec admits the gadget (an honest member's would refuse to write it)
        DefaultCodec rogueCodec = new DefaultCodec(io.gossipcache.core.codec.AllowList.of(List.of(Gadget.class.getName())));
        List<Write> writes = List.of(
                Write.put("orders", codec.encode("order-1"), rogueCodec.encode(new Gadget()), stamp(now, 1), 7, 0),
                Write.put("orders", codec.encode("gadget"), rogueCodec.encode(new Gadget()), stamp(now, 2), 7, 0),
                Write.put("orders", codec.encode("from-rogue"), codec.encode("plain string"), stamp(now, 3), 7, 0));
        rogue.send(new BytesMessage(targetAddress, WireFormat.encode(TestMessages.of(Type.WRITES, 0, writes), now)));

        // the allowed write in the same batch is applied: the refusal cost that one write, nothing else
        await().atMost(TestCluster.WAIT).until(() -> "plain string".equals(target.cache("orders").get("from-rogue")));
        assertThat(Gadget.READS).as("readObject of the refused class ran").hasValue(0);
        assertThat(target.stats().writesRejected() - rejectedBefore).isEqualTo(2);
        assertThat(target.cache("orders").get("gadget")).isNull();
        // the refused write is newer than the value it would replace: the member serves nothing rather than that
        // replaced value (a member of the cluster can delete the key anyway; membership is what TLS guards)
        assertThat(target.cache("orders").get("order-1")).isNull();
        assertOrdersIntactAndStillReplicating();
    }

    @Test
    void fuzzedMessagesCostNothingButACounter() throws Exception {
        long seed = Long.getLong("gossipcache.fuzz.seed", 20261122L);
        log.info("Fuzzing {} cases with seed {} (-Dgossipcache.fuzz.seed=S to replay)", CASES, seed);
        Random random = new Random(seed);
        List<byte[]> valid = validMessages(random);
        Map<String, AtomicInteger> sent = new LinkedHashMap<>();
        long malformedBefore = target.stats().messagesMalformed();
        ListAppender<ILoggingEvent> engineLog = new ListAppender<>();
        engineLog.start();
        ch.qos.logback.classic.Logger engineLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.gossipcache.core"); // the engine and its parts
        engineLogger.addAppender(engineLog);
        int wrongVersion = 0;
        target.cache("fuzz-done"); // before the fuzz: bit-flipped cache names fill the bound on caches
        long start = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            byte[] base = valid.get(random.nextInt(valid.size()));
            byte[] payload;
            String kind;
            switch (i % 4) {
                case 0 -> {
                    payload = new byte[random.nextInt(300)];
                    random.nextBytes(payload);
                    if (payload.length > 1 && random.nextBoolean()) { // get past the version check half the time
                        payload[0] = WireFormat.format(io.gossipcache.core.cluster.ProtocolVersion.CURRENT);
                        payload[1] = (byte) random.nextInt(Type.values().length);
                    }
                    kind = "random";
                }
                case 1 -> {
                    payload = Arrays.copyOf(base, random.nextInt(base.length));
                    kind = "truncated";
                }
                case 2 -> {
                    payload = base.clone();
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        int bit = random.nextInt(payload.length * 8);
                        payload[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                    kind = "bit-flipped";
                }
                default -> {
                    payload = base.clone();
                    payload[0] = (byte) (WireFormat.FORMAT_2 + 1 + random.nextInt(253)); // 3..255: formats no release writes
                    wrongVersion++;
                    kind = "wrong-version";
                }
            }
            sent.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            rogue.send(new BytesMessage(targetAddress, payload));
        }
        // The target handles one sender's messages in order: once this one is applied, all were handled.
        long now = System.currentTimeMillis();
        rogue.send(new BytesMessage(targetAddress, WireFormat.encode(TestMessages.of(Type.WRITES, 0, List.of(Write.put("fuzz-done",
                codec.encode("end"), codec.encode("end"), stamp(now, 0), 7, 0))), now)));
        await().atMost(TestCluster.WAIT.multipliedBy(6)).until(() -> "end".equals(target.cache("fuzz-done").get("end")));
        assertThat(target.cacheNames()).hasSizeLessThanOrEqualTo(target.config().maxCaches());
        long malformed = target.stats().messagesMalformed() - malformedBefore;
        log.info("Fuzzed {} cases {} in {} ms: {} counted as malformed", CASES, sent,
                (System.nanoTime() - start) / 1_000_000, malformed);

        engineLogger.detachAppender(engineLog);
        assertThat(malformed).as("wrong-version messages are all malformed").isGreaterThanOrEqualTo(wrongVersion);
        // bad bytes are refused as such: none reached a code path that failed unexpectedly
        assertThat(engineLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.startsWith("Failed to handle"));
        // and they cost a few log lines, not one per message
        assertThat(engineLog.list).hasSizeLessThan(20);
        assertThat(target.view().size()).isEqualTo(3);
        assertOrdersIntactAndStillReplicating();
    }

    /** The 200 orders are unchanged on both members, and writes still flow both ways. */
    private void assertOrdersIntactAndStillReplicating() {
        for (GossipCacheEngine member : List.of(target, peer)) {
            for (int i = 0; i < 200; i++) {
                if (i != 1 || member == peer) {
                    assertThat(member.cache("orders").get("order-" + i)).isEqualTo("value-" + i);
                }
            }
        }
        target.cache("orders").put("after-target", "t");
        peer.cache("orders").put("after-peer", "p");
        await().atMost(TestCluster.WAIT).until(() -> "t".equals(peer.cache("orders").get("after-target"))
                && "p".equals(target.cache("orders").get("after-peer")));
    }

    /** Well-formed messages of every type a member handles, all about caches named fuzz-N. */
    private List<byte[]> validMessages(Random random) {
        long now = System.currentTimeMillis();
        List<byte[]> messages = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            String cache = "fuzz-" + (n % 3);
            List<Write> writes = new ArrayList<>();
            for (int w = 0; w < 1 + random.nextInt(4); w++) {
                byte[] key = codec.encode("k" + random.nextInt(50));
                long ts = stamp(now, n * 10 + w);
                writes.add(switch (random.nextInt(5)) {
                    case 0 -> Write.evict(cache, key, ts, 7);
                    case 1 -> Write.clear(cache, ts, 7);
                    case 2 -> Write.put(cache, key, codec.encode(random.nextLong()), ts, 7, now + 60_000);
                    default -> Write.put(cache, key, codec.encode("v" + random.nextInt()), ts, 7, 0);
                });
            }
            long[] buckets = new long[1024];
            for (int b = 0; b < buckets.length; b += 1 + random.nextInt(100)) {
                buckets[b] = random.nextLong();
            }
            Message message = switch (n % 8) {
                case 0, 1 -> new Message.Writes(n % 2 == 0 ? 0 : 1_000 + n, writes);
                case 2 -> new Message.StateChunk(0, writes);
                case 3 -> new Message.GossipEntries(0, writes);
                case 4 -> new Message.GossipDigest(0, now - 600_000, now - 1_000,
                        List.of(new CacheDigest(cache, 0, 0, random.nextLong(), null)));
                case 5 -> new Message.GossipBuckets(0, now - 600_000, now - 1_000,
                        List.of(new CacheDigest(cache, 0, 0, 0, buckets)));
                case 6 -> new Message.GossipPull(0, now - 600_000, now - 1_000,
                        List.of(new BucketRequest(cache, new int[] {random.nextInt(1024), random.nextInt(1024)})));
                default -> TestMessages.of(n % 16 == 7 ? Type.ACK : Type.STATE_DONE, 5_000 + n, List.of());
            };
            messages.add(WireFormat.encode(message, now));
        }
        return messages;
    }

    private static long stamp(long millis, int logical) {
        return HybridClock.fromMillis(millis) + logical;
    }

    /** Stands for a deserialization gadget: any code in readObject would run while decoding. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            READS.incrementAndGet();
            in.defaultReadObject();
        }
    }
}
