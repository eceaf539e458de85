package io.gossipcache.benchmarks.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One scenario member JVM ({@code ScenarioMember}) started and owned by the controller: commands go to its
 * stdin, its {@code @@} answers come back through a reader thread, its stderr goes to a log file. It is only
 * ever stopped through its own {@link Process} handle. Every live member is also registered for the
 * controller's shutdown hook, so none outlives the controller.
 */
final class MemberProcess implements AutoCloseable {

    private static final String MAIN = "io.gossipcache.benchmarks.member.ScenarioMember";
    private static final Set<MemberProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(m -> m.process.destroyForcibly()),
                "kill-members"));
    }

    final String name;
    /** {@code System.nanoTime()} just before the process was launched. */
    final long launchedNanos;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private MemberProcess(String name, long launchedNanos, Process process) {
        this.name = name;
        this.launchedNanos = launchedNanos;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "answers-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Launches a member; does not wait for it to be ready (see {@link #awaitReady}). */
    static MemberProcess launch(SystemUnderTest system, String cluster, int index, int members, boolean tuned,
            String heap, Path logDir) throws IOException {
        String name = system.name() + "-" + index;
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            seeds.add(String.valueOf(system.port(i)));
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Djava.net.preferIPv4Stack=true",
                "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                // A full GC then compacts every region: by default (5) it leaves regions that are at least 95% live
                // in place, dead objects included, and S6 counted ~8 B per entry of garbage, varying by round.
                // Only full GCs are affected, and only the controller's HEAP command asks for them.
                "-XX:MarkSweepDeadRatio=0",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.io.gossipcache=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dhazelcast.phone.home.enabled=false"));
        cmd.addAll(system.jvmOptions());
        cmd.addAll(extraJvmOptions(name, logDir));
        cmd.addAll(List.of("-cp", system.jar().toString(), MAIN,
                "--system", system.systemClass(), "--name", name, "--cluster", cluster,
                "--port", String.valueOf(system.port(index)), "--seeds", String.join(",", seeds),
                "--aux", String.valueOf(system.auxPortBase(index))));
        if (tuned) {
            cmd.add("--tuned");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
        long launched = System.nanoTime();
        MemberProcess m = new MemberProcess(name, launched, pb.start());
        LIVE.add(m);
        return m;
    }

    /**
     * Extra member JVM options for diagnosis, from the system property {@code bench.member.jvm} (split at
     * spaces; {@code {name}} becomes the member's name and {@code {logs}} the log directory), for example
     * {@code -Dbench.member.jvm="-Xlog:gc:file={logs}/{name}-gc.log"}. Empty in the measured runs.
     */
    private static List<String> extraJvmOptions(String name, Path logDir) {
        String extra = System.getProperty("bench.member.jvm", "").trim();
        if (extra.isEmpty()) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        for (String option : extra.split("\\s+")) {
            options.add(option.replace("{name}", name).replace("{logs}", logDir.toAbsolutePath().toString()));
        }
        return options;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void readAnswers() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("@@ ")) {
                    answers.add(line.substring(3));
                }
            }
        } catch (IOException e) {
            // the process is gone; awaiting an answer times out or sees the exit
        }
        answers.add("EOF");
    }

    /** Waits for {@code READY}; returns its fields {@code name startCalledNanos readyNanos viewSize}. */
    String[] awaitReady(long timeoutMs) {
        String line = next(timeoutMs, "READY");
        if (!line.startsWith("READY ")) {
            throw new IllegalStateException(name + " did not start: " + line);
        }
        return line.split(" ");
    }

    /** Sends a command without waiting for its answer (see {@link #answer}). */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " does not take commands: " + e.getMessage(), e);
        }
    }

    /** The answer to the last command sent: the fields after {@code OK <command>}; fails on {@code ERR}. */
    String[] answer(long timeoutMs) {
        String line = next(timeoutMs, "an answer");
        if (!line.startsWith("OK ")) {
            throw new IllegalStateException(name + ": " + line);
        }
        String[] f = line.split(" ");
        String[] fields = new String[f.length - 2];
        System.arraycopy(f, 2, fields, 0, fields.length);
        return fields;
    }

    String[] call(String command, long timeoutMs) {
        send(command);
        return answer(timeoutMs);
    }

    private String next(long timeoutMs, String what) {
        try {
            String line = answers.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException(name + ": no " + what + " within " + timeoutMs + " ms");
            }
            if (line.equals("EOF")) {
                throw new IllegalStateException(name + " exited (status " + exitStatus() + ") before " + what);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String exitStatus() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9} of this process (SIGKILL through its own handle). */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** Asks the member to leave and exit; kills it if it has not exited within a few seconds. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("EXIT");
                stdin.close();
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (RuntimeException | IOException e) {
                // dead already or not listening: killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
    }
}
