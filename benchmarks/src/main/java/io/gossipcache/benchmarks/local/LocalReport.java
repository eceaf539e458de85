package io.gossipcache.benchmarks.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every local-path JMH benchmark ({@link LocalGetBenchmark}: S1 get hit; {@link CacheableBenchmark}: a
 * {@code @Cacheable} hit) and writes one markdown section: the configuration of each side, ops/s with JMH's error,
 * the ratio gossipcache / peer and the verdict against issue 7's target.
 *
 * <pre>
 * java -Djava.net.preferIPv4Stack=true -cp benchmarks.jar io.gossipcache.benchmarks.local.LocalReport \
 *      [--md local.md] [JMH options, e.g. -f 2 -wi 2 -w 1s -i 4 -r 1s -rf json -rff local.json]
 * </pre>
 *
 * Without a benchmark pattern it runs both classes. Don't pass {@code -t}: thread counts are part of the methods.
 *
 * <p>Budget: 8 methods, each fork pays about 3.5 s of set-up (100,000 entries, an engine or a Spring context).
 * {@code -f 2 -wi 3 -w 1s -i 4 -r 1s} (run.sh's) takes about 2.7 minutes, {@code -f 2 -wi 3 -w 1s -i 3 -r 2s} about
 * 3.1, the older {@code -f 2 -wi 3 -w 2s -i 5 -r 2s} about 5.5. The {@code @Cacheable} path needs about 3 s of warm-up before its throughput settles.
 */
public final class LocalReport {

    /** A compared pair: how to find its two methods in the results, and the target ratio. */
    record Comparison(String title, String benchmarkClass, String ours, String peer, double target) {
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("S1 get hit: `ReplicatedCache.get` vs Caffeine `getIfPresent`",
                    LocalGetBenchmark.class.getSimpleName(), "engineGet", "caffeineGet", 0.9),
            new Comparison("`@Cacheable` hit through the proxy: gossipcache vs `CaffeineCacheManager`",
                    CacheableBenchmark.class.getSimpleName(), "gossipcache", "caffeine", 0.95));

    private LocalReport() {
    }

    public static void main(String[] args) throws Exception {
        Path md = null;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--md") && i + 1 < args.length) {
                md = Path.of(args[++i]);
            } else {
                jmhArgs.add(args[i]);
            }
        }
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("Bad JMH option: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.getThreads().hasValue()) {
            System.err.println("Don't pass -t: the thread counts are fixed per benchmark method (@Threads 1 and 2).");
            System.exit(2);
        }
        Options options = cli;
        if (cli.getIncludes().isEmpty()) {
            OptionsBuilder builder = new OptionsBuilder();
            builder.parent(cli);
            // Anchored: a pattern is a regex over the benchmark's full name.
            COMPARISONS.forEach(c -> builder.include("\\." + c.benchmarkClass() + "\\."));
            options = builder.build();
        }
        Collection<RunResult> results = new Runner(options).run();
        String section = section(results, String.join(" ", jmhArgs));
        System.out.println();
        System.out.println(section);
        if (md != null) {
            write(md, section);
        }
    }

    private static void write(Path md, String text) throws IOException {
        Path parent = md.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(md, text);
    }

    /** The markdown section: configuration, then one table row per comparison and thread count. */
    static String section(Collection<RunResult> results, String jmhOptions) {
        Map<String, Result<?>> scores = new LinkedHashMap<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String[] parts = benchmark.split("\\.");
            // key: Class.method, e.g. LocalGetBenchmark.engineGet_1thread
            scores.put(parts[parts.length - 2] + "." + parts[parts.length - 1], run.getPrimaryResult());
        }
        StringBuilder out = new StringBuilder();
        out.append("### S1 get hit and `@Cacheable` hit\n\n");
        out.append("""
                - S1 (`LocalGetBenchmark`): gossipcache `GossipCacheEngine` with default `EngineConfig` (unbounded \
                cache, no TTL, async replication), started alone on 127.0.0.1:26000 (unique cluster name); \
                Caffeine `Caffeine.newBuilder().build()` (unbounded, no stats). Both hold the same 100,000 entries \
                `"key-"+i` -> `"value-"+i`.
                - `@Cacheable` (`CacheableBenchmark`): a Spring context without web, `@EnableCaching` and a bean \
                method `@Cacheable("quotes") String quote(String)`, called through its CGLIB proxy (default key \
                generator: the argument is the key). gossipcache side: the starter's `GossipCacheAutoConfiguration` \
                (engine started alone on 127.0.0.1:26050, unique cluster name, other properties default: null \
                values allowed, no TTL); peer: `new CaffeineCacheManager()` (defaults: unbounded, no stats, null \
                values allowed). Both filled by one call per key for 100,000 keys.
                - Every measured op is a hit on a key from one pre-shuffled array (fixed seed, equal copies of the \
                stored keys), per-thread cursor, threads starting at spread offsets. Throughput in ops/s summed \
                over threads; ± is JMH's 99.9% confidence half-width. JVM `-Xms1g -Xmx1g`.
                """);
        out.append("- JMH options: `").append(jmhOptions.isBlank() ? "<annotation defaults>" : jmhOptions)
                .append("`\n\n");
        out.append("| comparison | threads | gossipcache (ops/s) | peer (ops/s) | ratio | target | verdict |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Comparison c : COMPARISONS) {
            for (String threads : List.of("1thread", "2threads")) {
                Result<?> ours = scores.get(c.benchmarkClass() + "." + c.ours() + "_" + threads);
                Result<?> peer = scores.get(c.benchmarkClass() + "." + c.peer() + "_" + threads);
                if (ours == null && peer == null) {
                    continue;
                }
                out.append("| ").append(c.title())
                        .append(" | ").append(threads.startsWith("1") ? 1 : 2)
                        .append(" | ").append(score(ours))
                        .append(" | ").append(score(peer))
                        .append(" | ").append(ratioText(ours, peer))
                        .append(" | ≥ ").append(String.format(Locale.ROOT, "%.2f", c.target()))
                        .append(" | ").append(verdict(ours, peer, c.target()))
                        .append(" |\n");
            }
        }
        out.append("""

                The verdict compares the ratio of the means with the target; "(within error)" marks a verdict that \
                the ± ranges could flip (a shared 2-core machine is noisy: read with the load average).
                """);
        return out.toString();
    }

    private static String ratioText(Result<?> ours, Result<?> peer) {
        return ours == null || peer == null || peer.getScore() <= 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f", ours.getScore() / peer.getScore());
    }

    static String verdict(Result<?> ours, Result<?> peer, double target) {
        if (ours == null || peer == null || peer.getScore() <= 0) {
            return "n/a";
        }
        boolean met = ours.getScore() / peer.getScore() >= target;
        double oursErr = finite(ours.getScoreError());
        double peerErr = finite(peer.getScoreError());
        // the most pessimistic and most optimistic ratios the ± ranges allow
        double low = (ours.getScore() - oursErr) / (peer.getScore() + peerErr);
        double high = peer.getScore() - peerErr > 0 ? (ours.getScore() + oursErr) / (peer.getScore() - peerErr)
                : Double.POSITIVE_INFINITY;
        boolean certain = met ? low >= target : high < target;
        return (met ? "met" : "**missed**") + (certain ? "" : " (within error)");
    }

    private static double finite(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String score(Result<?> r) {
        if (r == null) {
            return "n/a";
        }
        double err = r.getScoreError();
        String errText = Double.isNaN(err) ? "" : String.format(Locale.ROOT, " ± %,.0f", err);
        return String.format(Locale.ROOT, "%,.0f%s", r.getScore(), errText);
    }
}
