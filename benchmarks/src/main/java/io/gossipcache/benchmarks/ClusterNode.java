package io.gossipcache.benchmarks;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.replication.ReplicationStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One member of the cluster benchmark, in its own JVM, driven by {@link ClusterThroughputBenchmark} through a
 * line protocol: commands arrive on stdin, answers leave on stdout as lines starting with {@code "@@ "} (any
 * other stdout line is only echoed by the coordinator; logs go to stderr). The process exits as soon as stdin
 * closes, even in the middle of a command, so it cannot outlive its coordinator.
 *
 * <p>Times sent to the coordinator are wall-clock microseconds since the epoch ({@link Instant#now()}, which on
 * Linux reads CLOCK_REALTIME with microsecond resolution or better). All members run on one machine, so they
 * read the same clock; durations inside one process (the writer's put rate) use {@link System#nanoTime()}.
 *
 * <pre>
 * command                      answer
 * VIEW size timeoutMs          VIEW size | ERR ...            wait until the view has this many members
 * WRITE cache n valueBytes     WROTE firstPutUs lastPutUs putNanos handedOffUs
 *                                                             put n keys k0..k(n-1) as fast as possible (async
 *                                                             replication); handedOffUs: the replicator has passed
 *                                                             all of them to JGroups
 * EXPECT cache n timeoutMs     EXPECTING, later: HAVE firstKeyUs lastKeyUs allAppliedUs missing
 *                                                             watch for k0, then k(n-1), then for the engine's
 *                                                             applied-writes counter to reach n; then check (untimed)
 *                                                             that all n keys are readable: missing = how many not
 * CLEAR cache                  CLEARED                        cache.clear() (replicated)
 * EMPTY cache timeoutMs        EMPTY | ERR ...                wait until the cache holds nothing here
 * GC                           GC                             System.gc() between rounds
 * STATS                        STATS name=value ...           replication counters
 * QUIT                         BYE                            leave the cluster and exit
 * </pre>
 */
public final class ClusterNode {

    /** How often a reader looks for the key it waits for: the resolution of the reported times. */
    static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final PrintStream OUT = System.out;
    /** Set when QUIT was read: the end of stdin that follows is expected. */
    private static volatile boolean quitting;

    private final GossipCacheEngine engine;
    private volatile Thread watcher;

    private ClusterNode(GossipCacheEngine engine) {
        this.engine = engine;
    }

    /** The configuration of every member: loopback only, async replication, everything else default. */
    static EngineConfig engineConfig(String cluster, String name, int basePort, int portRange) {
        return EngineConfig.builder()
                .cluster(ClusterConfig.builder()
                        .clusterName(cluster)
                        .nodeName(name)
                        .bindAddress("127.0.0.1")
                        .bindPort(basePort)
                        .portRange(portRange)
                        .build())
                .replicationMode(ReplicationMode.ASYNC)
                .build();
    }

    /** {@code node --cluster NAME --name NAME --base-port P --port-range R} */
    static void main(String[] args) throws Exception {
        String cluster = null;
        String name = null;
        int basePort = 26200;
        int portRange = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cluster" -> cluster = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--base-port" -> basePort = Integer.parseInt(args[i + 1]);
                case "--port-range" -> portRange = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (cluster == null || name == null) {
            throw new IllegalArgumentException("node needs --cluster and --name");
        }
        GossipCacheEngine engine = new GossipCacheEngine(engineConfig(cluster, name, basePort, portRange));
        // Runs on every exit path (QUIT, EOF, error, SIGTERM): leave the cluster gracefully.
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "close-engine"));
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread stdin = new Thread(() -> readCommands(commands), "stdin");
        stdin.setDaemon(true);
        stdin.start();
        int status = 0;
        try {
            engine.start();
            say("READY " + name + " " + engine.view().size());
            new ClusterNode(engine).serve(commands);
        } catch (Throwable t) {
            say("ERR " + name + " failed: " + oneLine(t));
            t.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Reads commands on its own thread so that the end of stdin is seen at once, even while a command runs: the
     * coordinator is gone (killed, crashed), and this process must not outlive it.
     */
    private static void readCommands(BlockingQueue<String> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("QUIT")) {
                    quitting = true; // the main thread leaves the cluster and exits
                }
                commands.add(line);
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
        if (!quitting) {
            System.err.println("stdin closed: the coordinator is gone; exiting");
            System.exit(3);
        }
    }

    private void serve(BlockingQueue<String> commands) throws InterruptedException {
        while (true) {
            String line = commands.take();
            String[] c = line.trim().split("\\s+");
            try {
                switch (c[0]) {
                    case "VIEW" -> awaitView(Integer.parseInt(c[1]), Long.parseLong(c[2]));
                    case "WRITE" -> write(c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                    case "EXPECT" -> expect(c[1], Integer.parseInt(c[2]), Long.parseLong(c[3]));
                    case "CLEAR" -> {
                        engine.cache(c[1]).clear();
                        say("CLEARED");
                    }
                    case "EMPTY" -> awaitEmpty(c[1], Long.parseLong(c[2]));
                    case "GC" -> {
                        System.gc();
                        say("GC");
                    }
                    case "STATS" -> say("STATS " + stats(engine.stats()));
                    case "QUIT" -> {
                        engine.close();
                        say("BYE");
                        return;
                    }
                    case "" -> { }
                    default -> say("ERR unknown command: " + line);
                }
            } catch (RuntimeException e) {
                say("ERR " + c[0] + ": " + oneLine(e));
                e.printStackTrace();
            }
        }
    }

    private void awaitView(int size, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (engine.view().size() != size) {
            if (System.nanoTime() > deadline) {
                say("ERR view has " + engine.view().size() + " member(s), not " + size + ": " + engine.view().members());
                return;
            }
            sleepMillis(20);
        }
        say("VIEW " + size);
    }

    private void write(String cacheName, int n, int valueBytes) {
        ReplicatedCache cache = engine.cache(cacheName);
        String[] keys = keys(n);
        byte[][] values = new byte[n][];
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
            values[i] = new byte[valueBytes];
            random.nextBytes(values[i]);
        }
        long sentBefore = engine.stats().writesSent();

        long firstPutUs = epochMicros();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            cache.put(keys[i], values[i], Duration.ZERO);
        }
        long putNanos = System.nanoTime() - start;
        long lastPutUs = epochMicros();

        // The replicator sends from its own thread: wait until it has handed every write to JGroups.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (engine.stats().writesSent() < sentBefore + n && System.nanoTime() < deadline
                && engine.view().size() > 1) { // alone, the replicator sends nothing
            LockSupport.parkNanos(POLL_NANOS);
        }
        long handedOffUs = engine.stats().writesSent() >= sentBefore + n ? epochMicros() : -1;
        say("WROTE " + firstPutUs + " " + lastPutUs + " " + putNanos + " " + handedOffUs);
    }

    private void expect(String cacheName, int n, long timeoutMs) {
        Thread previous = watcher;
        if (previous != null && previous.isAlive()) {
            say("ERR a watcher is still running");
            return;
        }
        ReplicatedCache cache = engine.cache(cacheName);
        String[] keys = keys(n); // built before the writer starts: not part of the measured time
        // Only this round's cache is written while it runs, so every applied remote write from now on is one of ours.
        long appliedBefore = engine.stats().writesApplied();
        Thread t = new Thread(() -> watch(cache, keys, appliedBefore, timeoutMs), "bench-watcher");
        t.setDaemon(true);
        watcher = t;
        t.start();
        say("EXPECTING");
    }

    private void watch(ReplicatedCache cache, String[] keys, long appliedBefore, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int n = keys.length;
        // Per-sender FIFO: the last key can arrive only after the first. Poll the first, then the last.
        long firstUs = awaitKey(cache, keys[0], deadline);
        long lastUs = firstUs < 0 ? -1 : awaitKey(cache, keys[n - 1], deadline);
        // All n applied: the engine counts a replicated write after it is in the store. Should some write reach
        // this member by another path that is not counted (a later anti-entropy repair, say), a rescan of the
        // keys not yet seen, every ~10 ms, ends the wait too.
        int[] missing = new int[n];
        int missingCount = lastUs < 0 ? 0 : n;
        for (int i = 0; i < missingCount; i++) {
            missing[i] = i;
        }
        long allUs = -1;
        for (int poll = 0; lastUs >= 0; poll++) {
            if (engine.stats().writesApplied() - appliedBefore >= n) {
                allUs = epochMicros();
                break;
            }
            if (poll % 50 == 49) {
                missingCount = stillMissing(cache, keys, missing, missingCount);
                if (missingCount == 0) {
                    allUs = epochMicros();
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        // Then verify, untimed, that every key is readable here (waiting for stragglers until the deadline).
        missingCount = 0;
        for (int i = 0; i < n; i++) {
            missing[missingCount++] = i;
        }
        missingCount = stillMissing(cache, keys, missing, missingCount);
        while (missingCount > 0 && System.nanoTime() < deadline) {
            sleepMillis(1);
            missingCount = stillMissing(cache, keys, missing, missingCount);
        }
        say("HAVE " + firstUs + " " + lastUs + " " + allUs + " " + missingCount);
    }

    /** Compacts {@code missing[0..count)} to the keys still not readable; returns how many. */
    private static int stillMissing(ReplicatedCache cache, String[] keys, int[] missing, int count) {
        int still = 0;
        for (int j = 0; j < count; j++) {
            if (cache.get(keys[missing[j]]) == null) {
                missing[still++] = missing[j];
            }
        }
        return still;
    }

    private static long awaitKey(ReplicatedCache cache, String key, long deadline) {
        while (cache.get(key) == null) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return epochMicros();
    }

    private void awaitEmpty(String cacheName, long timeoutMs) {
        ReplicatedCache cache = engine.cache(cacheName);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long size;
        while ((size = cache.size()) > 0) {
            if (System.nanoTime() > deadline) {
                say("ERR cache " + cacheName + " still holds " + size + " entries");
                return;
            }
            sleepMillis(20);
        }
        say("EMPTY");
    }

    static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "k" + i;
        }
        return keys;
    }

    private static String stats(ReplicationStats s) {
        return "writesSent=" + s.writesSent() + " messagesSent=" + s.messagesSent() + " bytesSent=" + s.bytesSent()
                + " writesReceived=" + s.writesReceived() + " writesApplied=" + s.writesApplied()
                + " writesStale=" + s.writesStale() + " writesRejected=" + s.writesRejected()
                + " messagesMalformed=" + s.messagesMalformed() + " stateEntriesReceived=" + s.stateEntriesReceived();
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String oneLine(Throwable t) {
        return (t.getClass().getSimpleName() + ": " + t.getMessage()).replaceAll("\\s+", " ");
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println("@@ " + line);
            OUT.flush();
        }
    }
}
