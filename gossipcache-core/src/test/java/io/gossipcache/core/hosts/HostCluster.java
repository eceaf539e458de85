package io.gossipcache.core.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gossipcache.core.cluster.TestDnsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One cluster of {@link HostMember}s on hosts of a {@link NetnsLab}, with what every member should serve once
 * converged: each write and delete made through it is recorded in the order made, so the newest wins, as the
 * engine's rule says. Every host of the cluster (started or not) is a seed of every member.
 */
final class HostCluster implements AutoCloseable {

    static final String CACHE = "c";
    private static final Duration POLL = Duration.ofMillis(50);

    private final NetnsLab lab;
    private final String name;
    private final List<NetnsLab.Host> hosts = new ArrayList<>();
    /** The current member of each host, by index (null: none running). */
    private final HostMember[] members;
    private final List<HostMember> everStarted = new ArrayList<>();
    /** Key to the value every member must serve in the end; null = deleted. */
    private final Map<String, String> expected = new LinkedHashMap<>();

    /** {@link HostMemberMain}'s discovery argument: the seeds, or a DNS server and name. */
    private final String discovery;

    /** Members that find each other through static seeds: every host. */
    HostCluster(NetnsLab lab, String name, int hosts) throws Exception {
        this(lab, name, hosts, false);
    }

    /**
     * @param dns whether members find each other through DNS: a {@link TestDnsServer} on a host of its own
     *            answers A records of every member host (same port on distinct addresses), and nothing lists seeds
     */
    HostCluster(NetnsLab lab, String name, int hosts, boolean dns) throws Exception {
        this.lab = lab;
        this.name = name + "-" + ProcessHandle.current().pid();
        for (int i = 0; i < hosts; i++) {
            this.hosts.add(lab.addHost());
        }
        this.members = new HostMember[hosts];
        this.discovery = dns ? startDns(name + ".gossipcache.test")
                : String.join(",", this.hosts.stream().map(h -> h.seed(HostMemberMain.PORT)).toList());
    }

    private String startDns(String query) throws Exception {
        NetnsLab.Host server = lab.addHost();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Djava.net.preferIPv4Stack=true", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), TestDnsServer.class.getName(), server.ip(), "53"));
        hosts.forEach(h -> command.add("A:" + query + "=" + h.ip()));
        Process process = lab.launch(server, command);
        String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("DNS server in " + server.ns()).isEqualTo("READY");
        return HostMemberMain.DNS + server.ip() + ":" + query;
    }

    NetnsLab.Host host(int i) {
        return hosts.get(i);
    }

    static String nodeName(int i) {
        return "n" + (i + 1);
    }

    /** Starts members on the given hosts in parallel and waits until each has joined; returns them. */
    List<HostMember> start(int... indexes) throws Exception {
        List<HostMember> started = new ArrayList<>();
        for (int i : indexes) {
            members[i] = HostMember.launch(lab, hosts.get(i), name, nodeName(i), discovery);
            started.add(members[i]);
            everStarted.add(members[i]);
        }
        for (HostMember member : started) {
            member.awaitReady(Bounds.START);
        }
        return started;
    }

    void put(HostMember on, String key, String value) throws Exception {
        on.put(CACHE, key, value);
        expected.put(key, value);
        nextMillisecond();
    }

    void delete(HostMember on, String key) throws Exception {
        on.delete(CACHE, key);
        expected.put(key, null);
        nextMillisecond();
    }

