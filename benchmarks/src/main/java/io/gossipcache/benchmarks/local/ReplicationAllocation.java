package io.gossipcache.benchmarks.local;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.replication.ReplicationMode;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jgroups.protocols.FD_SOCK2;

/**
 * Diagnosis: heap bytes allocated per replicated write, by thread, on the writer and on the receiver. Two engines
 * in this JVM (a writer and a reader, JGroups TCP on 127.0.0.1 ports 26900-26901, FD_SOCK2 on 26950-26951), a
 * paced stream of puts of {@code "k"+i} -> {@code byte[100]} (4,000/s: one write per message, as in S3), and
 * each thread's allocated bytes ({@code ThreadMXBean}) over the last of several rounds, divided by the writes.
 * Allocation per write decides how often a member's young GC pauses the replication path (S3's finding 3).
 * Deterministic to a few bytes, unlike a lag percentile.
 *
 * <pre>
 * java -Djava.net.preferIPv4Stack=true -cp benchmarks.jar io.gossipcache.benchmarks.local.ReplicationAllocation [writes per round]
 * </pre>
 */
public final class ReplicationAllocation {

    private static final int PORT = 26900;
    private static final int FD_SOCK_OFFSET = 50;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1) / 4_000;

    private ReplicationAllocation() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (GossipCacheEngine writer = start("writer", PORT);
             GossipCacheEngine reader = start("reader", PORT + 1)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writer.view().size() < 2 || reader.view().size() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two engines did not form a cluster within 30 s");
                }
                Thread.sleep(10);
            }
            ReplicatedCache from = writer.cache("alloc");
            ReplicatedCache to = reader.cache("alloc");
            Map<String, Long> perWrite = Map.of();
            for (int round = 0; round < 3; round++) { // the first rounds warm up the JIT
                String[] keys = new String[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = "k" + round + "-" + i;
                }
                Map<String, Long> before = allocatedByThread(threads);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    from.put(keys[i], new byte[100]);
                    long next = start + (i + 1) * PERIOD_NANOS;
                    while (System.nanoTime() < next) {
                        LockSupport.parkNanos(50_000);
                    }
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (to.get(keys[n - 1]) == null) {
                    if (System.nanoTime() > until) {
                        throw new IllegalStateException("the last write did not arrive within 30 s");
                    }
                    LockSupport.parkNanos(100_000);
                }
                perWrite = perWrite(before, allocatedByThread(threads), n);
            }
            System.out.printf(Locale.ROOT, "Bytes allocated per replicated write (%,d writes of 100 B values, 4,000/s), by thread:%n", n);
            long writerTotal = 0;
            long readerTotal = 0;
            for (Map.Entry<String, Long> e : perWrite.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-60s %6d%n", e.getKey(), e.getValue());
                if (e.getKey().contains("reader")) {
                    readerTotal += e.getValue();
                } else {
                    writerTotal += e.getValue();
                }
            }
            System.out.printf(Locale.ROOT, "  writer side (with the putting thread) %d, reader side %d%n", writerTotal, readerTotal);
        }
    }

    private static GossipCacheEngine start(String name, int port) {
        ClusterConfig cluster = ClusterConfig.builder()
                .clusterName("alloc-" + ProcessHandle.current().pid())
                .nodeName(name)
                .bindAddress("127.0.0.1")
                .bindPort(port)
                .portRange(0)
                .seeds(List.of("127.0.0.1[" + PORT + "]", "127.0.0.1[" + (PORT + 1) + "]"))
                .channelCustomizer(channel -> {
                    FD_SOCK2 fd = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
                    fd.setOffset(FD_SOCK_OFFSET).setPortRange(0);
                })
                .build();
        GossipCacheEngine engine = new GossipCacheEngine(EngineConfig.builder().cluster(cluster)
                .replicationMode(ReplicationMode.ASYNC).build());
        engine.start();
        return engine;
    }

    /** Threads grouped by name without numbers and ports (a pool's threads, or a connection's, count as one). */
    private static Map<String, Long> allocatedByThread(com.sun.management.ThreadMXBean threads) {
        Map<String, Long> out = new TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long bytes = threads.getThreadAllocatedBytes(id);
            if (info != null && bytes > 0) {
                out.merge(info.getThreadName().replaceAll("\\[[^]]*]", "").replaceAll("-?\\d+", "") + "#" + id, bytes, Long::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> perWrite(Map<String, Long> before, Map<String, Long> after, int n) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((thread, bytes) -> {
            long delta = (bytes - before.getOrDefault(thread, 0L)) / n;
            if (delta > 2) {
                out.merge(thread.substring(0, thread.indexOf('#')), delta, Long::sum);
            }
        });
        return out;
    }
}
