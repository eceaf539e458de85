package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.GossipCacheEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * gossipcache.security.ssl-bundle: members holding the bundle's certificate form a TLS cluster and replicate;
 * an application with another certificate or none, same cluster name and ports, stays out and sees nothing.
 */
class ClusterTlsTests {

    private static final int BASE_PORT = 27300;

    @TempDir
    Path dir;
    private TestNodes secured;
    private final List<ConfigurableApplicationContext> outsiders = new ArrayList<>();

    @AfterEach
    void stop() {
        outsiders.forEach(ConfigurableApplicationContext::close);
        if (secured != null) {
            secured.close();
        }
    }

    @Test
    void membersWithTheBundleFormATlsClusterAndOthersStayOut() throws Exception {
        Path clusterStore = TestKeyStores.create(dir.resolve("cluster.p12"), "gossipcache");
        Path otherStore = TestKeyStores.create(dir.resolve("other.p12"), "gossipcache");
        String cluster = "tls-" + ProcessHandle.current().pid();
        List<String> securedProps = new ArrayList<>(List.of(TestKeyStores.bundle("cluster", clusterStore)));
        securedProps.add("gossipcache.security.ssl-bundle=cluster");
        secured = TestNodes.start(2, cluster, BASE_PORT, WebApplicationType.NONE, securedProps.toArray(String[]::new));
        assertThat(secured.node(1).getBean(GossipCacheEngine.class).config().cluster().tls()).isNotNull();
        assertThat(secured.node(1).getBean(GossipCacheEngine.class).config().cluster().joinTimeout())
                .isEqualTo(Duration.ofSeconds(2));

        secured.service(1).quote("ACME");
        await().atMost(Duration.ofSeconds(20)).until(() -> secured.node(2).getBean(GossipCacheEngine.class)
                .cache("quotes").get("ACME") != null);

        List<String> otherProps = new ArrayList<>(List.of(TestKeyStores.bundle("cluster", otherStore)));
        otherProps.add("gossipcache.security.ssl-bundle=cluster");
        GossipCacheEngine withOtherCertificate = outsider(cluster, "n3", otherProps);
        GossipCacheEngine plain = outsider(cluster, "n4", List.of());

        secured.service(1).quote("INITECH");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).until(() ->
                withOtherCertificate.view().size() == 1 && plain.view().size() == 1
                        && secured.node(1).getBean(GossipCacheEngine.class).view().size() == 2
                        && withOtherCertificate.cache("quotes").size() == 0 && plain.cache("quotes").size() == 0);
    }

    private GossipCacheEngine outsider(String cluster, String name, List<String> extra) {
        List<String> props = new ArrayList<>(List.of(
                "gossipcache.node-name=" + name,
                "gossipcache.cluster.name=" + cluster,
                "gossipcache.cluster.bind-port=" + BASE_PORT,
                "gossipcache.cluster.port-range=5",
                "spring.main.banner-mode=off",
                "spring.jmx.enabled=false"));
        props.addAll(extra);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestNodes.App.class)
                .web(WebApplicationType.NONE).properties(props.toArray(String[]::new)).run();
        outsiders.add(context);
        return context.getBean(GossipCacheEngine.class);
    }
}
