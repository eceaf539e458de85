package io.gossipcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * Start-up failures an operator can read (issue 18, part 6): Boot's failure report names the property and the fix,
 * with no stack trace and no warning about traffic that never flowed.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

    private static final int BASE_PORT = 27950;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableCaching
    static class App {
    }

    private static void run(String... properties) {
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "spring.jmx.enabled=false",
                        "gossipcache.cluster.name=startup-failure-" + ProcessHandle.current().pid())
                .properties(properties).run().close();
    }

    private static void assertReadableReport(CapturedOutput output, String property) {
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START").contains(property)
                .doesNotContain("\tat org.jgroups").doesNotContain("\tat io.gossipcache")
                .doesNotContain("neither authenticated nor encrypted");
    }

    @Test
    void aBindAddressThisHostDoesNotHave(CapturedOutput output) {
        // TEST-NET-1, reserved for documentation: no host has it, and the check comes before any socket
        assertThatThrownBy(() -> run("gossipcache.cluster.bind-address=192.0.2.1",
                "gossipcache.cluster.bind-port=" + BASE_PORT)).hasRootCauseMessage(
                "Bind address '192.0.2.1' is not an address of this host");
        assertReadableReport(output, "Set gossipcache.cluster.bind-address to an address of this host");
    }

    @Test
    void everyPortOfTheRangeTaken(CapturedOutput output) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket first = new ServerSocket(BASE_PORT + 10, 1, loopback);
             ServerSocket second = new ServerSocket(BASE_PORT + 11, 1, loopback)) {
            assertThatThrownBy(() -> run("gossipcache.cluster.bind-address=127.0.0.1",
                    "gossipcache.cluster.bind-port=" + (BASE_PORT + 10), "gossipcache.cluster.port-range=1"))
                    .isNotNull();
        }
        assertReadableReport(output, "raise gossipcache.cluster.port-range");
    }

    @Test
    void badValuesAreReportedTogetherByTheirProperties(CapturedOutput output) {
        // the core's rules, reported through Boot's bind-validation analysis: no stack trace, every problem at once
        assertThatThrownBy(() -> run("gossipcache.cluster.bind-port=" + (BASE_PORT + 30),
                "gossipcache.gossip.interval=0s", "gossipcache.cluster.seeds=nonsense",
                "gossipcache.caches.orders.ttl=-1s", "gossipcache.health.min-members=-1")).isNotNull();
        assertReadableReport(output, "gossipcache.gossip.interval must be positive (was PT0S)");
        assertThat(output.getOut() + output.getErr())
                .contains("gossipcache.cluster.seeds[0] 'nonsense' is not host[port] or host:port")
                .contains("gossipcache.caches.orders.ttl must not be negative (was PT-1S)")
                .contains("gossipcache.health.min-members must not be negative (was -1)");
    }

    @Test
    void tlsMaterialThatCannotBeRead(CapturedOutput output) {
        assertThatThrownBy(() -> run("gossipcache.cluster.bind-address=127.0.0.1",
                "gossipcache.cluster.bind-port=" + (BASE_PORT + 20),
                "gossipcache.security.ssl-bundle=cluster",
                "spring.ssl.bundle.jks.cluster.keystore.location=classpath:no-such-keystore.p12",
                "spring.ssl.bundle.jks.cluster.keystore.password=secret",
                "spring.ssl.bundle.jks.cluster.keystore.type=PKCS12")).isNotNull();
        assertReadableReport(output, "spring.ssl.bundle.jks.cluster");
    }
}
