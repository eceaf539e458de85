package io.gossipcache.core;

import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.ClusterTls;
import io.gossipcache.core.cluster.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in its own JVM, so that a test can kill it with {@code kill -9} or freeze it with
 * SIGSTOP. The child prints {@code READY} once it has joined and then serves simple commands on stdin
 * ({@code put cache key value}); it exits when stdin closes.
 */
final class ForkedMember implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final String nodeName;

    private ForkedMember(Process process, String nodeName) {
        this.process = process;
        this.nodeName = nodeName;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "forked-member-reader-" + nodeName);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a member of {@code cluster} and waits until it reports that it has joined. */
    static ForkedMember start(TestCluster cluster, String nodeName) throws Exception {
        return start(cluster, nodeName, null);
    }

    /**
     * Starts a member whose connections use TLS with the key and trust of {@code keyStore} (a
     * {@link TestCertificates} store), or plain TCP when it is null.
     */
    static ForkedMember start(TestCluster cluster, String nodeName, Path keyStore) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Djava.net.preferIPv4Stack=true", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ForkedMember.class.getName(),
                cluster.name, nodeName, String.valueOf(cluster.basePort)));
        if (keyStore != null) {
            command.add(keyStore.toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ForkedMember member = new ForkedMember(process, nodeName);
        member.awaitLine("READY", Duration.ofSeconds(60));
        return member;
    }

    void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(line)) {
                return;
            }
            if (line == null && !process.isAlive()) {
                throw new IllegalStateException("forked member " + nodeName + " exited with " + process.exitValue());
            }
        }
        throw new IllegalStateException("forked member " + nodeName + " did not print " + expected + " within " + timeout);
    }

    void send(String command) throws IOException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no graceful leave, sockets closed by the kernel. */
    void kill9() throws Exception {
        signal("KILL");
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP, returning once the kernel reports the process stopped (the signal is delivered asynchronously). */
    void freeze() throws Exception {
        signal("STOP");
        java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + process.pid() + "/stat");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            String line = java.nio.file.Files.readString(stat);
            return line.charAt(line.lastIndexOf(')') + 2) == 'T'; // state follows "(comm) "
        });
    }

    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT"); // in case a test froze it
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The child: args are cluster name, node name, base port and, for TLS, the key store. */
    public static void main(String[] args) throws Exception {
        ClusterConfig.Builder builder = ClusterConfig.builder()
                .clusterName(args[0]).nodeName(args[1]).bindAddress("127.0.0.1")
                .bindPort(Integer.parseInt(args[2])).portRange(9)
                .failureDetectionInterval(Duration.ofSeconds(1))
                .failureDetectionTimeout(Duration.ofSeconds(5))
                .mergeInterval(Duration.ofSeconds(2));
        if (args.length > 3) {
            builder.tls(ClusterTls.of(TestCertificates.sslContext(Path.of(args[3]))));
        }
        ClusterConfig cluster = builder.build();
        try (GossipCacheEngine engine = new GossipCacheEngine(EngineConfig.builder().cluster(cluster).build())) {
            engine.start();
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ", 4);
                if (parts[0].equals("put")) {
                    engine.cache(parts[1]).put(parts[2], parts[3]);
                    System.out.println("OK");
                    System.out.flush();
                }
            }
        }
    }
}
