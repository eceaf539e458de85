package io.gossipcache.benchmarks.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the cluster scenarios of issue 7 (S2-S8) for every system whose jar is present, several rounds with the
 * systems interleaved, and writes a markdown section: medians with min-max, ratios to the best peer, and the
 * verdicts against the targets.
 *
 * <pre>
 * ClusterReport --md FILE [--log-dir DIR] [--rounds 3] [--budget-seconds 600] [--systems a,b]
 *               [--s2-n 200000] [--s3-rate 2000] [--s3-seconds 10] [--s3-warmup-seconds 4] [--s5-n 100000]
 *               [--s6-n 100000] [--benchmarks-dir benchmarks]
 * </pre>
 * The budget is a safety valve: no round starts when the rounds so far say it would end past the budget.
 */
public final class ClusterReport {

    private ClusterReport() {
    }

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Path md = null;
        Path logDir = Path.of("benchmarks/target/run/cluster-logs");
        Path benchmarksDir = Path.of("benchmarks");
        int rounds = 3;
        long budgetSeconds = 600;
        List<String> only = null;
        Scenarios.Sizes d = Scenarios.Sizes.defaults();
        int s2 = d.s2Entries();
        int s3Rate = d.s3PerSecond();
        int s3Seconds = d.s3Seconds();
        int s3Warmup = d.s3WarmupSeconds();
        int s5 = d.s5Entries();
        int s6 = d.s6Entries();
        for (int i = 0; i < args.length; i++) {
            String v = args[++i];
            switch (args[i - 1]) {
                case "--md" -> md = Path.of(v);
                case "--log-dir" -> logDir = Path.of(v);
                case "--benchmarks-dir" -> benchmarksDir = Path.of(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--budget-seconds" -> budgetSeconds = Long.parseLong(v);
                case "--systems" -> only = Arrays.asList(v.split(","));
                case "--s2-n" -> s2 = Integer.parseInt(v);
                case "--s3-rate" -> s3Rate = Integer.parseInt(v);
                case "--s3-seconds" -> s3Seconds = Integer.parseInt(v);
                case "--s3-warmup-seconds" -> s3Warmup = Integer.parseInt(v);
                case "--s5-n" -> s5 = Integer.parseInt(v);
                case "--s6-n" -> s6 = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (md == null) {
            throw new IllegalArgumentException("--md FILE is required");
        }
        Scenarios.Sizes sizes = new Scenarios.Sizes(s2, s3Rate, s3Seconds, s3Warmup, s5, s6, d.ttlMs(), d.s4TimeoutMs(),
                d.heap());
        Files.createDirectories(logDir);

        List<SystemUnderTest> systems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SystemUnderTest s : SystemUnderTest.all(benchmarksDir)) {
            if (only != null ? !only.contains(s.name()) : s.onlyWhenNamed()) {
                continue;
            }
            if (s.present()) {
                systems.add(s);
            } else {
                skipped.add(s.name() + " (no " + s.jar() + ")");
            }
        }

        Map<String, Map<Metric, List<Double>>> values = new LinkedHashMap<>();
        Map<String, List<String>> notes = new LinkedHashMap<>();
        Map<String, List<String>> descriptions = new LinkedHashMap<>();
        for (SystemUnderTest s : systems) {
            values.put(s.name(), new EnumMap<>(Metric.class));
            notes.put(s.name(), new ArrayList<>());
        }
        long t0 = System.nanoTime();
        int done = 0;
        for (int round = 1; round <= rounds; round++) {
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            if (done > 0 && elapsed + elapsed / done > budgetSeconds) {
                System.out.println(">> stopping after " + done + " round(s): the next would pass the "
                        + budgetSeconds + " s budget");
                break;
            }
            // systems interleaved, so that a noisy minute on the machine hits all of them alike
            for (SystemUnderTest s : systems) {
                int r = round;
                System.out.println(">> round " + r + ": " + s.name());
                long started = System.nanoTime();
                Scenarios sc = new Scenarios(s, sizes, logDir, Long.toString(ProcessHandle.current().pid())
                        + "-" + round);
                sc.run(!descriptions.containsKey(s.name()));
                if (!sc.descriptions().isEmpty()) {
                    descriptions.put(s.name(), sc.descriptions());
                }
                sc.results().forEach((m, v) -> values.get(s.name()).computeIfAbsent(m, k -> new ArrayList<>()).add(v));
                sc.notes().forEach(n -> notes.get(s.name()).add("round " + r + ": " + n));
                sc.notes().forEach(n -> System.out.println("!! " + s.name() + ": " + n));
                System.out.println("   " + sc.results() + " (" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime()
                        - started) + " s)");
                System.out.println("   phases: " + sc.phases());
            }
            done++;
        }
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        Files.writeString(md, new ClusterMarkdown(systems, skipped, values, notes, descriptions, sizes, done, took)
                .render());
        System.out.println(">> wrote " + md + " (" + took + " s)");
    }
}
