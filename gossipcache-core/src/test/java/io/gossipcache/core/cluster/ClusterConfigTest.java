package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster's defaults are its constants, and its rules report every problem by the starter's property name. */
class ClusterConfigTest {

    @Test
    void defaultsAreTheConstants() {
        ClusterConfig config = ClusterConfig.builder().build();
        assertThat(config.clusterName()).isEqualTo(ClusterConfig.DEFAULT_CLUSTER_NAME).isEqualTo("gossipcache");
        assertThat(config.bindAddress()).isEqualTo(ClusterConfig.DEFAULT_BIND_ADDRESS).isEqualTo("127.0.0.1");
        assertThat(config.bindPort()).isEqualTo(ClusterConfig.DEFAULT_BIND_PORT).isEqualTo(7800);
        assertThat(config.portRange()).isEqualTo(ClusterConfig.DEFAULT_PORT_RANGE).isEqualTo(10);
        assertThat(config.seeds()).isEmpty();
        assertThat(config.dnsDiscovery()).isNull();
        assertThat(config.failureDetectionInterval()).isEqualTo(ClusterConfig.DEFAULT_FAILURE_DETECTION_INTERVAL)
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(config.failureDetectionTimeout()).isEqualTo(ClusterConfig.DEFAULT_FAILURE_DETECTION_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(config.verifySuspectTimeout()).isEqualTo(ClusterConfig.DEFAULT_VERIFY_SUSPECT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(config.mergeInterval()).isEqualTo(ClusterConfig.DEFAULT_MERGE_INTERVAL).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.joinTimeout()).isEqualTo(ClusterConfig.DEFAULT_JOIN_TIMEOUT).isEqualTo(Duration.ofMillis(500));
        assertThat(ClusterConfig.DEFAULT_TLS_JOIN_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.jgroupsConfig()).isNull();
        assertThat(config.tls()).isNull();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsProperty() {
        ClusterConfig.Builder builder = ClusterConfig.builder()
                .clusterName(" ")
                .bindAddress("")
                .bindPort(70000)
                .portRange(-1)
                .seeds(List.of("127.0.0.1[7800]", "no-port-here"))
                .failureDetectionInterval(Duration.ofSeconds(2))
                .failureDetectionTimeout(Duration.ofSeconds(1))
                .verifySuspectTimeout(Duration.ZERO)
                .mergeInterval(null)
                .joinTimeout(Duration.ofMillis(-1));
        assertThat(builder.problems()).containsExactly(
                "gossipcache.cluster.name must not be empty",
                "gossipcache.cluster.bind-address must not be empty",
                "gossipcache.cluster.bind-port must be within 0..65535 (was 70000)",
                "gossipcache.cluster.port-range must be >= 0 and keep bind-port + port-range below 65536 (was -1)",
                "gossipcache.cluster.seeds[1] 'no-port-here' is not host[port] or host:port: Malformed seed"
                        + " 'no-port-here': expected host[port] or host:port",
                "gossipcache.failure-detection.verify-timeout must be positive (was PT0S)",
                "gossipcache.failure-detection.timeout (PT1S) must exceed gossipcache.failure-detection.interval (PT2S)",
                "gossipcache.cluster.merge-interval must be positive (was null)",
                "gossipcache.cluster.join-timeout must be positive (was PT-0.001S)");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gossipcache.cluster.name must not be empty; gossipcache.cluster.bind-address");
    }

    @Test
    void dnsDiscoveryIsCheckedWithTheRest() {
        ClusterConfig.Builder builder = ClusterConfig.builder()
                .dnsDiscovery(List.of("a.test"), DnsDiscovery.RecordType.A, "no such host")
                .seeds(List.of("127.0.0.1[27000]"))
                .jgroupsConfig("test-tcp.xml");
        assertThat(builder.problems()).containsExactly(
                "gossipcache.cluster.discovery.dns.address: DNS server 'no such host' is not host, host:port or"
                        + " [ipv6]:port",
                "gossipcache.cluster.seeds apply to static discovery only: remove them, or set"
                        + " gossipcache.cluster.discovery.type to static",
                "gossipcache.cluster.discovery.type dns applies to the built-in stack only: with"
                        + " gossipcache.cluster.jgroups-config, configure dns.DNS_PING in that XML");
        assertThat(ClusterConfig.builder().dnsDiscovery(List.of(), DnsDiscovery.RecordType.A, null).problems())
                .singleElement().asString().startsWith("gossipcache.cluster.discovery.dns.query must name the DNS names");
        assertThat(ClusterConfig.builder().dnsDiscovery(List.of("a.test"), null, null).problems())
                .containsExactly("gossipcache.cluster.discovery.dns.record-type must be set");
    }

    @Test
    void dnsDiscoveryFromPartsOrRecordBuildsTheSameAndSurvivesToBuilder() {
        DnsDiscovery dns = new DnsDiscovery(List.of("a.test", "b.test"), DnsDiscovery.RecordType.SRV, "127.0.0.1:5353");
        ClusterConfig fromParts = ClusterConfig.builder()
                .dnsDiscovery(List.of(" a.test", "b.test "), DnsDiscovery.RecordType.SRV, " 127.0.0.1:5353 ").build();
        ClusterConfig fromRecord = ClusterConfig.builder().dnsDiscovery(dns).build();
        assertThat(fromParts.dnsDiscovery()).isEqualTo(dns);
        assertThat(fromRecord.dnsDiscovery()).isEqualTo(dns);
        assertThat(fromRecord.toBuilder().build().dnsDiscovery()).isEqualTo(dns);
        assertThat(fromRecord.toBuilder().dnsDiscovery(null).build().dnsDiscovery()).isNull();
        assertThat(fromRecord.toBuilder().staticDiscovery().seeds(List.of("127.0.0.1[7800]")).problems()).isEmpty();
    }
}
