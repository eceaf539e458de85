package io.gossipcache.benchmarks.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the cluster section of the results file: table, ratios, verdicts, configurations, notes. */
final class ClusterMarkdown {

    private final List<SystemUnderTest> systems;
    private final List<String> skipped;
    private final Map<String, Map<Metric, List<Double>>> values;
    private final Map<String, List<String>> notes;
    private final Map<String, List<String>> descriptions;
    private final Scenarios.Sizes sizes;
    private final int rounds;
    private final long seconds;

    ClusterMarkdown(List<SystemUnderTest> systems, List<String> skipped, Map<String, Map<Metric, List<Double>>> values,
            Map<String, List<String>> notes, Map<String, List<String>> descriptions, Scenarios.Sizes sizes,
            int rounds, long seconds) {
        this.systems = systems;
        this.skipped = skipped;
        this.values = values;
        this.notes = notes;
        this.descriptions = descriptions;
        this.sizes = sizes;
        this.rounds = rounds;
        this.seconds = seconds;
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d round(s), systems interleaved in each, %d s. Sizes: S2 %,d x 100 B;"
                + " S3 %,d puts/s for %d s (100 B) after %d s of the same, not measured; S5 %,d x 1 KB;"
                + " S6 %,d x 100 B; S7 TTL %d ms. Every member: its own JVM,"
                + " `-Xms%s -Xmx%s -XX:+UseG1GC -XX:MarkSweepDeadRatio=0 -Djava.net.preferIPv4Stack=true`,"
                + " 127.0.0.1 only.%n%n",
                rounds, seconds, sizes.s2Entries(), sizes.s3PerSecond(), sizes.s3Seconds(), sizes.s3WarmupSeconds(),
                sizes.s5Entries(), sizes.s6Entries(), sizes.ttlMs(), sizes.heap(), sizes.heap()));
        for (String s : skipped) {
            b.append("- **skipped** ").append(s).append('\n');
        }
        if (!skipped.isEmpty()) {
            b.append('\n');
        }
        b.append("Median (min-max) of the rounds; `ratio` = gossipcache / best peer (the better of Infinispan and"
                + " Hazelcast on that row); `-` = not measured or failed (see notes); \"(within spread)\" marks a"
                + " verdict on a ratio target where gossipcache's and the best peer's min-max ranges overlap, so that"
                + " other rounds could have given the other verdict.\n\n");
        b.append("| scenario | unit |");
        for (SystemUnderTest s : systems) {
            b.append(' ').append(s.name()).append(" |");
        }
        b.append(" ratio | target | verdict |\n|---|---|");
        b.append("---|".repeat(systems.size())).append("---|---|---|\n");
        for (Metric m : Metric.values()) {
            b.append("| ").append(m.label).append(" | ").append(m.unit).append(" |");
            for (SystemUnderTest s : systems) {
                b.append(' ').append(cell(values(s.name(), m))).append(" |");
            }
            double ours = median(values("gossipcache", m));
            double peer = bestPeer(m);
            double ratio = ours / peer;
            String verdict = verdict(m, ours, ratio);
            if (!verdict.isEmpty() && target(m).equals("ratio <= 1")
                    && overlap(values("gossipcache", m), bestPeerValues(m))) {
                verdict += " (within spread)";
            }
            b.append(' ').append(Double.isFinite(ratio) ? fmt(ratio) + "x" : "-").append(" | ")
                    .append(target(m)).append(" | ").append(verdict).append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nS3 measures the lag twice: from the put (the time the writer called"
                + " it) and from its due time (the %,d puts/s schedule). They differ when a put waits: a writer that"
                + " is held up puts late, and only the due time charges that wait to the lag (coordinated omission)."
                + " An asynchronous put returns at once; a Hazelcast ReplicatedMap put waits for a round trip to"
                + " the key's owner, so when the owner pauses (a young GC), the writer stops and the keys it would"
                + " have put meanwhile do not count from the put.%n", sizes.s3PerSecond()));
        double floorRatio = median(values("gossipcache", Metric.S2_PUTS_PER_S))
                / median(values("floor", Metric.S2_PUTS_PER_S));
        b.append(String.format(Locale.ROOT, "%nS2 against the floor: gossipcache / floor = %s (target >= 0.7): %s.%n",
                Double.isFinite(floorRatio) ? fmt(floorRatio) + "x" : "-",
                !Double.isFinite(floorRatio) ? "not measured" : floorRatio >= 0.7 ? "**met**" : "**missed**"));
        b.append("\n### Configurations (each system's `describe()`)\n\n");
        for (SystemUnderTest s : systems) {
            for (String d : descriptions.getOrDefault(s.name(), List.of(s.name() + ": did not start"))) {
                b.append("- ").append(d).append('\n');
            }
        }
        List<String> all = new ArrayList<>();
        notes.forEach((system, list) -> list.forEach(n -> all.add(system + ", " + n)));
        if (!all.isEmpty()) {
            b.append("\n### Notes\n\n");
            all.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    private List<Double> values(String system, Metric m) {
        Map<Metric, List<Double>> bySystem = values.get(system);
        List<Double> v = bySystem == null ? null : bySystem.get(m);
        List<Double> finite = new ArrayList<>();
        if (v != null) {
            v.stream().filter(Double::isFinite).forEach(finite::add);
        }
        Collections.sort(finite);
        return finite;
    }

    private double bestPeer(Metric m) {
        double best = Double.NaN;
        for (SystemUnderTest s : systems) {
            double v = median(values(s.name(), m));
            if (s.peer() && Double.isFinite(v)
                    && (Double.isNaN(best) || (m.higherIsBetter ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    /** The rounds of the peer {@link #bestPeer} chose. */
    private List<Double> bestPeerValues(Metric m) {
        double best = bestPeer(m);
        for (SystemUnderTest s : systems) {
            List<Double> v = values(s.name(), m);
            if (s.peer() && median(v) == best) {
                return v;
            }
        }
        return List.of();
    }

    /** Whether two sorted, non-empty lists of rounds have overlapping min-max ranges. */
    private static boolean overlap(List<Double> a, List<Double> b) {
        return !a.isEmpty() && !b.isEmpty()
                && a.get(0) <= b.get(b.size() - 1) && b.get(0) <= a.get(a.size() - 1);
    }

    private static String target(Metric m) {
        return switch (m) {
            case S2_PUTS_PER_S -> "ratio >= 1.5, >= 0.7x floor";
            case S3_P99_MS, S3_DUE_P99_MS, S6_BYTES_PER_ENTRY, S8_START_MS -> "ratio <= 1";
            case S4_DEFAULT_MS -> "<= 300 ms";
            case S5_JOIN_MS -> "ratio <= 0.67 (1.5x faster)";
            default -> "";
        };
    }

    private static String verdict(Metric m, double ours, double ratio) {
        if (m == Metric.S4_DEFAULT_MS) {
            return Double.isFinite(ours) ? ours <= 300 ? "met" : "**missed**" : "-";
        }
        if (target(m).isEmpty()) {
            return "";
        }
        if (!Double.isFinite(ratio)) {
            return "no peer";
        }
        boolean met = switch (m) {
            case S2_PUTS_PER_S -> ratio >= 1.5;
            case S5_JOIN_MS -> ratio <= 1 / 1.5;
            default -> ratio <= 1.0;
        };
        return met ? "met" : "**missed**";
    }

    private static String cell(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return "-";
        }
        String median = fmt(median(sorted));
        if (sorted.size() == 1) {
            return median;
        }
        return median + " (" + fmt(sorted.get(0)) + "-" + fmt(sorted.get(sorted.size() - 1)) + ")";
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
