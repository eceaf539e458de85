package io.gossipcache.core.cluster;

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
     * @throws IllegalArgumentException when there is no query, a query is blank, or the server is not
     *                                  {@code host} or {@code host:port}
     */
    public DnsDiscovery {
        Objects.requireNonNull(recordType, "record type");
        queries = queries == null ? List.of() : queries.stream().map(q -> q == null ? "" : q.trim()).toList();
        if (queries.isEmpty() || queries.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("DNS discovery needs one or more names to look up, none blank: " + queries);
        }
        if (queries.stream().anyMatch(q -> q.contains(",") || q.contains(" "))) {
            throw new IllegalArgumentException("A DNS name holds no comma or space: " + queries);
        }
        if (server != null) {
            server = server.trim();
            if (server.isEmpty()) {
                server = null;
            } else if (server.contains("/") || server.contains(" ") || !parses(server)) {
                throw new IllegalArgumentException("DNS server '" + server + "' is not host, host:port or [ipv6]:port");
            }
        }
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
