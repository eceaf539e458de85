package io.gossipcache.benchmarks;

import io.gossipcache.core.EngineConfig;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Multi-process replication benchmark (a plain main, not JMH).
 *
 * <p>Starts {@code --nodes} (default 3) JVMs from the same java and classpath, each one
 * {@link io.gossipcache.core.GossipCacheEngine} member of one cluster on 127.0.0.1 (a unique cluster name, ports
 * {@code --base-port} and up). Node 1 is the writer: per round it puts {@code --n} keys with
 * {@code --value-bytes}-byte {@code byte[]} values, async replication, as fast as one thread can. The other
 * nodes watch for the first key, then the last key, then for their count of applied replicated writes to reach
 * N, and finally check (untimed) that every key is readable. Per round it reports the writer's put rate, when
 * the writer's replicator had handed every write to JGroups, and per reader the time from the writer's first
 * put until the first key was readable, the last key was readable, and all N writes were applied there.
 *
 * <p>Clock: every event time is wall-clock microseconds ({@link java.time.Instant#now()}) taken in the process
 * where it happened; all processes run on this one machine and so read the same system clock. The writer's
 * put rate uses {@link System#nanoTime()} within the writer. Readers poll every
 * {@value ClusterNode#POLL_NANOS} ns, which bounds the resolution of their times.
 *
 * <p>One cluster serves all rounds: {@code --warmup} rounds (default 1, not counted) and then {@code --rounds}
 * measured rounds (default 3), each into a fresh cache; between rounds the writer clears the round's cache,
 * every member waits for it to be empty and runs {@code System.gc()}. Median and min–max over the measured
 * rounds are reported. Child processes are stopped at the end, on error and on Ctrl-C (QUIT, then destroy,
 * then destroyForcibly, each after a bounded wait); a child also exits by itself when its stdin closes.
 *
 * <pre>
 * java -Djava.net.preferIPv4Stack=true -cp benchmarks.jar io.gossipcache.benchmarks.ClusterThroughputBenchmark \
 *      [--n 200000] [--rounds 3] [--warmup 1] [--value-bytes 100] [--nodes 3] [--base-port 26200]
 *      [--port-range 5] [--heap 512m] [--round-timeout-s 120] [--log-dir DIR] [--md FILE]
 * </pre>
 */
public final class ClusterThroughputBenchmark {

    private final Settings settings;
    private final List<Child> children = new ArrayList<>();

    private ClusterThroughputBenchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("node")) {
            ClusterNode.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ClusterThroughputBenchmark [--n 200000] [--rounds 3] [--warmup 1] [--value-bytes 100]"
                    + " [--nodes 3] [--base-port 26200] [--port-range 5] [--heap 512m] [--round-timeout-s 120]"
                    + " [--log-dir DIR] [--md FILE]");
            System.exit(2);
            return;
        }
        ClusterThroughputBenchmark bench = new ClusterThroughputBenchmark(settings);
        Thread hook = new Thread(bench::stopAll, "stop-children");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        String report;
        try {
            report = bench.run();
        } catch (Exception e) {
            status = 1;
            report = "**Cluster benchmark failed:** " + String.valueOf(e.getMessage()).replace('\n', ' ') + "\n\n"
                    + "Logs of the members: `" + settings.logDir + "`.\n";
            System.err.println("Cluster benchmark failed: " + e.getMessage());
            e.printStackTrace();
        } finally {
            bench.stopAll();
        }
        System.out.println();
        System.out.println(report);
        if (settings.md != null) {
            Path md = Path.of(settings.md).toAbsolutePath();
            Files.createDirectories(md.getParent());
            Files.writeString(md, report);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        System.exit(status);
    }

    // ---------------------------------------------------------------- the run

    private String run() throws Exception {
        Settings s = settings;
        String cluster = "bench-cluster-" + UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(Path.of(s.logDir));
        log("cluster '%s' of %d JVMs on 127.0.0.1:%d+%d, N=%,d, %d-byte values, %d warm-up + %d measured round(s)",
                cluster, s.nodes, s.basePort, s.portRange, s.n, s.valueBytes, s.warmup, s.rounds);

        long t0 = System.nanoTime();
        // The first member founds the cluster; the others join it (started together, they could split first).
        Child writer = start(1, cluster);
        writer.await("READY", 60_000);
        for (int i = 2; i <= s.nodes; i++) {
            start(i, cluster);
        }
        for (Child c : children.subList(1, children.size())) {
            c.await("READY", 60_000);
        }
        for (Child c : children) {
            c.send("VIEW " + s.nodes + " 30000");
        }
        for (Child c : children) {
            c.await("VIEW", 35_000);
        }
        log("cluster of %d formed in %.1f s", s.nodes, (System.nanoTime() - t0) / 1e9);

        List<Round> measured = new ArrayList<>();
        List<Round> warmups = new ArrayList<>();
        for (int r = 0; r < s.warmup + s.rounds; r++) {
            boolean warm = r < s.warmup;
            String cache = "bench-" + r;
            Round round = round(cache);
            log("%s %d: %s", warm ? "warm-up" : "round", warm ? r + 1 : r - s.warmup + 1, round.summary());
            (warm ? warmups : measured).add(round);
            between(cache);
        }
        List<String> stats = new ArrayList<>();
        for (Child c : children) {
            c.send("STATS");
            stats.add(c.name + ": " + c.await("STATS", 10_000).substring("STATS ".length()));
        }
        return report(cluster, warmups, measured, stats);
    }

    private Round round(String cache) throws Exception {
        Settings s = settings;
        long timeoutMs = s.roundTimeoutSeconds * 1000L;
        List<Child> readers = children.subList(1, children.size());
        for (Child r : readers) {
            r.send("EXPECT " + cache + " " + s.n + " " + timeoutMs);
        }
        for (Child r : readers) {
            r.await("EXPECTING", 30_000);
        }
        Child writer = children.get(0);
        writer.send("WRITE " + cache + " " + s.n + " " + s.valueBytes);
        long[] wrote = longs(writer.await("WROTE", timeoutMs + 10_000));
        Round round = new Round(s.n, wrote[0], wrote[1], wrote[2], wrote[3]);
        for (Child r : readers) {
            long[] have = longs(r.await("HAVE", timeoutMs + 10_000));
            round.readers.add(new ReaderTimes(r.name, have[0], have[1], have[2], (int) have[3]));
        }
        return round;
    }

    /** Clears the round's cache everywhere and collects garbage, so that rounds do not pay for each other. */
    private void between(String cache) throws Exception {
        Child writer = children.get(0);
        writer.send("CLEAR " + cache);
        writer.await("CLEARED", 30_000);
        for (Child c : children) {
            c.send("EMPTY " + cache + " 30000");
        }
        for (Child c : children) {
            c.await("EMPTY", 35_000);
        }
        for (Child c : children) {
            c.send("GC");
        }
        for (Child c : children) {
            c.await("GC", 30_000);
        }
    }

    // ---------------------------------------------------------------- results

    /** One round as measured. Times in epoch microseconds; -1 = did not happen within the round timeout. */
    static final class Round {
        final int n;
        final long firstPutUs;
        final long lastPutUs;
        final long putNanos;
        final long handedOffUs;
        final List<ReaderTimes> readers = new ArrayList<>();

        Round(int n, long firstPutUs, long lastPutUs, long putNanos, long handedOffUs) {
            this.n = n;
            this.firstPutUs = firstPutUs;
            this.lastPutUs = lastPutUs;
            this.putNanos = putNanos;
            this.handedOffUs = handedOffUs;
        }

        double putsPerSecond() {
            return n / (putNanos / 1e9);
        }

        double handedOffMs() {
            return handedOffUs < 0 ? Double.NaN : (handedOffUs - firstPutUs) / 1e3;
        }

        double sinceFirstPutMs(long us) {
            return us < 0 ? Double.NaN : (us - firstPutUs) / 1e3;
        }

        /** Time until the last key was readable on every reader. */
        double lastKeyEverywhereMs() {
            double max = 0;
            for (ReaderTimes r : readers) {
                max = Math.max(max, sinceFirstPutMs(r.lastKeyUs));
            }
            return max;
        }

        /** N divided by the time until the last key was readable on every reader. */
        double endToEndPerSecond() {
            return n / (lastKeyEverywhereMs() / 1e3);
        }

        String summary() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "writer %,.0f puts/s (%.0f ms), handed to JGroups at %.0f ms",
                    putsPerSecond(), putNanos / 1e6, handedOffMs()));
            for (ReaderTimes r : readers) {
                b.append(String.format(Locale.ROOT, "; %s first %.1f ms, last %.1f ms, all applied %.1f ms%s", r.name,
                        sinceFirstPutMs(r.firstKeyUs), sinceFirstPutMs(r.lastKeyUs), sinceFirstPutMs(r.allAppliedUs),
                        r.missing > 0 ? " (" + r.missing + " keys NOT READABLE)" : ""));
            }
            return b.toString();
        }
    }

    record ReaderTimes(String name, long firstKeyUs, long lastKeyUs, long allAppliedUs, int missing) {
    }

    private String report(String cluster, List<Round> warmups, List<Round> measured, List<String> stats) {
        Settings s = settings;
        EngineConfig config = ClusterNode.engineConfig(cluster, "node1", s.basePort, s.portRange);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%d JVMs (`-Xms%s -Xmx%s -Djava.net.preferIPv4Stack=true`), one cluster on 127.0.0.1 ports %d+%d; "
                        + "writer node1 puts N = %,d keys (`\"k\"+i`) with %d-byte `byte[]` values from one thread, "
                        + "replication %s (queue capacity %,d); readers: %s. %d warm-up round(s) not counted, "
                        + "%d measured round(s), each into a fresh cache. Times are from the writer's first put, "
                        + "wall clock (µs) of this one machine; readers poll every %d µs. \"first/last key readable\": "
                        + "`get(\"k0\")` / `get(\"k\"+(N-1))` returns the value on that reader; \"all N applied\": its "
                        + "count of applied replicated writes reached N, or a rescan (every ~10 ms) found every key readable; "
                        + "every key is then also checked, untimed, to be readable.%n%n",
                s.nodes, s.heap, s.heap, s.basePort, s.portRange, s.n, s.valueBytes, config.replicationMode(),
                config.replicationQueueCapacity(), readerNames(), s.warmup, s.rounds,
                TimeUnit.NANOSECONDS.toMicros(ClusterNode.POLL_NANOS)));

        out.append("| metric | median | min | max |\n| --- | ---: | ---: | ---: |\n");
        row(out, "writer puts/s (put loop, async)", measured, Round::putsPerSecond, "%,.0f");
        row(out, "writer: all writes handed to JGroups (ms)", measured, Round::handedOffMs, "%,.1f");
        for (int i = 0; i < s.nodes - 1; i++) {
            final int k = i;
            String name = children.size() > i + 1 ? children.get(i + 1).name : "reader" + (i + 1);
            row(out, name + ": first key readable (ms)", measured, r -> r.sinceFirstPutMs(r.readers.get(k).firstKeyUs), "%,.1f");
            row(out, name + ": last key readable (ms)", measured, r -> r.sinceFirstPutMs(r.readers.get(k).lastKeyUs), "%,.1f");
            row(out, name + ": all N applied (ms)", measured, r -> r.sinceFirstPutMs(r.readers.get(k).allAppliedUs), "%,.1f");
        }
        row(out, "last key readable on every reader (ms)", measured, Round::lastKeyEverywhereMs, "%,.1f");
        row(out, "end-to-end replicated writes/s (N / previous line)", measured, Round::endToEndPerSecond, "%,.0f");

        out.append("\nPer round:\n\n");
        for (int i = 0; i < warmups.size(); i++) {
            out.append("- warm-up ").append(i + 1).append(": ").append(warmups.get(i).summary()).append('\n');
        }
        for (int i = 0; i < measured.size(); i++) {
            out.append("- round ").append(i + 1).append(": ").append(measured.get(i).summary()).append('\n');
        }
        long missing = measured.stream().flatMap(r -> r.readers.stream()).filter(r -> r.missing != 0).count();
        if (missing > 0) {
            out.append("\n**").append(missing).append(" reader round(s) did not have every key readable within the round timeout.**\n");
        }
        out.append("\nReplication counters at the end (all rounds, warm-up included):\n\n");
        for (String line : stats) {
            out.append("- ").append(line).append('\n');
        }
        return out.toString();
    }

    private String readerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < children.size(); i++) {
            names.add(children.get(i).name);
        }
        return String.join(", ", names);
    }

    private static void row(StringBuilder out, String label, List<Round> rounds, ToDoubleFunction<Round> metric, String fmt) {
        double[] v = rounds.stream().mapToDouble(metric).sorted().toArray();
        if (v.length == 0) {
            return;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        out.append("| ").append(label)
                .append(" | ").append(String.format(Locale.ROOT, fmt, median))
                .append(" | ").append(String.format(Locale.ROOT, fmt, v[0]))
                .append(" | ").append(String.format(Locale.ROOT, fmt, v[v.length - 1])).append(" |\n");
    }

    private static long[] longs(String answer) {
        String[] parts = answer.trim().split("\\s+");
        long[] v = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            v[i - 1] = Long.parseLong(parts[i]);
        }
        return v;
    }

    // ---------------------------------------------------------------- processes

    private Child start(int index, String cluster) throws IOException {
        Settings s = settings;
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String name = "node" + index;
        List<String> cmd = List.of(java,
                "-Djava.net.preferIPv4Stack=true",
                "-Xms" + s.heap, "-Xmx" + s.heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"),
                ClusterThroughputBenchmark.class.getName(), "node",
                "--cluster", cluster, "--name", name,
                "--base-port", String.valueOf(s.basePort), "--port-range", String.valueOf(s.portRange));
        File log = Path.of(s.logDir, name + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log);
        Child child;
        synchronized (children) {
            child = new Child(name, pb.start());
            children.add(child);
        }
        log("started %s (pid %d), log %s", name, child.process.pid(), log);
        return child;
    }

    /** QUIT, then destroy, then destroyForcibly, each after a bounded wait. Safe to call more than once. */
    private void stopAll() {
        List<Child> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        // One after the other, readers first: members leaving all at once make JGroups log errors about
        // connections closed under it. A child also exits by itself when its stdin closes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = all.size() - 1; i >= 0; i--) {
            Child c = all.get(i);
            c.quietly("QUIT");
            c.closeInput();
            waitFor(c.process, deadline);
        }
        for (Child c : all) {
            if (c.process.isAlive()) {
                log("%s (pid %d) did not exit: destroy", c.name, c.process.pid());
                c.process.destroy();
            }
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Child c : all) {
            waitFor(c.process, deadline);
        }
        for (Child c : all) {
            if (c.process.isAlive()) {
                log("%s (pid %d) still alive: destroyForcibly", c.name, c.process.pid());
                c.process.destroyForcibly();
                waitFor(c.process, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    private static void waitFor(Process p, long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                p.waitFor(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String format, Object... args) {
        System.err.println("[cluster-bench] " + String.format(Locale.ROOT, format, args));
    }

    /** A child JVM: commands to its stdin, {@code "@@ "} answers from its stdout into a queue. */
    private static final class Child {
        private static final String EOF = "\u0000eof";

        final String name;
        final Process process;
        private final BufferedWriter in;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(this::readOutput, "out-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void readOutput() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("@@ ")) {
                        answers.add(line.substring(3));
                    } else {
                        System.err.println("[" + name + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            } finally {
                answers.add(EOF);
            }
        }

        synchronized void send(String command) throws IOException {
            in.write(command);
            in.newLine();
            in.flush();
        }

        void quietly(String command) {
            try {
                send(command);
            } catch (IOException ignored) {
                // already gone
            }
        }

        synchronized void closeInput() {
            try {
                in.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        /** The next answer starting with {@code word}; fails on an ERR answer, on exit, or after the timeout. */
        String await(String word, long timeoutMs) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                String answer = left > 0 ? answers.poll(left, TimeUnit.NANOSECONDS) : null;
                if (answer == null) {
                    throw new IllegalStateException(name + ": no " + word + " within " + timeoutMs + " ms");
                }
                if (answer.equals(EOF)) {
                    answers.add(EOF);
                    throw new IllegalStateException(name + " exited (status "
                            + (process.isAlive() ? "?" : process.exitValue()) + ") while waiting for " + word);
                }
                if (answer.startsWith("ERR")) {
                    throw new IllegalStateException(name + ": " + answer);
                }
                if (answer.equals(word) || answer.startsWith(word + " ")) {
                    return answer;
                }
                System.err.println("[" + name + "] unexpected answer while waiting for " + word + ": " + answer);
            }
        }
    }

    /** Command-line settings. */
    static final class Settings {
        int n = 200_000;
        int rounds = 3;
        int warmup = 1;
        int valueBytes = 100;
        int nodes = 3;
        int basePort = 26200;
        int portRange = 5;
        String heap = "512m";
        int roundTimeoutSeconds = 120;
        String logDir = Path.of(System.getProperty("java.io.tmpdir"), "gossipcache-cluster-bench").toString();
        String md;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + option);
                }
                String v = args[++i].replace("_", "");
                switch (option) {
                    case "--n" -> s.n = positive(option, v);
                    case "--rounds" -> s.rounds = positive(option, v);
                    case "--warmup" -> s.warmup = Math.max(0, Integer.parseInt(v));
                    case "--value-bytes" -> s.valueBytes = positive(option, v);
                    case "--nodes" -> s.nodes = positive(option, v);
                    case "--base-port" -> s.basePort = positive(option, v);
                    case "--port-range" -> s.portRange = positive(option, v);
                    case "--heap" -> s.heap = v;
                    case "--round-timeout-s" -> s.roundTimeoutSeconds = positive(option, v);
                    case "--log-dir" -> s.logDir = args[i];
                    case "--md" -> s.md = args[i];
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (s.nodes < 2) {
                throw new IllegalArgumentException("--nodes must be at least 2 (a writer and a reader)");
            }
            if (s.portRange < s.nodes - 1) {
                throw new IllegalArgumentException("--port-range must be at least nodes - 1");
            }
            return s;
        }

        private static int positive(String option, String v) {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new IllegalArgumentException(option + " must be positive: " + v);
            }
            return n;
        }
    }
}
