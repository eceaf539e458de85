package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.DnsDiscovery;
import io.gossipcache.core.cluster.TestDnsServer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members find each other through a real DNS server (run by the test, on loopback): SRV records for members that
 * share an address, A records for members on distinct addresses with one port. Nothing else names the peers (no
 * seeds, no port-range probing), so a member that joins was found through DNS.
 */
class DnsDiscoveryClusterTest {

    private TestDnsServer dns;
    private final TestCluster srvCluster = new TestCluster("dns-srv");
    private final TestCluster aCluster = new TestCluster("dns-a");

    @BeforeEach
    void startDns() throws Exception {
        dns = new TestDnsServer("127.0.0.1");
    }

    @AfterEach
    void stop() throws Exception {
        srvCluster.close();
        aCluster.close();
        dns.close();
    }

    @Test
    void srvRecordsNameMembersThatShareAnAddressAndTheFirstFoundsTheClusterWhileTheNameIsEmpty() throws Exception {
        String service = "_members._tcp.dns-srv.gossipcache.test";
        srvCluster.clusterTweaks(b -> b.dnsDiscovery(DnsDiscovery.of(DnsDiscovery.RecordType.SRV, service).withServer(dns.address())));

        GossipCacheEngine a = srvCluster.start("node-a"); // the name resolves to nothing yet: a founds the cluster
        assertThat(a.view().size()).isEqualTo(1);
        publishSrv(service, a);
        GossipCacheEngine b = srvCluster.start("node-b");
        publishSrv(service, b);
        GossipCacheEngine c = srvCluster.start("node-c");
        await().atMost(TestCluster.WAIT).until(() -> Stream.of(a, b, c).allMatch(e -> e.view().size() == 3));

        a.cache("books").put("k", "v");
        await().atMost(TestCluster.WAIT).until(() -> "v".equals(c.cache("books").get("k")));
        assertThat(dns.queries()).isPositive();
    }

    @Test
    void aRecordsNameMembersOnDistinctAddressesWithOnePort() throws Exception {
        String name = "members.dns-a.gossipcache.test";
        List<String> addresses = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
        for (String address : addresses) {
            dns.addA(name, address);
        }
        List<GossipCacheEngine> members = addresses.stream().map(address -> {
            aCluster.clusterTweaks(b -> b.bindAddress(address).portRange(0)
                    .dnsDiscovery(new DnsDiscovery(List.of(name), DnsDiscovery.RecordType.A, dns.address())));
            return aCluster.start("node-" + address.substring(address.lastIndexOf('.') + 1));
        }).toList();
        await().atMost(TestCluster.WAIT).until(() -> members.stream().allMatch(e -> e.view().size() == 3));
        assertThat(members.stream().map(e -> e.view().self().address()))
                .containsExactly("127.0.0.1:" + aCluster.basePort, "127.0.0.2:" + aCluster.basePort, "127.0.0.3:" + aCluster.basePort);

        members.get(2).cache("books").put("k", "v");
        await().atMost(TestCluster.WAIT).until(() -> "v".equals(members.get(0).cache("books").get("k")));
    }

    @Test
    void aMemberWhoseNameListsNobodyFoundsAClusterOfItsOwn() throws Exception {
        String service = "_members._tcp.dns-srv.gossipcache.test";
        srvCluster.clusterTweaks(b -> b.dnsDiscovery(new DnsDiscovery(List.of(service), DnsDiscovery.RecordType.SRV, dns.address())));
        GossipCacheEngine a = srvCluster.start("node-a");
        publishSrv(service, a);
        // the same cluster name and port range (probing the range would find node-a), but a name DNS does not know
        srvCluster.clusterTweaks(b -> b.dnsDiscovery(new DnsDiscovery(List.of("_other._tcp.dns-srv.gossipcache.test"),
                DnsDiscovery.RecordType.SRV, dns.address())));
        GossipCacheEngine stray = srvCluster.start("node-stray");

        assertThat(stray.view().size()).isEqualTo(1);
        assertThat(a.view().size()).isEqualTo(1);
    }

    private void publishSrv(String service, GossipCacheEngine member) throws Exception {
        String address = member.view().self().address();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        String host = member.nodeName() + ".dns-srv.gossipcache.test";
        dns.addA(host, address.substring(0, address.lastIndexOf(':')));
        dns.addSrv(service, host, port);
    }
}
