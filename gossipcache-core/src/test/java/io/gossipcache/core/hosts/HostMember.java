package io.gossipcache.core.hosts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A member in its own JVM inside a {@link NetnsLab} host, driven over stdin/stdout ({@link HostMemberMain} is its
 * main): so that a test can cut its network or {@code kill -9} it like a real host's. Its stderr is echoed with
 * its name; ERROR lines are kept for the test to check.
 */
final class HostMember implements AutoCloseable {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    private HostMember(String name, Process process) {
        this.name = name;
        this.process = process;
        pump(process.getInputStream(), "out", lines::add);
        pump(process.getErrorStream(), "err", line -> {
            System.err.println("[" + name + "] " + line);
            if (line.contains(" ERROR ")) {
                errors.add(line);
            }
        });
    }

    /**
     * Launches a member on {@code host} (it binds the host's address, port 7800) without waiting for it to join.
     *
     * @param discovery {@link HostMemberMain}'s discovery argument: the seeds, or {@code dns:server-ip:name}
     */
    static HostMember launch(NetnsLab lab, NetnsLab.Host host, String cluster, String name, String discovery)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // the suite's log level (-Dgossipcache.test.log=INFO) reaches the members too
        String logLevel = "-Dgossipcache.test.log=" + System.getProperty("gossipcache.test.log", "WARN");
        Process process = lab.launch(host, List.of(java, "-Djava.net.preferIPv4Stack=true", "-Xmx192m", logLevel,
                "-cp", System.getProperty("java.class.path"), HostMemberMain.class.getName(),
                cluster, name, host.ip(), discovery));
        return new HostMember(name, process);
    }

    private void pump(InputStream stream, String what, Consumer<String> sink) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "host-member-" + what + "-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for {@code READY}: the member has joined (or founded) a cluster and holds its state. */
    void awaitReady(Duration timeout) throws InterruptedException {
        String line = next(timeout);
        if (!"READY".equals(line)) {
            throw new IllegalStateException(name + " printed '" + line + "' instead of READY");
        }
    }

    /** Sends one command and returns its reply line. */
    synchronized String call(String command) throws IOException, InterruptedException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        String reply = next(REPLY_TIMEOUT);
        if (reply.startsWith("FAIL")) {
            throw new IllegalStateException(name + ": " + command + " -> " + reply);
        }
        return reply;
    }

    private String next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                return line;
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue());
            }
        }
        throw new IllegalStateException(name + " did not answer within " + timeout);
    }

    void put(String cache, String key, String value) throws Exception {
        call("put " + cache + " " + key + " " + value);
    }

    void delete(String cache, String key) throws Exception {
        call("delete " + cache + " " + key);
    }

    /** The value this member serves for the key, or null. */
    String get(String cache, String key) throws Exception {
        String reply = call("get " + cache + " " + key);
        return reply.equals("NULL") ? null : reply.substring("VALUE ".length());
    }

    /** The names in this member's view. */
    Set<String> view() throws Exception {
        return Set.of(call("view").substring("VIEW ".length()).split(","));
    }

    /** {@code READ <size> k1=v1 k2=- ...} ({@code -}: absent) as this member serves the keys now. */
    String read(String cache, List<String> keys) throws Exception {
        return call("read " + cache + " " + String.join(" ", keys));
    }

    /** The JVM's pid ({@code ip netns exec} execs java, so it is the process the test started). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL by pid: no graceful leave; the kernel closes its sockets. */
    void kill9() throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -9 " + pid() + " failed");
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL by pid ({@link Process#destroyForcibly()}), if still running. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
