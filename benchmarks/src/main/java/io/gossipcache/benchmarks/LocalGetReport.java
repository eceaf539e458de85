package io.gossipcache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link LocalGetBenchmark} through JMH and writes a markdown table with engine and Caffeine side by side
 * and their ratio.
 *
 * <pre>
 * java -Djava.net.preferIPv4Stack=true -cp benchmarks.jar io.gossipcache.benchmarks.LocalGetReport \
 *      [--md results.md] [any JMH option, e.g. -f 1 -wi 3 -w 2s -i 5 -r 2s -p started=true,false]
 * </pre>
 *
 * Without a benchmark pattern it runs {@code LocalGetBenchmark}. Don't pass {@code -t}: the thread counts
 * are part of the benchmark methods.
 */
public final class LocalGetReport {

    private LocalGetReport() {
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
        Options options = cli.getIncludes().isEmpty()
                ? new OptionsBuilder().parent(cli).include(LocalGetBenchmark.class.getSimpleName()).build()
                : cli;
        Collection<RunResult> results = new Runner(options).run();
        String table = table(results);
        System.out.println();
        System.out.println(table);
        if (md != null) {
            Files.createDirectories(md.toAbsolutePath().getParent());
            Files.writeString(md, table);
        }
    }

    /** One row per thread count and parameter set: engine and Caffeine scores and engine/Caffeine. */
    static String table(Collection<RunResult> results) {
        Map<String, Result<?>[]> rows = new TreeMap<>();
        for (RunResult run : results) {
            var params = run.getParams();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            int system = method.startsWith("engine") ? 0 : method.startsWith("caffeine") ? 1 : -1;
            if (system < 0) {
                continue;
            }
            String paramText = params.getParamsKeys().stream()
                    .map(k -> k + "=" + params.getParam(k)).collect(Collectors.joining(", "));
            String key = String.format(Locale.ROOT, "%03d|%s", params.getThreads(), paramText);
            rows.computeIfAbsent(key, k -> new Result<?>[2])[system] = run.getPrimaryResult();
        }
        StringBuilder out = new StringBuilder();
        out.append("| threads | params | gossipcache `ReplicatedCache.get` (ops/s) | Caffeine `getIfPresent` (ops/s) | engine / Caffeine |\n");
        out.append("| ---: | --- | ---: | ---: | ---: |\n");
        for (Map.Entry<String, Result<?>[]> row : rows.entrySet()) {
            String[] parts = row.getKey().split("\\|", 2);
            Result<?> engine = row.getValue()[0];
            Result<?> caffeine = row.getValue()[1];
            String ratio = engine != null && caffeine != null && caffeine.getScore() > 0
                    ? String.format(Locale.ROOT, "%.2f", engine.getScore() / caffeine.getScore()) : "n/a";
            out.append("| ").append(Integer.parseInt(parts[0]))
                    .append(" | ").append(parts[1].isEmpty() ? "-" : parts[1])
                    .append(" | ").append(score(engine))
                    .append(" | ").append(score(caffeine))
                    .append(" | ").append(ratio).append(" |\n");
        }
        return out.toString();
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
