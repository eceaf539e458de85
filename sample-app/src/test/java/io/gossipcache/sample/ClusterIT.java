package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.sample.Http.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Three sample-app JVMs from the packaged jar on 127.0.0.1 (their own cluster name, cluster ports in 28000-28999,
 * free HTTP ports), exercised over real HTTP: replication, the cached quotes service, TTL, {@code kill -9} and
 * restart, local mode through Actuator and back, {@code X-Local-Only}, and JSON errors for bad requests.
 *
 * <p>The tests run in order on one cluster: the kill and the mode switch change it for the tests after them,
 * and each test leaves all three nodes clustered. Every process is stopped in {@link #stopAll()}, pass or fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /** Failure detection of the nodes under test (properties: docs/configuration.md). */
    private static final Duration FD_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Longer than a gossip interval (2 s), so that anti-entropy had a chance to undo what must stay. */
    private static final Duration STAYS = Duration.ofSeconds(3);

    private final List<SampleNode> nodes = new ArrayList<>();
    private SampleNode n1;
    private SampleNode n2;
    private SampleNode n3;
    private String name1;
    private String name2;
    private String name3;

    @BeforeAll
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void startCluster() {
        String cluster = "sample-it-" + UUID.randomUUID().toString().substring(0, 8);
        int base = SampleNode.clusterPortBase();
        List<String> options = List.of(
                "--gossipcache.cluster.name=" + cluster,
                "--gossipcache.cluster.bind-port=" + base,
                "--gossipcache.cluster.port-range=4",
                "--gossipcache.failure-detection.interval=" + FD_INTERVAL.toSeconds() + "s",
                "--gossipcache.failure-detection.timeout=" + FD_TIMEOUT.toSeconds() + "s",
                "--gossipcache.dynamic-caches=false",
                "--gossipcache.caches.items.max-entries=0",
                "--sample.quotes.delay=300ms",
                "--spring.main.banner-mode=off");
        n1 = new SampleNode("node1", SampleNode.freePort(), options);
        n2 = new SampleNode("node2", SampleNode.freePort(), options);
        n3 = new SampleNode("node3", SampleNode.freePort(), options);
        nodes.addAll(List.of(n1, n2, n3));
        // the first member founds the cluster; the other two join it (a simultaneous start may split and merge later)
        n1.start();
        awaitUp(n1);
        n2.start();
        n3.start();
        awaitUp(n2);
        awaitUp(n3);
        name1 = nodeName(n1);
        name2 = nodeName(n2);
        name3 = nodeName(n3);
        for (SampleNode node : nodes) {
            awaitMembers(node, Set.of(name1, name2, name3), START_TIMEOUT);
        }
    }

    @AfterAll
    void stopAll() {
        // in parallel: each stop waits up to 10 s for a graceful exit before SIGKILL
        List<Thread> stoppers = new ArrayList<>();
        for (SampleNode node : nodes) {
            Thread stopper = new Thread(node::stop, "stop-" + node.label);
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.forEach(SampleNode::stop);
    }

    @Test
    @Order(1)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void threeNodesFormOneClusterWithDistinctNamesAndActuator() {
        assertThat(Set.of(name1, name2, name3)).hasSize(3);
        for (SampleNode node : nodes) {
            JsonNode doc = Http.get(node.baseUrl() + "/actuator/gossipcache").json();
            assertThat(doc.get("mode").asString()).isEqualTo("CLUSTERED");
            assertThat(doc.get("coordinator").asString()).isIn(name1, name2, name3);
            assertThat(doc.get("caches").has("items")).isTrue();
            assertThat(doc.get("caches").has("quotes")).isTrue();
            long selves = 0;
            for (JsonNode member : doc.get("members")) {
                assertThat(member.get("address").asString()).startsWith("127.0.0.1:");
                if (member.get("self").asBoolean()) {
                    selves++;
                    assertThat(member.get("name").asString()).isEqualTo(doc.get("node").asString());
                }
            }
            assertThat(selves).isEqualTo(1);

            Answer health = Http.get(node.baseUrl() + "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            JsonNode gossip = health.json().get("components").get("gossipCache");
            assertThat(gossip.get("status").asString()).isEqualTo("UP");
            assertThat(gossip.get("details").get("members").asInt()).isEqualTo(3);
            assertThat(gossip.get("details").get("mode").asString()).isEqualTo("CLUSTERED");

            assertThat(Http.get(node.baseUrl() + "/actuator/info").status()).isEqualTo(200);
            assertThat(Http.get(node.baseUrl() + "/actuator/caches").body()).contains("items", "quotes");
            assertThat(Http.get(node.baseUrl() + "/actuator/metrics/gossipcache.cluster.members").status())
                    .isEqualTo(200);
            Answer prometheus = Http.get(node.baseUrl() + "/actuator/prometheus");
            assertThat(prometheus.status()).isEqualTo(200);
            assertThat(prometheus.body()).contains("gossipcache_cluster_members", "cache_gets");
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void badRequestsGetA4xxJsonBody() {
        String items = n1.baseUrl() + "/cache/items/";
        assertJsonError(Http.put(items + "k?ttl=soon", "v"), 400, "ttl");
        assertJsonError(Http.put(items + "k?ttl=-5s", "v"), 400, "negative");
        assertJsonError(Http.put(items + "k?ttl=", "v"), 400, "ttl");
        assertJsonError(Http.put(items + "%20", "v"), 400, "blank");
        assertJsonError(Http.put(items, "v"), 400, "empty");
        assertJsonError(Http.put(n1.baseUrl() + "/cache//k", "v"), 400, "empty");
        assertJsonError(Http.put(items + "big", "x".repeat(64 * 1024 + 1)), 413, "64 KiB");
        assertThat(Http.put(items + "just-fits", "x".repeat(64 * 1024)).status()).isEqualTo(200);
        assertJsonError(Http.put(n1.baseUrl() + "/cache/nosuch/k", "v"), 404, "No cache named 'nosuch'");
        assertJsonError(Http.get(n1.baseUrl() + "/cache/nosuch/k"), 404, "No cache named 'nosuch'");
        assertJsonError(Http.delete(n1.baseUrl() + "/cache/nosuch"), 404, "No cache named 'nosuch'");
        assertJsonError(Http.get(items + "never-written"), 404, "never-written");
        assertJsonError(Http.send("PUT", items + "k", "v", Map.of("X-Local-Only", "perhaps")), 400, "X-Local-Only");
        assertJsonError(Http.send("POST", items + "k", "v", Map.of()), 405, "POST");
        assertJsonError(Http.send("PATCH", n1.baseUrl() + "/quotes/ACME", "v", Map.of()), 405, "PATCH");
        assertJsonError(Http.get(n1.baseUrl() + "/no/such/path"), 404, "");
        assertJsonError(Http.send("GET", n1.baseUrl() + "/no/such/page", null, Map.of("Accept", "text/html")), 404, "");
        assertJsonError(Http.get(n1.baseUrl() + "/quotes/not%20a%20symbol"), 400, "symbol");
        assertJsonError(Http.get(n1.baseUrl() + "/cache/items/a%5Cb"), 400, ""); // rejected by Tomcat itself
        assertJsonError(Http.postJson(n1.baseUrl() + "/actuator/gossipcache", "{\"mode\":\"SIDEWAYS\"}"), 400,
                "SIDEWAYS");
        // nothing of the above reached the cluster
        assertThat(Http.get(n1.baseUrl() + "/actuator/gossipcache").json().get("members").size()).isEqualTo(3);
        Http.delete(items + "just-fits");
    }

    @Test
    @Order(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void putOnNode1IsReadOnNodes2And3AndEvictAndClearReachEveryone() {
        Answer put = Http.put(n1.baseUrl() + "/cache/items/greeting", "hello, cluster");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.contentType()).startsWith("application/json");
        assertThat(put.field("cache")).isEqualTo("items");
        assertThat(put.field("key")).isEqualTo("greeting");
        assertThat(put.field("value")).isEqualTo("hello, cluster");
        assertThat(put.json().has("expiresAt")).isTrue();
        assertThat(put.field("expiresAt")).isNull(); // items has no TTL

        awaitValue(List.of(n2, n3), "greeting", "hello, cluster");
        Answer read = Http.get(n3.baseUrl() + "/cache/items/greeting");
        assertThat(read.json().get("cache").asString()).isEqualTo("items");
        assertThat(read.field("key")).isEqualTo("greeting");

        // a key with an encoded slash and a non-ASCII value
        assertThat(Http.put(n2.baseUrl() + "/cache/items/a%2Fb", "grüße").status()).isEqualTo(200);
        awaitValue(List.of(n1, n3), "a/b", "grüße");

        assertThat(Http.delete(n2.baseUrl() + "/cache/items/greeting").status()).isEqualTo(204);
        awaitAbsent(nodes, "greeting");
        assertThat(Http.delete(n2.baseUrl() + "/cache/items/greeting").status()).isEqualTo(204); // absent: still 204

        Http.put(n1.baseUrl() + "/cache/items/c1", "one");
        Http.put(n1.baseUrl() + "/cache/items/c2", "two");
        awaitValue(List.of(n3), "c2", "two");
        awaitValue(List.of(n3), "c1", "one");
        assertThat(Http.delete(n3.baseUrl() + "/cache/items").status()).isEqualTo(204);
        awaitAbsent(nodes, "c1", "c2", "a/b");
    }

    @Test
    @Order(4)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void quoteComputedOnNode1IsServedByNode2() {
        long t0 = System.nanoTime();
        Answer first = Http.get(n1.baseUrl() + "/quotes/acme");
        long firstMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.field("symbol")).isEqualTo("ACME");
        assertThat(first.field("computedBy")).isEqualTo(name1);
        assertThat(first.json().get("price").isNumber()).isTrue();
        assertThat(firstMillis).as("the quote service is slow on a miss").isGreaterThanOrEqualTo(300);

        // wait until the replicated entry is on node 2 (else node 2 would compute the quote itself)
        awaitUntil(() -> Http.get(n2.baseUrl() + "/cache/quotes/ACME").status() == 200, Duration.ofSeconds(10));
        Answer second = Http.get(n2.baseUrl() + "/quotes/ACME");
        assertThat(second.field("computedBy")).isEqualTo(name1);
        assertThat(second.field("computedAt")).isEqualTo(first.field("computedAt"));
        assertThat(second.field("price")).isEqualTo(first.field("price"));

        // @CachePut on node 3 recomputes and replaces it everywhere
        Answer refreshed = Http.put(n3.baseUrl() + "/quotes/ACME", null);
        assertThat(refreshed.field("computedBy")).isEqualTo(name3);
        await(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (SampleNode node : List.of(n1, n2)) {
                assertThat(Http.get(node.baseUrl() + "/quotes/ACME").field("computedAt"))
                        .isEqualTo(refreshed.field("computedAt"));
            }
        });

        // @CacheEvict on node 2 removes it everywhere
        assertThat(Http.delete(n2.baseUrl() + "/quotes/ACME").status()).isEqualTo(204);
        await(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (SampleNode node : nodes) {
                assertThat(Http.get(node.baseUrl() + "/cache/quotes/ACME").status()).isEqualTo(404);
            }
        });
    }

    @Test
    @Order(5)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ttlExpiresOnEveryNode() {
        Instant before = Instant.now();
        Answer put = Http.put(n1.baseUrl() + "/cache/items/short-lived?ttl=3s", "soon gone");
        assertThat(put.status()).isEqualTo(200);
        Instant expiresAt = Instant.parse(put.field("expiresAt"));
        assertThat(expiresAt).isBetween(before.plusSeconds(3).minusMillis(200), Instant.now().plusSeconds(3));

        // the writer fixes the deadline: the others report the same one (transit time aside)
        await(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (SampleNode node : List.of(n2, n3)) {
                Answer there = Http.get(node.baseUrl() + "/cache/items/short-lived");
                assertThat(there.status()).isEqualTo(200);
                assertThat(Duration.between(expiresAt, Instant.parse(there.field("expiresAt"))).abs())
                        .isLessThan(Duration.ofMillis(500));
            }
        });
        awaitAbsent(nodes, Duration.ofSeconds(6), "short-lived");
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt.minusMillis(500));

        // plain seconds are accepted too
        Answer seconds = Http.put(n2.baseUrl() + "/cache/items/seconds?ttl=2", "two seconds");
        assertThat(Duration.between(Instant.now(), Instant.parse(seconds.field("expiresAt"))))
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(2100));
        awaitAbsent(nodes, Duration.ofSeconds(6), "seconds");
    }

    @Test
    @Order(6)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedNodeIsDroppedAndARestartedOneCatchesUp() throws InterruptedException {
        long pid = n2.pid();
        n2.kill9(); // SIGKILL
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Duration detection = FD_TIMEOUT.plusSeconds(2);
        long killedAt = System.nanoTime();
        awaitMembers(n1, Set.of(name1, name3), detection);
        awaitMembers(n3, Set.of(name1, name3), detection.minusNanos(System.nanoTime() - killedAt));

        // the survivors keep serving: reads, writes, replication, the quotes service
        assertThat(Http.put(n1.baseUrl() + "/cache/items/while-down", "written during the outage").status())
                .isEqualTo(200);
        awaitValue(List.of(n3), "while-down", "written during the outage");
        Answer quote = Http.get(n3.baseUrl() + "/quotes/OUTAGE");
        assertThat(quote.field("computedBy")).isEqualTo(name3);
        awaitUntil(() -> Http.get(n1.baseUrl() + "/cache/quotes/OUTAGE").status() == 200, Duration.ofSeconds(10));

        // the same node (same HTTP port, so the same name) comes back, joins and takes the state
        n2.start();
        awaitUp(n2);
        assertThat(nodeName(n2)).isEqualTo(name2);
        for (SampleNode node : nodes) {
            awaitMembers(node, Set.of(name1, name2, name3), Duration.ofSeconds(60));
        }
        awaitValue(List.of(n2), "while-down", "written during the outage");
        Answer served = Http.get(n2.baseUrl() + "/quotes/OUTAGE");
        assertThat(served.field("computedBy")).isEqualTo(name3);
        assertThat(served.field("computedAt")).isEqualTo(quote.field("computedAt"));
    }

    @Test
    @Order(7)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void localModeIsolatesNode3AndReturningReconcilesBothWays() {
        Answer switched = Http.postJson(n3.baseUrl() + "/actuator/gossipcache", "{\"mode\":\"LOCAL\"}");
        assertThat(switched.status()).isEqualTo(200);
        assertThat(switched.field("mode")).isEqualTo("LOCAL");
        awaitMembers(n1, Set.of(name1, name2), Duration.ofSeconds(15));
        awaitMembers(n2, Set.of(name1, name2), Duration.ofSeconds(15));
        JsonNode health = Http.get(n3.baseUrl() + "/actuator/health").json().get("components").get("gossipCache");
        assertThat(health.get("details").get("mode").asString()).isEqualTo("LOCAL");
        assertThat(health.get("status").asString()).isEqualTo("UP");

        // writes on each side; conflicting keys written on both sides, the later write on the other side each time
        Http.put(n3.baseUrl() + "/cache/items/from-local", "L");
        Http.put(n1.baseUrl() + "/cache/items/from-cluster", "C");
        Http.put(n1.baseUrl() + "/cache/items/conflict-a", "cluster-a (older)");
        Http.put(n3.baseUrl() + "/cache/items/conflict-b", "local-b (older)");
        Http.get(n1.baseUrl() + "/actuator/gossipcache"); // a round trip between the older and the newer writes
        Http.put(n3.baseUrl() + "/cache/items/conflict-a", "local-a (newer)");
        Http.put(n1.baseUrl() + "/cache/items/conflict-b", "cluster-b (newer)");
        awaitValue(List.of(n2), "from-cluster", "C");
        awaitValue(List.of(n2), "conflict-b", "cluster-b (newer)");

        // they stay apart while node 3 is local (longer than a gossip round)
        stays(() -> {
            assertThat(Http.get(n3.baseUrl() + "/cache/items/from-cluster").status()).isEqualTo(404);
            assertThat(Http.get(n3.baseUrl() + "/cache/items/conflict-a").field("value")).isEqualTo("local-a (newer)");
            for (SampleNode node : List.of(n1, n2)) {
                assertThat(Http.get(node.baseUrl() + "/cache/items/from-local").status()).isEqualTo(404);
                assertThat(Http.get(node.baseUrl() + "/cache/items/conflict-a").field("value"))
                        .isEqualTo("cluster-a (older)");
            }
        });

        Answer back = Http.postJson(n3.baseUrl() + "/actuator/gossipcache", "{\"mode\":\"clustered\"}");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.field("mode")).isEqualTo("CLUSTERED");
        for (SampleNode node : nodes) {
            awaitMembers(node, Set.of(name1, name2, name3), Duration.ofSeconds(30));
        }
        // reconciled both ways, newest write wins
        awaitValue(nodes, Duration.ofSeconds(30), "from-local", "L");
        awaitValue(nodes, Duration.ofSeconds(30), "from-cluster", "C");
        awaitValue(nodes, Duration.ofSeconds(30), "conflict-a", "local-a (newer)");
        awaitValue(nodes, Duration.ofSeconds(30), "conflict-b", "cluster-b (newer)");
    }

    @Test
    @Order(8)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void localOnlyHeaderChangesOneNodeOnly() {
        Answer local = Http.putLocal(n1.baseUrl() + "/cache/items/mine?ttl=60s", "node 1 only");
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.field("value")).isEqualTo("node 1 only");
        assertThat(local.field("expiresAt")).isNotNull();
        assertThat(Http.get(n1.baseUrl() + "/cache/items/mine").field("value")).isEqualTo("node 1 only");
        stays(() -> {
            assertThat(Http.get(n2.baseUrl() + "/cache/items/mine").status()).isEqualTo(404);
            assertThat(Http.get(n3.baseUrl() + "/cache/items/mine").status()).isEqualTo(404);
            assertThat(Http.get(n1.baseUrl() + "/cache/items/mine").field("value")).isEqualTo("node 1 only");
        });

        // a later clustered write supersedes the local one
        Http.put(n2.baseUrl() + "/cache/items/mine", "clustered");
        awaitValue(nodes, "mine", "clustered");

        // a local evict on node 3 and a local clear on node 2 stay there (gossip does not undo them)
        Http.put(n1.baseUrl() + "/cache/items/other", "kept elsewhere");
        awaitValue(nodes, "other", "kept elsewhere");
        assertThat(Http.deleteLocal(n3.baseUrl() + "/cache/items/mine").status()).isEqualTo(204);
        assertThat(Http.send("DELETE", n2.baseUrl() + "/cache/items", null, Map.of("X-Local-Only", "true")).status())
                .isEqualTo(204);
        stays(() -> {
            assertThat(Http.get(n3.baseUrl() + "/cache/items/mine").status()).isEqualTo(404);
            assertThat(Http.get(n3.baseUrl() + "/cache/items/other").field("value")).isEqualTo("kept elsewhere");
            assertThat(Http.get(n2.baseUrl() + "/cache/items/mine").status()).isEqualTo(404);
            assertThat(Http.get(n2.baseUrl() + "/cache/items/other").status()).isEqualTo(404);
            assertThat(Http.get(n1.baseUrl() + "/cache/items/mine").field("value")).isEqualTo("clustered");
            assertThat(Http.get(n1.baseUrl() + "/cache/items/other").field("value")).isEqualTo("kept elsewhere");
        });
    }

    @Test
    @Order(9)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keysArePagedInOrderWithTheTotalOnEveryNode() {
        for (int i = 0; i < 25; i++) {
            assertThat(Http.put(n1.baseUrl() + "/cache/items/page-%02d".formatted(i), "v" + i).status()).isEqualTo(200);
        }
        awaitUntil(() -> Http.get(n3.baseUrl() + "/cache/items?prefix=page-").json().get("total").asLong() == 25,
                Duration.ofSeconds(20));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = Http.get(n3.baseUrl() + "/cache/items?prefix=page-&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.field("cache")).isEqualTo("items");
            assertThat(page.json().get("total").asLong()).isEqualTo(25);
            page.json().get("keys").forEach(key -> seen.add(key.asString()));
            cursor = page.field("next");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> "page-%02d".formatted(i)).toList());
        Answer all = Http.get(n2.baseUrl() + "/cache/items");
        assertThat(all.json().get("keys").size()).isEqualTo((int) Math.min(100, all.json().get("total").asLong()));
        assertJsonError(Http.get(n1.baseUrl() + "/cache/items?limit=0"), 400, "limit");
        assertJsonError(Http.get(n1.baseUrl() + "/cache/items?limit=1001"), 400, "limit");
        assertJsonError(Http.get(n1.baseUrl() + "/cache/items?limit=ten"), 400, "limit");
    }

    @Test
    @Order(10)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jsonValuesAreStoredAsJsonAndServedAsJsonByEveryNode() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Answer put = Http.send("PUT", n1.baseUrl() + "/cache/items/doc", "{ \"tags\": [\"a\", 1, true], \"n\": null }",
                json);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("value").isObject()).isTrue();
        assertThat(Http.send("PUT", n1.baseUrl() + "/cache/items/list", "[1, 2.5, \"x\"]", json).status())
                .isEqualTo(200);
        Http.put(n1.baseUrl() + "/cache/items/text", "[not json, just text]");
        for (SampleNode node : nodes) {
            awaitUntil(() -> Http.get(node.baseUrl() + "/cache/items/text").status() == 200, Duration.ofSeconds(20));
            JsonNode doc = Http.get(node.baseUrl() + "/cache/items/doc").json().get("value");
            assertThat(doc.isObject()).as(node.label).isTrue();
            assertThat(doc.get("tags").toString()).isEqualTo("[\"a\",1,true]");
            assertThat(doc.get("n").isNull()).isTrue();
            JsonNode list = Http.get(node.baseUrl() + "/cache/items/list").json().get("value");
            assertThat(list.isArray()).isTrue();
            assertThat(list.toString()).isEqualTo("[1,2.5,\"x\"]");
            assertThat(Http.get(node.baseUrl() + "/cache/items/text").field("value"))
                    .isEqualTo("[not json, just text]");
        }
        assertJsonError(Http.send("PUT", n1.baseUrl() + "/cache/items/bad", "{\"a\": ", json), 400, "Malformed JSON");
        assertJsonError(Http.send("PUT", n1.baseUrl() + "/cache/items/bad", "{} {}", json), 400, "Malformed JSON");
        assertJsonError(Http.send("PUT", n1.baseUrl() + "/cache/items/bad", "", json), 400, "empty");
        assertThat(Http.get(n1.baseUrl() + "/cache/items/bad").status()).isEqualTo(404);
    }

    // ---- helpers

    private static ConditionFactory await(Duration atMost) {
        return org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions();
    }

    private static void awaitUntil(java.util.concurrent.Callable<Boolean> condition, Duration atMost) {
        await(atMost).until(condition);
    }

    private void awaitUp(SampleNode node) {
        // fails at once if the process exits; only "not listening yet" is retried
        org.awaitility.Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                .alias(node.label + " up " + node.logHint()).until(() -> {
            if (!node.isAlive()) {
                throw new IllegalStateException(node.label + " exited " + node.logHint());
            }
            return Http.get(node.baseUrl() + "/actuator/gossipcache").status() == 200;
        });
    }

    private static String nodeName(SampleNode node) {
        return Http.get(node.baseUrl() + "/actuator/gossipcache").field("node");
    }

    private static Set<String> members(SampleNode node) {
        Set<String> names = new HashSet<>();
        for (JsonNode member : Http.get(node.baseUrl() + "/actuator/gossipcache").json().get("members")) {
            names.add(member.get("name").asString());
        }
        return names;
    }

    private static void awaitMembers(SampleNode node, Set<String> expected, Duration atMost) {
        await(atMost.isNegative() ? Duration.ofMillis(100) : atMost)
                .alias(node.label + " sees " + expected + " " + node.logHint())
                .untilAsserted(() -> assertThat(members(node)).isEqualTo(expected));
    }

    private static void awaitValue(List<SampleNode> on, String key, String value) {
        awaitValue(on, Duration.ofSeconds(10), key, value);
    }

    private static void awaitValue(List<SampleNode> on, Duration atMost, String key, String value) {
        String path = "/cache/items/" + key.replace("/", "%2F");
        await(atMost).alias(key + " = " + value).untilAsserted(() -> {
            for (SampleNode node : on) {
                Answer answer = Http.get(node.baseUrl() + path);
                assertThat(answer.status()).as(node.label + " " + answer).isEqualTo(200);
                assertThat(answer.field("value")).as(node.label).isEqualTo(value);
            }
        });
    }

    private static void awaitAbsent(List<SampleNode> on, String... keys) {
        awaitAbsent(on, Duration.ofSeconds(10), keys);
    }

    private static void awaitAbsent(List<SampleNode> on, Duration atMost, String... keys) {
        await(atMost).alias("absent " + List.of(keys)).untilAsserted(() -> {
            for (SampleNode node : on) {
                for (String key : keys) {
                    Answer answer = Http.get(node.baseUrl() + "/cache/items/" + key.replace("/", "%2F"));
                    assertThat(answer.status()).as(node.label + " " + key + " " + answer).isEqualTo(404);
                    assertThat(answer.contentType()).startsWith("application/json");
                }
            }
        });
    }

    /** The assertion holds on every poll for {@link #STAYS}. */
    private static void stays(org.awaitility.core.ThrowingRunnable assertion) {
        org.awaitility.Awaitility.await().during(STAYS).atMost(STAYS.plusSeconds(5))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(assertion);
    }

    private static void assertJsonError(Answer answer, int status, String messagePart) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(body.get("message").asString()).as(answer.toString()).isNotBlank().contains(messagePart);
        assertThat(body.has("path")).isTrue();
    }
}
