package io.gossipcache.benchmarks.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One round of the cluster scenarios for one system. Two clusters of member JVMs per round:
 * <ol>
 *   <li>three members with default failure detection: S8 (the first member's start), S6, S2, S3, S7, then S4
 *       (kill -9 of the third member);</li>
 *   <li>members with tuned failure detection: S5 (a second member joins the first, which holds the entries),
 *       then a third joins and is killed for S4 tuned. Only for systems that transfer state.</li>
 * </ol>
 * Every member is closed (or killed) before the round returns, also when a scenario fails; a failed scenario
 * leaves its metrics out of the round and notes why.
 */
final class Scenarios {

    /** Sizes and limits of one round. */
    record Sizes(int s2Entries, int s3PerSecond, int s3Seconds, int s3WarmupSeconds, int s5Entries, int s6Entries,
            long ttlMs, long s4TimeoutMs, String heap) {

        static Sizes defaults() {
            return new Sizes(200_000, 2_000, 10, 4, 100_000, 100_000, 2_000, 30_000, "1g");
        }
    }

    private static final int VALUE_BYTES = 100;
    private static final int S5_VALUE_BYTES = 1024;
    private static final long START_MS = 90_000;
    private static final long VIEW_MS = 60_000;

    private final SystemUnderTest system;
    private final Sizes sizes;
    private final Path logDir;
    private final Map<Metric, Double> results = new EnumMap<>(Metric.class);
    private final List<String> notes = new ArrayList<>();
    private final List<String> descriptions = new ArrayList<>();
    private final List<MemberProcess> members = new ArrayList<>();
    private final StringBuilder phases = new StringBuilder();
    private long phaseStart;
    private int clusterNumber;
    private final String runId;

    Scenarios(SystemUnderTest system, Sizes sizes, Path logDir, String runId) {
        this.system = system;
        this.sizes = sizes;
        this.logDir = logDir;
        this.runId = runId;
    }

    Map<Metric, Double> results() {
        return results;
    }

    List<String> notes() {
        return notes;
    }

    /** {@code name | version | describe} lines, defaults then tuned (filled on the first round). */
    List<String> descriptions() {
        return descriptions;
    }

    void run(boolean describe) {
        phaseStart = System.nanoTime();
        try {
            defaultsCluster(describe);
        } catch (RuntimeException | IOException e) {
            notes.add("defaults cluster: " + e.getMessage());
        } finally {
            closeAll();
            phase("S4 defaults and stop");
        }
        if (!system.transfersState()) {
            return;
        }
        try {
            tunedCluster(describe);
        } catch (RuntimeException | IOException e) {
            notes.add("tuned cluster: " + e.getMessage());
        } finally {
            closeAll();
            phase("tuned cluster (S5, S4 tuned)");
        }
    }

    /** Where a round's time went, for the run's log (the budget decides how many rounds fit). */
    String phases() {
        return phases.toString();
    }

    private void phase(String name) {
        long now = System.nanoTime();
        phases.append(phases.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format(Locale.ROOT, "%.1f s", (now - phaseStart) / 1e9));
        phaseStart = now;
    }

    private void defaultsCluster(boolean describe) throws IOException {
        String cluster = newClusterName();
        MemberProcess first = launch(cluster, 0, false);
        String[] ready = first.awaitReady(START_MS);
        results.put(Metric.S8_START_MS, ms(Long.parseLong(ready[3]) - first.launchedNanos));
        MemberProcess second = launch(cluster, 1, false);
        MemberProcess third = launch(cluster, 2, false);
        second.awaitReady(START_MS);
        third.awaitReady(START_MS);
        awaitView(3);
        if (describe) {
            descriptions.add(String.join(" ", first.call("DESCRIBE", 10_000)) + system.jvmOptionsNote());
        }

        phase("start (S8)");
        // S6: heap of both replicas before and after they receive the entries, the mean of the two. One replica
        // alone varies by several B per entry between rounds and from the other replica (how many recent JGroups
        // messages it still holds); the mean of both is steadier, at no extra round.
        long before1 = Long.parseLong(second.call("HEAP", 60_000)[0]);
        long before2 = Long.parseLong(third.call("HEAP", 60_000)[0]);
        first.call("LOAD h " + sizes.s6Entries() + " " + VALUE_BYTES + " " + system.preloadThreads(), 120_000);
        String awaitLoad = "AWAIT h " + sizes.s6Entries() + " " + sizes.s6Entries() + " 120000";
        second.send(awaitLoad);
        third.send(awaitLoad);
        second.answer(125_000);
        third.answer(125_000);
        long after1 = Long.parseLong(second.call("HEAP", 60_000)[0]);
        long after2 = Long.parseLong(third.call("HEAP", 60_000)[0]);
        double replica1 = (double) (after1 - before1) / sizes.s6Entries();
        double replica2 = (double) (after2 - before2) / sizes.s6Entries();
        results.put(Metric.S6_BYTES_PER_ENTRY, (replica1 + replica2) / 2);
        long held = sizes.s6Entries();

        phase(String.format(Locale.ROOT, "S6 (replicas %.1f and %.1f B per entry)", replica1, replica2));
        // S2: one writer flat out; the others report when every entry is readable
        int n = sizes.s2Entries();
        String await = "AWAIT b " + n + " " + (held + n) + " 180000";
        second.send(await);
        third.send(await);
        String[] put = first.call("PUT b " + n + " " + VALUE_BYTES + " 0", 180_000);
        long putStart = Long.parseLong(put[1]);
        results.put(Metric.S2_PUTS_PER_S, n / seconds(Long.parseLong(put[2]) - putStart));
        long all = Math.max(Long.parseLong(second.answer(185_000)[1]), Long.parseLong(third.answer(185_000)[1]));
        results.put(Metric.S2_ALL_READABLE_MS, ms(all - putStart));

        phase("S2");
        // S3: paced writer, the others read each key as soon as it is there (after an unmeasured warm-up)
        // S3 warm-up, not measured: the same paced writes and readers first. The members are only seconds old
        // here, and a fast S2 leaves the JIT compiling the paced path during the measured seconds (measured: over
        // 1 s of C2 compiler CPU per JGroups-based member within S3's 10 s, against 0.15 s for Hazelcast, whose
        // S2 alone took 45 s): without it S3 measured the JVM's warm-up more than replication.
        int warmupKeys = sizes.s3PerSecond() * sizes.s3WarmupSeconds();
        if (warmupKeys > 0) {
            long warmupTimeout = sizes.s3WarmupSeconds() * 1000L + 30_000;
            second.send("LAG w " + warmupKeys + " " + warmupTimeout + " " + sizes.s3PerSecond());
            third.send("LAG w " + warmupKeys + " " + warmupTimeout + " " + sizes.s3PerSecond());
            first.call("RATE w " + warmupKeys + " " + VALUE_BYTES + " " + sizes.s3PerSecond(), warmupTimeout + 5_000);
            second.answer(warmupTimeout + 5_000);
            third.answer(warmupTimeout + 5_000);
        }
        int lagKeys = sizes.s3PerSecond() * sizes.s3Seconds();
        long lagTimeout = sizes.s3Seconds() * 1000L + 30_000;
        second.send("LAG l " + lagKeys + " " + lagTimeout + " " + sizes.s3PerSecond());
        third.send("LAG l " + lagKeys + " " + lagTimeout + " " + sizes.s3PerSecond());
        first.call("RATE l " + lagKeys + " " + VALUE_BYTES + " " + sizes.s3PerSecond(), lagTimeout + 5_000);
        String[] lag2 = second.answer(lagTimeout + 5_000);
        String[] lag3 = third.answer(lagTimeout + 5_000);
        results.put(Metric.S3_P50_MS, Math.max(Double.parseDouble(lag2[1]), Double.parseDouble(lag3[1])) / 1000);
        results.put(Metric.S3_P99_MS, Math.max(Double.parseDouble(lag2[2]), Double.parseDouble(lag3[2])) / 1000);
        results.put(Metric.S3_MAX_MS, Math.max(Double.parseDouble(lag2[3]), Double.parseDouble(lag3[3])) / 1000);
        results.put(Metric.S3_DUE_P50_MS, Math.max(Double.parseDouble(lag2[5]), Double.parseDouble(lag3[5])) / 1000);
        results.put(Metric.S3_DUE_P99_MS, Math.max(Double.parseDouble(lag2[6]), Double.parseDouble(lag3[6])) / 1000);
        results.put(Metric.S3_DUE_MAX_MS, Math.max(Double.parseDouble(lag2[7]), Double.parseDouble(lag3[7])) / 1000);
        long missing = Long.parseLong(lag2[4]) + Long.parseLong(lag3[4]);
        if (missing > 0) {
            notes.add("S3: " + missing + " keys never arrived at a reader");
        }

        phase("S3");
        // S7: one entry with a TTL; every member reports when it no longer returns it
        if (system.supportsTtl()) {
            long timeout = sizes.ttlMs() + 20_000;
            second.send("GONE t0 " + timeout);
            third.send("GONE t0 " + timeout);
            long ttlPut = Long.parseLong(first.call("PUT t 1 " + VALUE_BYTES + " " + sizes.ttlMs(), 10_000)[1]);
            long gone = Long.parseLong(first.call("GONE t0 " + timeout, timeout + 5_000)[1]);
            gone = Math.max(gone, Long.parseLong(second.answer(timeout + 5_000)[1]));
            gone = Math.max(gone, Long.parseLong(third.answer(timeout + 5_000)[1]));
            results.put(Metric.S7_GONE_MS, ms(gone - ttlPut));
        }

        phase("S7");
        // S4 with defaults: kill -9 of the third member
        results.put(Metric.S4_DEFAULT_MS, killAndAwaitView(first, second, third, "S4 defaults"));
    }

    private void tunedCluster(boolean describe) throws IOException {
        String cluster = newClusterName();
        MemberProcess first = launch(cluster, 0, true);
        first.awaitReady(START_MS);
        if (describe) {
            descriptions.add(String.join(" ", first.call("DESCRIBE", 10_000)) + system.jvmOptionsNote());
        }
        int n = sizes.s5Entries();
        first.call("LOAD j " + n + " " + S5_VALUE_BYTES + " " + system.preloadThreads(), 120_000);

        phase("S5 preload");
        // S5: from the joiner's start() call until it holds every entry
        MemberProcess joiner = launch(cluster, 1, true);
        long joinStart = Long.parseLong(joiner.awaitReady(START_MS)[2]);
        long holds = Long.parseLong(joiner.call("AWAIT j " + n + " " + n + " 120000", 125_000)[1]);
        results.put(Metric.S5_JOIN_MS, ms(holds - joinStart));

        MemberProcess third = launch(cluster, 2, true);
        third.awaitReady(START_MS);
        awaitView(3);
        third.call("AWAIT j " + n + " " + n + " 120000", 125_000); // no state transfer under way at the kill
        results.put(Metric.S4_TUNED_MS, killAndAwaitView(first, joiner, third, "S4 tuned"));
    }

    /** Kills {@code victim} with SIGKILL; the time until both survivors have a view of 2, or NaN. */
    private double killAndAwaitView(MemberProcess a, MemberProcess b, MemberProcess victim, String what) {
        a.send("VIEW 2 " + sizes.s4TimeoutMs());
        b.send("VIEW 2 " + sizes.s4TimeoutMs());
        long killed = System.nanoTime();
        victim.kill();
        try {
            long seen = Math.max(Long.parseLong(a.answer(sizes.s4TimeoutMs() + 5_000)[1]),
                    Long.parseLong(b.answer(sizes.s4TimeoutMs() + 5_000)[1]));
            return ms(seen - killed);
        } catch (RuntimeException e) {
            notes.add(what + ": no view of 2 within " + sizes.s4TimeoutMs() + " ms (" + e.getMessage() + ")");
            return Double.NaN;
        }
    }

    private void awaitView(int n) {
        for (MemberProcess m : members) {
            m.send("VIEW " + n + " " + VIEW_MS);
        }
        for (MemberProcess m : members) {
            m.answer(VIEW_MS + 5_000);
        }
    }

    private MemberProcess launch(String cluster, int index, boolean tuned) throws IOException {
        MemberProcess m = MemberProcess.launch(system, cluster, index, 3, tuned, sizes.heap(), logDir);
        members.add(m);
        return m;
    }

    private String newClusterName() {
        return system.name() + "-" + runId + "-" + (++clusterNumber);
    }

    private void closeAll() {
        // in parallel: a polite leave takes up to a few seconds per member
        List<Thread> closing = new ArrayList<>();
        for (MemberProcess m : members) {
            Thread t = new Thread(m::close, "close-" + m.name);
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        members.clear();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
