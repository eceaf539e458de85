package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.autoconfigure.GossipCacheClusterCustomizer;
import io.gossipcache.core.cluster.ProtocolVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application of the next protocol major started next to a running cluster (issue 21): it starts, is refused, its
 * health says why, and its {@code @Cacheable} methods compute every call (a member that cannot hear the cluster's
 * writes must not serve what the cluster may have replaced); the cluster does not notice.
 */
class ProtocolRefusalTests {

    private static final int BASE_PORT = 27700;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the cluster sees of a release of the next major: its address says 2.0. */
    @Configuration(proxyBeanMethods = false)
    static class NextMajor {
        @Bean
        GossipCacheClusterCustomizer speaksTwo() {
            return cluster -> cluster.channelCustomizer(ch ->
                    ch.addAddressGenerator(() -> new ProtocolVersion(2, 0).newAddress()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemberOfAnotherMajorStartsRefusedServesNothingAndItsHealthSaysWhy() throws Exception {
        String cluster = "refusal-" + ProcessHandle.current().pid();
        List<String> web = List.of("server.port=0", "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=gossipcache,health",
                "management.endpoint.health.show-details=always");
        try (TestNodes nodes = TestNodes.start(1, cluster, BASE_PORT, WebApplicationType.SERVLET,
                web.toArray(String[]::new));
             ConfigurableApplicationContext next = new SpringApplicationBuilder(TestNodes.App.class, NextMajor.class)
                     .web(WebApplicationType.SERVLET).properties(properties(cluster, web)).run()) {
            Map<String, Object> health = get(next, "/health/gossipCache", 503);
            assertThat(health).containsEntry("status", "DOWN");
            Map<String, Object> details = (Map<String, Object>) health.get("details");
            assertThat((String) details.get("reason")).startsWith("refused by the cluster")
                    .contains("does not admit protocol 2.0");
            assertThat(get(next, "/gossipcache", 200).get("refusal")).asString().contains("protocol 2.0");

            QuoteService service = next.getBean(QuoteService.class);
            String first = service.quote("ACME");
            assertThat(service.quote("ACME")).as("computed again: nothing is cached").isNotEqualTo(first);
            assertThat(service.computed()).isEqualTo(2);

            Map<String, Object> clusterHealth = get(nodes.node(1), "/health/gossipCache", 200);
            assertThat(clusterHealth).containsEntry("status", "UP");
            assertThat((Map<String, Object>) clusterHealth.get("details")).containsEntry("members", 1);
        }
    }

    private static String[] properties(String cluster, List<String> web) {
        List<String> props = new java.util.ArrayList<>(List.of("gossipcache.node-name=next",
                "gossipcache.cluster.name=" + cluster, "gossipcache.cluster.bind-address=127.0.0.1",
                "gossipcache.cluster.bind-port=" + BASE_PORT, "gossipcache.cluster.port-range=2",
                "spring.main.banner-mode=off", "spring.jmx.enabled=false"));
        props.addAll(web);
        return props.toArray(String[]::new);
    }

    private Map<String, Object> get(ConfigurableApplicationContext node, String path, int status) throws Exception {
        String port = node.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator" + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        return JsonParserFactory.getJsonParser().parseMap(response.body());
    }
}
