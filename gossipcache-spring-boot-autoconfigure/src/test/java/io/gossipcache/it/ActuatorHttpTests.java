package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.cluster.ProtocolVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.cache.CacheManager;

/** Two web application contexts in one cluster; Actuator over real HTTP on random ports (127.0.0.1). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActuatorHttpTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonParser json = JsonParserFactory.getJsonParser();
    private TestNodes nodes;

    record Response(int status, Map<String, Object> body) {
    }

    @BeforeAll
    void startCluster() {
        nodes = TestNodes.start(2, "actuator-http-" + ProcessHandle.current().pid(), 27500,
                WebApplicationType.SERVLET,
                "server.port=0",
                "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=gossipcache,health,caches,metrics",
                "management.endpoint.health.show-details=always",
                "gossipcache.health.min-members=2");
    }

    @AfterAll
    void stopCluster() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @BeforeEach
    void bothClustered() {
        await().atMost(WAIT).until(() -> nodes.all().stream()
                .allMatch(c -> c.getBean(GossipCacheEngine.class).view().size() == 2));
    }

    private String base(int node) {
        String port = nodes.node(node).getEnvironment().getProperty("local.server.port");
        return "http://127.0.0.1:" + port + "/actuator";
    }

    private Response send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Response(response.statusCode(),
                body == null || body.isBlank() || !body.startsWith("{") ? Map.of() : json.parseMap(body));
    }

    private Response get(int node, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base(node) + path)).GET());
    }

    private Response post(int node, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base(node) + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Response delete(int node, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base(node) + path)).DELETE());
    }

    @Test
    @SuppressWarnings("unchecked")
    void membershipDocument() throws Exception {
        nodes.service(1).quote("DOC");
        Response r = get(1, "/gossipcache");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> doc = r.body();
        assertThat(doc).containsEntry("node", "n1").containsEntry("mode", "CLUSTERED")
                .containsEntry("coordinator", "n1").containsKeys("cluster", "viewId", "lastMerge");
        assertThat((String) doc.get("cluster")).startsWith("actuator-http-");
        List<Map<String, Object>> members = (List<Map<String, Object>>) doc.get("members");
        assertThat(members).extracting(m -> m.get("name")).containsExactly("n1", "n2");
        assertThat(members).extracting(m -> m.get("self")).containsExactly(true, false);
        assertThat(members).allSatisfy(m -> assertThat((String) m.get("address")).startsWith("127.0.0.1:"));
        String current = ProtocolVersion.CURRENT.toString();
        assertThat(members).extracting(m -> m.get("protocol")).containsExactly(current, current);
        assertThat(doc).containsEntry("protocol", Map.of("speaks", current, "writes", current))
                .containsEntry("refusal", null);
        Map<String, Object> caches = (Map<String, Object>) doc.get("caches");
        assertThat((Map<String, Object>) caches.get("quotes")).containsKey("size");
        assertThat(((Number) ((Map<String, Object>) caches.get("quotes")).get("size")).longValue()).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthDetails() throws Exception {
        Response r = get(1, "/health/gossipCache");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsEntry("status", "UP");
        Map<String, Object> details = (Map<String, Object>) r.body().get("details");
        assertThat(details).containsEntry("mode", "CLUSTERED").containsEntry("coordinator", "n1")
                .containsEntry("minMembers", 2).containsKey("viewId");
        assertThat(((Number) details.get("members")).intValue()).isEqualTo(2);
        String current = ProtocolVersion.CURRENT.toString();
        assertThat(details).containsEntry("protocol", current).containsEntry("writesProtocol", current)
                .containsEntry("memberProtocols", Map.of("n1", current, "n2", current));
        assertThat(get(1, "/health").body()).containsKey("components");
    }

    @Test
    @SuppressWarnings("unchecked")
    void modeSwitchBothWaysAndMinMembers() throws Exception {
        Response local = post(2, "/gossipcache", "{\"mode\":\"local\"}");
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.body()).containsEntry("mode", "LOCAL").containsEntry("node", "n2");
        assertThat((List<?>) local.body().get("members")).hasSize(1);

        // n1 is alone now, below min-members: not UP. n2 is deliberately local: UP, mode LOCAL.
        await().atMost(WAIT).untilAsserted(() -> {
            Response health = get(1, "/health/gossipCache");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).containsEntry("status", "OUT_OF_SERVICE");
        });
        Response localHealth = get(2, "/health/gossipCache");
        assertThat(localHealth.body()).containsEntry("status", "UP");
        assertThat((Map<String, Object>) localHealth.body().get("details")).containsEntry("mode", "LOCAL");

        Response back = post(2, "/gossipcache", "{\"mode\":\"CLUSTERED\"}");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body()).containsEntry("mode", "CLUSTERED");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat((List<?>) get(2, "/gossipcache").body().get("members")).hasSize(2);
            assertThat(get(1, "/health/gossipCache").body()).containsEntry("status", "UP");
        });
    }

    @Test
    void unknownModeIsABadRequest() throws Exception {
        assertThat(post(1, "/gossipcache", "{\"mode\":\"sideways\"}").status()).isEqualTo(400);
        assertThat(post(1, "/gossipcache", "{}").status()).isEqualTo(400);
        assertThat(get(1, "/gossipcache").body()).containsEntry("mode", "CLUSTERED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void metersPresentWithTagsIncludingADynamicallyCreatedCache() throws Exception {
        nodes.node(1).getBean(CacheManager.class).getCache("created-later").get("missing");
        Response gets = get(1, "/metrics/cache.gets?tag=name:created-later&tag=result:miss");
        assertThat(gets.status()).isEqualTo(200);
        List<Map<String, Object>> measurements = (List<Map<String, Object>>) gets.body().get("measurements");
        assertThat(((Number) measurements.get(0).get("value")).doubleValue()).isEqualTo(1.0);
        List<Map<String, Object>> tags = (List<Map<String, Object>>) gets.body().get("availableTags");
        assertThat(tags).extracting(t -> t.get("tag")).contains("cache.manager");
        for (String meter : List.of("cache.puts", "cache.evictions", "cache.size")) {
            assertThat(get(1, "/metrics/" + meter + "?tag=name:created-later").status()).as(meter).isEqualTo(200);
        }
        nodes.service(1).quote("METER");
        assertThat(get(1, "/metrics/cache.puts?tag=name:quotes").status()).isEqualTo(200);
        Response members = get(1, "/metrics/gossipcache.cluster.members");
        assertThat(members.status()).isEqualTo(200);
        assertThat(((Number) ((List<Map<String, Object>>) members.body().get("measurements")).get(0).get("value"))
                .doubleValue()).isEqualTo(2.0);
        for (String meter : List.of("gossipcache.replication.sent", "gossipcache.replication.received",
                "gossipcache.replication.rejected", "gossipcache.replication.bytes", "gossipcache.gossip.rounds",
                "gossipcache.gossip.repairs", "gossipcache.cluster.view.changes", "gossipcache.cluster.merges",
                "gossipcache.replication.lag", "gossipcache.replication.sync.ack")) {
            assertThat(get(1, "/metrics/" + meter).status()).as(meter).isEqualTo(200);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(((Number) ((List<Map<String, Object>>) get(2,
                "/metrics/gossipcache.replication.received").body().get("measurements")).get(0).get("value"))
                .doubleValue()).isPositive());
        // the lag timer counts the writes node 2 received from node 1
        await().atMost(WAIT).untilAsserted(() -> assertThat(((Number) ((List<Map<String, Object>>) get(2,
                "/metrics/gossipcache.replication.lag").body().get("measurements")).get(0).get("value"))
                .doubleValue()).isPositive());
    }

    @Test
    void bootsCachesEndpointDeleteClearsTheCacheClusterWide() throws Exception {
        String value = nodes.service(1).quote("CLEAR");
        await().atMost(WAIT).until(() -> nodes.node(2).getBean(CacheManager.class).getCache("quotes").get("CLEAR") != null);
        assertThat(get(2, "/caches/quotes").status()).isEqualTo(200);
        assertThat(delete(2, "/caches/quotes").status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> nodes.node(1).getBean(CacheManager.class).getCache("quotes").get("CLEAR") == null);
        assertThat(value).startsWith("CLEAR@n1#");
    }
}
