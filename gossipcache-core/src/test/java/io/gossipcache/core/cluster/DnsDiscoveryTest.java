package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What DNS discovery accepts, and the server address JNDI is given. */
class DnsDiscoveryTest {

    @Test
    void namesAreRequiredTrimmedAndHoldNoSeparators() {
        assertThat(new DnsDiscovery(List.of(" a.svc.cluster.local ", "b.local"), DnsDiscovery.RecordType.A, null).queries())
                .containsExactly("a.svc.cluster.local", "b.local");
        assertThatThrownBy(() -> new DnsDiscovery(List.of(), DnsDiscovery.RecordType.A, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gossipcache.cluster.discovery.dns.query must name the DNS names");
        assertThatThrownBy(() -> new DnsDiscovery(null, DnsDiscovery.RecordType.A, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsDiscovery(Arrays.asList("a.local", " "), DnsDiscovery.RecordType.A, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsDiscovery.of(DnsDiscovery.RecordType.SRV, "a.local,b.local"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comma");
    }

    @Test
    void theServerIsAHostWithAnOptionalPort() {
        DnsDiscovery base = DnsDiscovery.of(DnsDiscovery.RecordType.A, "members.local");
        assertThat(base.server()).isNull();
        assertThat(base.withServer("  ").server()).isNull();
        assertThat(base.withServer("10.0.0.10").server()).isEqualTo("10.0.0.10");
        for (String bad : List.of("10.0.0.10:99999", "dns server", "dns://10.0.0.10", "10.0.0.10:")) {
            assertThatThrownBy(() -> base.withServer(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not host, host:port");
        }
    }

    @Test
    void jndiGetsHostColonPortWithPort53ByDefault() {
        assertThat(DnsPings.hostPort("10.0.0.10")).isEqualTo("10.0.0.10:53");
        assertThat(DnsPings.hostPort("127.0.0.1:5353")).isEqualTo("127.0.0.1:5353");
        assertThat(DnsPings.hostPort("kube-dns[53]")).isEqualTo("kube-dns:53");
        assertThat(DnsPings.hostPort("[::1]:5353")).isEqualTo("[::1]:5353");
    }
}
