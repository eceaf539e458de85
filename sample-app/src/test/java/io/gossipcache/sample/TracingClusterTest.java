package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.sample.quotes.QuoteService;
import io.gossipcache.sample.tracing.RecentSpans;
import io.gossipcache.test.GossipCacheClusterExtension;
import io.gossipcache.test.TestMember;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample app's traces (issue 23), on a cluster of two of its own contexts from the test kit: a cached call is a
 * {@code get} and a {@code put} span on the member that made it, its replication a {@code replication send} span
 * there and a {@code replication apply} span on the other, all shown at {@code GET /cluster/spans}.
 */
class TracingClusterTest {

    @RegisterExtension
    GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(SampleApplication.class, 2)
            .properties("sample.quotes.delay=10ms")
            .build();

    @Test
    void aCachedCallAndItsReplicationAreTracedOnBothMembers() throws Exception {
        cluster.member(0).bean(QuoteService.class).quote("ACME");
        cluster.awaitConvergence();

        RecentSpans one = cluster.member(0).bean(RecentSpans.class);
        RecentSpans two = cluster.member(1).bean(RecentSpans.class);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(one.newestFirst()).anySatisfy(span -> {
                assertThat(span.get("name")).isEqualTo("get quotes");
                assertThat(tags(span)).containsEntry("gossipcache.cache", "quotes")
                        .containsEntry("gossipcache.operation", "get").containsEntry("gossipcache.result", "miss");
            });
            assertThat(one.newestFirst()).anySatisfy(span -> assertThat(span.get("name")).isEqualTo("put quotes"));
            assertThat(one.newestFirst()).anySatisfy(span -> {
                assertThat(span.get("name")).isEqualTo("replication send");
                assertThat(tags(span)).containsEntry("gossipcache.direction", "send")
                        .containsKey("gossipcache.writes");
            });
            assertThat(two.newestFirst()).anySatisfy(span -> {
                assertThat(span.get("name")).isEqualTo("replication apply");
                assertThat(tags(span)).containsEntry("gossipcache.peer", "member-1")
                        .containsKey("gossipcache.lag.ms");
            });
        });

        String spans = get(cluster.member(0), "/cluster/spans?name=get%20");
        assertThat(spans).contains("\"name\":\"get quotes\"").contains("\"traceId\"").doesNotContain("replication");
    }

    @Test
    void aRequestsCacheCallsAreSpansOfItsTrace() throws Exception {
        get(cluster.member(0), "/quotes/TRACED");
        RecentSpans spans = cluster.member(0).bean(RecentSpans.class);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<Map<String, Object>> all = spans.newestFirst();
            Optional<Map<String, Object>> request = all.stream()
                    .filter(s -> String.valueOf(s.get("name")).startsWith("http get /quotes")).findFirst();
            assertThat(request).as("the request's span among %s", all.stream().map(s -> s.get("name")).toList())
                    .isPresent();
            assertThat(all).filteredOn(s -> request.get().get("traceId").equals(s.get("traceId")))
                    .extracting(s -> s.get("name")).contains("get quotes", "put quotes");
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> tags(Map<String, Object> span) {
        return (Map<String, String>) span.get("tags");
    }

    private static String get(TestMember member, String path) throws Exception {
        String port = member.context().orElseThrow().getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
