package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import org.jgroups.JChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warning for plain cluster traffic beyond loopback, and what counts as secured. */
class ExposureCheckTest {

    @Test
    void plainTrafficBeyondLoopbackIsWarnedAbout() throws Exception {
        // only InetAddress values: nothing binds to these addresses
        assertThat(ExposureCheck.warning(InetAddress.getByName("10.1.2.3"), 7800, false)).hasValueSatisfying(warning ->
                assertThat(warning).contains("10.1.2.3:7800").contains("neither authenticated nor encrypted")
                        .contains("gossipcache.security.ssl-bundle"));
        assertThat(ExposureCheck.warning(InetAddress.getByName("10.1.2.3"), 7800, true)).isEmpty();
        assertThat(ExposureCheck.warning(InetAddress.getByName("127.0.0.1"), 7800, false)).isEmpty();
        assertThat(ExposureCheck.warning(InetAddress.getByName("::1"), 7800, false)).isEmpty();
    }

    @Test
    void aStackWithTlsCountsAsSecured(@TempDir Path dir) throws Exception {
        ClusterConfig plain = ClusterConfig.builder().clusterName("exposure").bindPort(30990).portRange(1).build();
        ClusterConfig tls = plain.toBuilder().tls(ClusterTls.of(TestCertificates.sslContext(
                TestCertificates.createKeyStore(dir.resolve("c.p12"), "gossipcache")))).build();
        try (JChannel plainChannel = RawChannels.create(plain); JChannel tlsChannel = RawChannels.create(tls)) {
            assertThat(JGroupsStack.isSecured(plainChannel)).isFalse();
            assertThat(JGroupsStack.isSecured(tlsChannel)).isTrue();
        }
        assertThat(plain.joinTimeout()).isEqualTo(ClusterConfig.DEFAULT_JOIN_TIMEOUT);
        assertThat(tls.joinTimeout()).isEqualTo(ClusterConfig.DEFAULT_TLS_JOIN_TIMEOUT);
    }

    @Test
    void tlsWithAnOwnJGroupsXmlIsRefused(@TempDir Path dir) throws Exception {
        ClusterTls tls = ClusterTls.of(TestCertificates.sslContext(
                TestCertificates.createKeyStore(dir.resolve("c.p12"), "gossipcache")));
        assertThatThrownBy(() -> ClusterConfig.builder().jgroupsConfig("test-tcp.xml").tls(tls).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configure TLS");
    }
}
