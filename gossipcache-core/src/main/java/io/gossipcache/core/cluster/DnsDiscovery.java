package io.gossipcache.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finding members through DNS instead of a list of seeds: what a Kubernetes headless service offers. Each
 * discovery run looks the names up again, so a member that founds the cluster while a name still resolves to
 * nothing is found by the members that start after it.
 *
 * @param queries    the names to look up (one or more), for example
 *                   {@code orders-cache.shop.svc.cluster.local}
 * @param recordType {@link RecordType#A A}: each address is probed on the bind port and the port range (members on
 *                   distinct hosts, one port); {@link RecordType#SRV SRV}: each record names its member's host and
 *                   port (members that share an address)
 * @param server     {@code host}, {@code host:port} or {@code [ipv6]:port} of the DNS server to ask (port 53 when
 *                   none is given), or {@code null} for the system's resolver (the cluster DNS in a pod)
 */
public record DnsDiscovery(List<String> queries, RecordType recordType, String server) {

    /** The DNS records that name the members. */
    public enum RecordType {
        /** Addresses; the port is the bind port (or one of its range). */
        A,
        /** Host and port per member; the host is looked up in turn. */
        SRV
    }

    /**
     * @throws IllegalArgumentException when there is no query, a query is blank or holds a comma or space, or the
     *                                  server is not {@code host} or {@code host:port}
     */
    public DnsDiscovery {
        Objects.requireNonNull(recordType, "record type");
        List<String> problems = problems(queries, server);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        queries = trimmed(queries);
        server = server == null || server.isBlank() ? null : server.trim();
    }

    /**
     * What the constructor would refuse, one message per problem, each naming the Spring Boot property that sets the
     * value ({@code gossipcache.cluster.discovery.dns.*}); empty when the values are valid.
     */
    public static List<String> problems(List<String> queries, String server) {
        List<String> problems = new ArrayList<>();
        List<String> names = trimmed(queries);
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            problems.add("gossipcache.cluster.discovery.dns.query must name the DNS names to look up, none blank (for"
                    + " example the headless service my-app-gossip.my-namespace.svc.cluster.local) when"
                    + " gossipcache.cluster.discovery.type is dns (was " + names + ")");
        } else if (names.stream().anyMatch(q -> q.contains(",") || q.contains(" "))) {
            problems.add("gossipcache.cluster.discovery.dns.query: a DNS name holds no comma or space (was " + names
                    + ")");
        }
        String host = server == null ? "" : server.trim();
        if (!host.isEmpty() && (host.contains("/") || host.contains(" ") || !parses(host))) {
            problems.add("gossipcache.cluster.discovery.dns.address: DNS server '" + host
                    + "' is not host, host:port or [ipv6]:port");
        }
        return problems;
    }

    private static List<String> trimmed(List<String> queries) {
        return queries == null ? List.of() : queries.stream().map(q -> q == null ? "" : q.trim()).toList();
    }

    private static boolean parses(String server) {
        try {
            if (server.contains(":") || server.contains("[")) {
                Seeds.parse(server);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Looks {@code query} up as {@code recordType} records through the system's resolver. */
    public static DnsDiscovery of(RecordType recordType, String... query) {
        return new DnsDiscovery(List.of(query), recordType, null);
    }

    /** The same lookups, asked of {@code server} ({@code host} or {@code host:port}). */
    public DnsDiscovery withServer(String server) {
        return new DnsDiscovery(queries, recordType, server);
    }
}
