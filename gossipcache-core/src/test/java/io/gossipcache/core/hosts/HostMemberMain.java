package io.gossipcache.core.hosts;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.DnsDiscovery;
import io.gossipcache.core.cluster.ClusterMember;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The main class of a {@link HostMember}: one engine bound to its host's address with static seeds, driven over
 * stdin. Stdout carries only the protocol ({@code READY}, then one reply line per command); everything else that
 * writes to {@code System.out} (logging included) goes to stderr. Exits when stdin closes.
 * <p>
 * Args: cluster name, node name, bind address, discovery: the seeds (comma-separated {@code ip[port]}) or
 * {@code dns:server-ip:name} (A records on a DNS server at port 53).
 * Commands: {@code put c k v}, {@code delete c k}, {@code get c k} ({@code VALUE v} or {@code NULL}),
 * {@code read c k1 k2 ...} ({@code READ <size> k1=v1 k2=- ...}, {@code -} for absent), {@code view}
 * ({@code VIEW a,b,...}).
 */
public final class HostMemberMain {

    static final int PORT = 7800;
    /** The discovery argument's prefix for DNS discovery; otherwise it lists the seeds. */
    static final String DNS = "dns:";
    /** Short but sane: what the suite's time bounds are computed from. */
    static final Duration FD_INTERVAL = Duration.ofMillis(500);
    static final Duration FD_TIMEOUT = Duration.ofSeconds(3);
    static final Duration VERIFY_SUSPECT = Duration.ofMillis(500);
    static final Duration MERGE_INTERVAL = Duration.ofSeconds(2);
    static final Duration GOSSIP_INTERVAL = Duration.ofMillis(300);

    private HostMemberMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ClusterConfig.Builder builder = ClusterConfig.builder()
                .clusterName(args[0]).nodeName(args[1])
                .bindAddress(args[2]).bindPort(PORT).portRange(0)
                .failureDetectionInterval(FD_INTERVAL)
                .failureDetectionTimeout(FD_TIMEOUT)
                .verifySuspectTimeout(VERIFY_SUSPECT)
                .mergeInterval(MERGE_INTERVAL);
        if (args[3].startsWith(DNS)) { // dns:server-ip:name, A records of every host
            String[] dns = args[3].substring(DNS.length()).split(":");
            builder.dnsDiscovery(new DnsDiscovery(List.of(dns[1]), DnsDiscovery.RecordType.A, dns[0]));
        } else {
            builder.seeds(List.of(args[3].split(",")));
        }
        ClusterConfig cluster = builder.build();
        EngineConfig config = EngineConfig.builder().cluster(cluster).gossipInterval(GOSSIP_INTERVAL).build();
        try (GossipCacheEngine engine = new GossipCacheEngine(config)) {
            engine.start();
            protocol.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String reply;
                try {
                    reply = serve(engine, line.split(" "));
                } catch (RuntimeException e) {
                    reply = "FAIL " + e;
                }
                protocol.println(reply);
            }
        }
    }

    private static String serve(GossipCacheEngine engine, String[] cmd) {
        switch (cmd[0]) {
            case "put" -> {
                engine.cache(cmd[1]).put(cmd[2], cmd[3]);
                return "OK";
            }
            case "delete" -> {
                engine.cache(cmd[1]).evict(cmd[2]);
                return "OK";
            }
            case "get" -> {
                Object value = engine.cache(cmd[1]).get(cmd[2]);
                return value == null ? "NULL" : "VALUE " + value;
            }
            case "read" -> {
                ReplicatedCache cache = engine.cache(cmd[1]);
                return "READ " + cache.size() + Arrays.stream(cmd, 2, cmd.length)
                        .map(k -> " " + k + "=" + Objects.requireNonNullElse(cache.get(k), "-"))
                        .collect(Collectors.joining());
            }
            case "view" -> {
                return "VIEW " + engine.view().members().stream().map(ClusterMember::name).collect(Collectors.joining(","));
            }
            default -> {
                return "FAIL unknown command " + cmd[0];
            }
        }
    }
}