    /**
     * Versions are hybrid-clock milliseconds with the node id as tie-break: two writes on different members in the
     * same millisecond are ordered by node id, not by time. Returning only in the next millisecond makes the
     * recorded order the real one.
     */
    private static void nextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() <= now + 1) {
            Thread.onSpinWait();
        }
    }

    /**
     * Polls until every group's members see exactly that group as their view, and returns the time since
     * {@code sinceNanos} in ms; fails once {@code bound} has passed since then.
     */
    @SafeVarargs
    final long awaitViews(long sinceNanos, Duration bound, List<Integer>... groups) throws Exception {
        return within(sinceNanos, bound, "views " + Arrays.toString(groups), () -> {
            for (List<Integer> group : groups) {
                Set<String> names = group.stream().map(HostCluster::nodeName).collect(Collectors.toSet());
                for (int i : group) {
                    Set<String> view = members[i].view();
                    if (!view.equals(names)) {
                        return nodeName(i) + " sees " + new TreeSet<>(view);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Polls until the running members share one view of all of them and each serves exactly the expected entries
     * (the newest write of every key; nothing for a deleted one, nor any other key), and returns the time since
     * {@code sinceNanos} in ms; fails once {@code bound} has passed since then.
     */
    long awaitConverged(long sinceNanos, Duration bound) throws Exception {
        return within(sinceNanos, bound, "convergence", this::divergence);
    }

    /**
     * After a heal at {@code sinceNanos}: waits for one view of all running members within {@link Bounds#MERGE}, then
     * for convergence within {@link Bounds#CONVERGED} of the heal, and prints both times.
     */
    void awaitHealed(String what, long sinceNanos) throws Exception {
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null && members[i].isAlive()) {
                running.add(i);
            }
        }
        long view = awaitViews(sinceNanos, Bounds.MERGE, running);
        long converged = awaitConverged(sinceNanos, Bounds.CONVERGED);
        System.out.println("[hosts] " + what + " -> one view in " + view + " ms, converged in " + converged + " ms");
    }

    /** Fails unless the members stay converged for {@code period} (deletes do not come back with later rounds). */
    void assertStaysConverged(Duration period) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        do {
            assertThat(divergence()).as("still converged").isNull();
            Thread.sleep(POLL.toMillis());
        } while (System.nanoTime() < end);
    }

    /** What keeps the cluster from being converged, or null. */
    private String divergence() throws Exception {
        List<HostMember> running = Arrays.stream(members).filter(m -> m != null && m.isAlive()).toList();
        Set<String> names = running.stream().map(m -> m.name).collect(Collectors.toSet());
        List<String> keys = List.copyOf(expected.keySet());
        String want = "READ " + expected.values().stream().filter(v -> v != null).count()
                + keys.stream().map(k -> " " + k + "=" + (expected.get(k) == null ? "-" : expected.get(k)))
                        .collect(Collectors.joining());
        for (HostMember member : running) {
            Set<String> view = member.view();
            if (!view.equals(names)) {
                return member.name + " sees " + new TreeSet<>(view);
            }
            String got = member.read(CACHE, keys);
            if (!got.equals(want)) {
                return member.name + " serves " + got + ", expected " + want;
            }
        }
        return null;
    }

    interface Check {
        /** What is still wrong, or null once the condition holds. */
        String mismatch() throws Exception;
    }

    static long within(long sinceNanos, Duration bound, String what, Check check) throws Exception {
        long deadline = sinceNanos + bound.toNanos();
        while (true) {
            String mismatch = check.mismatch();
            long now = System.nanoTime();
            if (mismatch == null) {
                return (now - sinceNanos) / 1_000_000;
            }
            if (now > deadline) {
                fail(what + " not reached within " + bound.toMillis() + " ms: " + mismatch);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** No member printed an ERROR line. */
    void assertNoErrorsLogged() {
        for (HostMember member : everStarted) {
            assertThat(member.errors).as("ERROR lines of " + member.name).isEmpty();
        }
    }

    /** Replaces a host's member (after it was killed) with a new one of the same name, waiting until it joined. */
    HostMember restart(int i) throws Exception {
        return start(i).get(0);
    }

    /** Kills every member (graceful leaves are not what this suite tests, and all at once they only log noise). */
    @Override
    public void close() throws InterruptedException {
        for (HostMember member : everStarted) {
            member.close();
        }
    }
}
