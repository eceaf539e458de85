package io.gossipcache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One sample-app JVM started from the packaged jar ({@code sample.jar}, set by failsafe) on 127.0.0.1, with its
 * output in {@code target/it-logs}. Every process started here is also registered with a JVM shutdown hook, the
 * last resort should a test run be cut short before its {@code finally} stops it.
 */
final class SampleNode {

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "sample-node-reaper"));
    }

    final String label;
    final int httpPort;
    private final List<String> options;
    private Process process;
    private int starts;

    SampleNode(String label, int httpPort, List<String> options) {
        this.label = label;
        this.httpPort = httpPort;
        this.options = List.copyOf(options);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the JVM (again, after a kill); does not wait for it to be ready. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(label + " is already running");
        }
        Path jar = Paths.get(System.getProperty("sample.jar", "target/sample-app.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No sample app jar at " + jar.toAbsolutePath() + ": run `mvn verify`");
        }
        Path logs = Paths.get(System.getProperty("sample.logs", "target/it-logs"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.net.preferIPv4Stack=true",
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--server.port=" + httpPort));
        command.addAll(options);
        try {
            Files.createDirectories(logs);
            starts++;
            Path log = logs.resolve(label + "-" + starts + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            STARTED.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + label, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: SIGKILL, no shutdown hook, no graceful leave. Waits until the process is gone. */
    synchronized void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
        }
        STARTED.remove(process);
    }

    /** SIGTERM (graceful), then SIGKILL if it has not exited within 10 s. Never throws. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            STARTED.remove(process);
        }
    }

    String logHint() {
        return "(see " + Paths.get(System.getProperty("sample.logs", "target/it-logs")).resolve(label + "-" + starts
                + ".log").toAbsolutePath() + ")";
    }

    /** A first cluster port with it and the next 4 free, FD_SOCK2's (100 above) too, all inside 28000-28999. */
    static int clusterPortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 28000 + 10 * ThreadLocalRandom.current().nextInt(0, 89);
            if (portsFree(base, 5) && portsFree(base + 100, 5)) {
                return base;
            }
        }
        throw new IllegalStateException("No free cluster ports in 28000-28999");
    }

    /**
     * A TCP port on 127.0.0.1 that is free now and was not handed out before in this JVM: the kernel may give the
     * port it just freed to the next bind to port 0 (two nodes of ConcurrentStartIT once got the same HTTP port).
     */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No free port on 127.0.0.1 that was not handed out before");
    }

    /** Whether every port in [from, from + count) can be bound on 127.0.0.1 now. */
    static boolean portsFree(int from, int count) {
        for (int port = from; port < from + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
