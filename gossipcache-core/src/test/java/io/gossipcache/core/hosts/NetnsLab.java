package io.gossipcache.core.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network of "hosts" on this machine, so that members can be tested on separate addresses (not loopback)
 * and the network between them can fail: a Linux bridge in a namespace of its own, and per host a namespace whose
 * {@code eth0} is a veth pair created inside the bridge namespace (with the peer moved straight into the host's),
 * all on a random private /24. Nothing touches the root namespace's interfaces, routes or addresses.
 * <p>
 * Faults: a partition drops packets silently with tc in the hosts' namespaces (HTB root qdisc, a class whose leaf
 * is {@code pfifo limit 0}, a u32 filter per unreachable peer: this kernel has neither the {@code prio} qdisc nor
 * the {@code drop} action); a host vanishes with its link down. Namespaces are named {@code gchosts-<pid>-<rand>-}:
 * {@link #close()} (and a shutdown hook) deletes this lab's, and a new lab deletes those of runs whose JVM is gone.
 */
final class NetnsLab implements AutoCloseable {

    private static final String PREFIX = "gchosts-";
    private static final Pattern OWNER = Pattern.compile("^" + PREFIX + "(\\d+)-");
    private static String unavailable;
    private static boolean probed;

    /** One host: its namespace and address on the lab's /24. */
    record Host(String ns, String ip) {
        String seed(int port) {
            return ip + "[" + port + "]";
        }
    }

    private final String prefix;
    private final String bridgeNs;
    private final String subnet;
    private final List<Host> hosts = new ArrayList<>();
    /** Hosts that have the partition qdisc on their eth0. */
    private final Set<Host> shaped = ConcurrentHashMap.newKeySet();
    /** Processes launched in the lab, killed before the namespaces go. */
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::destroy, "netns-lab-cleanup");

    private NetnsLab() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        prefix = PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(random.nextInt(0x1000, 0x10000)) + "-";
        bridgeNs = prefix + "br";
        subnet = "10.213." + random.nextInt(1, 255) + ".";
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            ip("netns", "add", bridgeNs);
            ip("-n", bridgeNs, "link", "set", "lo", "up");
            ip("-n", bridgeNs, "link", "add", "br0", "type", "bridge");
            ip("-n", bridgeNs, "link", "set", "br0", "up");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Why this machine cannot run the lab (not Linux, no {@code ip} or {@code tc}, not root, or namespaces, bridges,
     * veths or the tc pieces refused), or {@code null} when it can. Probed once per JVM; the reason is printed once.
     */
    static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            unavailable = probe();
            if (unavailable != null) {
                System.out.println("[hosts] namespace suite skipped: " + unavailable);
            }
        }
        return unavailable;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux";
        }
        for (String tool : List.of("ip", "tc")) {
            try {
                run(tool, "-V");
            } catch (IOException | RuntimeException e) {
                return "no '" + tool + "' command (" + e.getMessage() + ")";
            }
        }
        try {
            if (!run("id", "-u").trim().equals("0")) {
                return "not root";
            }
        } catch (IOException | RuntimeException e) {
            return "cannot tell whether this is root (" + e.getMessage() + ")";
        }
        // everything the lab uses, in a throw-away namespace: bridge, veth, HTB + pfifo + u32
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        try {
            ip("netns", "add", probe);
            ip("-n", probe, "link", "add", "br0", "type", "bridge");
            ip("-n", probe, "link", "add", "eth0", "type", "veth", "peer", "name", "v1");
            ip("-n", probe, "link", "set", "eth0", "master", "br0");
            addDropQdisc(probe);
            addDropFilter(probe, "10.213.0.1");
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot build a namespace lab here (" + e.getMessage() + ")";
        } finally {
            try {
                ip("netns", "del", probe);
            } catch (IOException | RuntimeException ignored) {
                // it was never created
            }
        }
    }

    /** A new lab (a bridge in its own namespace), after deleting leftovers of dead runs. */
    static NetnsLab create() throws IOException {
        removeLeftovers();
        return new NetnsLab();
    }

    /** Deletes namespaces with the suite's prefix whose embedded pid is no longer alive. */
    private static void removeLeftovers() throws IOException {
        for (String ns : namespaces()) {
            Matcher owner = OWNER.matcher(ns);
            if (owner.find() && ProcessHandle.of(Long.parseLong(owner.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
                System.out.println("[hosts] removing leftover namespace " + ns);
                ip("netns", "del", ns);
            }
        }
    }

    private static List<String> namespaces() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "netns", "list").split("\n")) {
            if (line.startsWith(PREFIX)) {
                names.add(line.split(" ")[0]);
            }
        }
        return names;
    }

    /** A new host: namespace, veth to the bridge, the next address of the /24, {@code lo} and {@code eth0} up. */
    synchronized Host addHost() throws IOException {
        int n = hosts.size() + 1;
        Host host = new Host(prefix + "h" + n, subnet + n);
        ip("netns", "add", host.ns());
        hosts.add(host);
        ip("-n", host.ns(), "link", "set", "lo", "up");
        ip("-n", bridgeNs, "link", "add", "veth" + n, "type", "veth", "peer", "name", "eth0", "netns", host.ns());
        ip("-n", bridgeNs, "link", "set", "veth" + n, "master", "br0", "up");
        ip("-n", host.ns(), "addr", "add", host.ip() + "/24", "dev", "eth0");
        ip("-n", host.ns(), "link", "set", "eth0", "up");
        return host;
    }

    /**
     * Starts {@code command} inside a host's namespace ({@code ip netns exec} execs it, so the process's pid is the
     * command's own). The lab kills it at the latest when it closes.
     */
    Process launch(Host host, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.ns()));
        full.addAll(command);
        Process process = new ProcessBuilder(full).start();
        processes.add(process);
        return process;
    }

    /** Silently drops every packet between the two sides, in both directions (egress of each side's hosts). */
    void partition(List<Host> sideA, List<Host> sideB) throws IOException {
        for (Host a : sideA) {
            for (Host b : sideB) {
                drop(a, b);
                drop(b, a);
            }
        }
    }

    /** Egress of {@code from} drops every IPv4 packet to {@code to} (ARP still passes: the filter matches IP only). */
    private void drop(Host from, Host to) throws IOException {
        if (shaped.add(from)) {
            addDropQdisc(from.ns());
        }
        addDropFilter(from.ns(), to.ip());
    }

    /** eth0's root: HTB whose class 1:1 (the default) passes everything, and class 1:2 whose leaf queue holds nothing. */
    private static void addDropQdisc(String ns) throws IOException {
        tc(ns, "qdisc", "add", "dev", "eth0", "root", "handle", "1:", "htb", "default", "1");
        tc(ns, "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit", "quantum", "60000");
        tc(ns, "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:2", "htb", "rate", "10gbit", "quantum", "60000");
        tc(ns, "qdisc", "add", "dev", "eth0", "parent", "1:2", "handle", "20:", "pfifo", "limit", "0");
    }

    /** IPv4 packets to {@code ip} go to class 1:2, and so nowhere. */
    private static void addDropFilter(String ns, String ip) throws IOException {
        tc(ns, "filter", "add", "dev", "eth0", "parent", "1:", "protocol", "ip", "prio", "1",
                "u32", "match", "ip", "dst", ip + "/32", "flowid", "1:2");
    }

    /** Packets dropped so far by a host's partition qdisc (0 if it has none). */
    long droppedBy(Host host) throws IOException {
        if (!shaped.contains(host)) {
            return 0;
        }
        Matcher m = Pattern.compile("pfifo 20:.*?dropped (\\d+)", Pattern.DOTALL)
                .matcher(run("tc", "-n", host.ns(), "-s", "qdisc", "show", "dev", "eth0"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Ends every partition: removes the root qdiscs (and with them the filters). */
    void heal() throws IOException {
        for (Host host : List.copyOf(shaped)) {
            tc(host.ns(), "qdisc", "del", "dev", "eth0", "root");
            shaped.remove(host);
        }
    }

    /** The host vanishes from the network: no packet in or out, no RST for anyone. */
    void linkDown(Host host) throws IOException {
        ip("-n", host.ns(), "link", "set", "eth0", "down");
    }

    void linkUp(Host host) throws IOException {
        ip("-n", host.ns(), "link", "set", "eth0", "up");
    }

    /** Kills what the lab launched, then deletes its namespaces (which takes the veths and the bridge along). */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran
        }
    }

    private synchronized void destroy() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        try {
            for (String ns : namespaces()) {
                if (ns.startsWith(prefix)) {
                    ip("netns", "del", ns);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[hosts] cleanup of " + prefix + "* failed: " + e.getMessage());
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static void tc(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tc", "-n", ns));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /** Runs a command to completion (10 s at most) and returns its output; fails unless it exits 0. */
    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit within 10 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.trim());
        }
        return output;
    }
}
