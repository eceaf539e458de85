package io.gossipcache.core.cluster;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;
import org.jgroups.Address;
import org.jgroups.protocols.dns.AddressedDNSResolver;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.dns.DefaultDNSResolver;

/** Builds JGroups' {@code dns.DNS_PING} for a {@link DnsDiscovery}. */
final class DnsPings {

    /**
     * Discovery runs per join: a member that starts with its peers may look its name up before the peers are
     * published, so it asks again while it waits for the join timeout.
     */
    static final int DISCOVERY_RUNS = 3;

    /**
     * JNDI's DNS client waits 1 s and retries 4 times by default (up to 15 s on an unreachable server, during which
     * the member neither joins nor founds): a DNS server on the pod's network answers in milliseconds.
     */
    private static final String INITIAL_TIMEOUT_MS = "500";
    private static final String RETRIES = "2";

    private DnsPings() {
    }

    static DNS_PING create(DnsDiscovery dns) {
        DNS_PING ping = new DNS_PING();
        ping.dnsQuery(String.join(",", dns.queries())).dnsRecordType(dns.recordType().name());
        ping.numDiscoveryRuns(DISCOVERY_RUNS);
        String url = "dns://" + (dns.server() == null ? "" : hostPort(dns.server()));
        try {
            // without a server: JGroups' resolver, whose A lookups go through the system's resolver and so apply
            // its search domains (a pod may name its service without the namespace)
            ping.dnsResolver(dns.server() == null ? new DefaultDNSResolver(new InitialDirContext(environment(url)))
                    : new OneServerResolver(url));
        } catch (NamingException e) {
            throw new ClusterException("Cannot set up DNS discovery through " + url + ": " + e.getMessage(), e);
        }
        return ping;
    }

    /** {@code host:port} as a JNDI DNS URL wants it (IPv6 in brackets), port 53 when none is given. */
    static String hostPort(String server) {
        InetSocketAddress address = server.contains(":") || server.contains("[")
                ? Seeds.parse(server) : InetSocketAddress.createUnresolved(server, 53);
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static Properties environment(String url) {
        Properties env = new Properties();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.dns.timeout.initial", INITIAL_TIMEOUT_MS);
        env.put("com.sun.jndi.dns.timeout.retries", RETRIES);
        return env;
    }

    /**
     * Resolves every name through the configured server: JGroups' resolvers look the targets of SRV records up
     * through the system's resolver even when a DNS server is configured, so members named by that server alone were
     * never found.
     */
    private static final class OneServerResolver extends AddressedDNSResolver {

        OneServerResolver(String url) throws NamingException {
            super(new InitialDirContext(environment(url)));
        }

        @Override
        protected List<Address> resolveIPEntries(String name, String port) {
            return resolveAEntries(name, port);
        }
    }
}
