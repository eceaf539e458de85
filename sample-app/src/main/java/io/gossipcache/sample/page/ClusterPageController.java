package io.gossipcache.sample.page;

import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.core.gossip.GossipStats;
import io.gossipcache.core.replication.ReplicationStats;
import io.gossipcache.sample.tracing.RecentSpans;
import io.gossipcache.spring.GossipCacheNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the cluster page at {@code /} shows, as JSON: {@code GET /cluster/self} is this node's own figures (mode,
 * cache sizes, replication and gossip counters); {@code GET /cluster} adds the view, every member's figures (asked of
 * each member over HTTP, through {@link NodeDirectory}), nodes out of the view that still answer (LOCAL mode), and
 * the last events. The page polls it; a member that does not answer within half a second shows without figures.
 * {@code GET /cluster/spans} is this node's last traced spans.
 */
@RestController
@RequestMapping("/cluster")
public class ClusterPageController {

    private static final Duration ASK_TIMEOUT = Duration.ofMillis(500);

    private final GossipCacheNode node;
    private final NodeDirectory directory;
    private final ClusterEvents events;
    private final JsonMapper mapper;
    private final RecentSpans spans;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).build();

    public ClusterPageController(GossipCacheNode node, NodeDirectory directory, ClusterEvents events,
                                 JsonMapper mapper, RecentSpans spans) {
        this.spans = spans;
        this.node = node;
        this.directory = directory;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * The last spans this node finished, newest first ({@link RecentSpans}): with {@code ?name=} only those whose name
     * starts with it ({@code get }, {@code put }, {@code replication}).
     */
    @GetMapping("/spans")
    public List<Map<String, Object>> spans(@RequestParam(name = "name", defaultValue = "") String name) {
        return spans.newestFirst().stream().filter(s -> String.valueOf(s.get("name")).startsWith(name)).toList();
    }

    @GetMapping("/self")
    public Map<String, Object> self() {
        ReplicationStats replication = node.replicationStats();
        GossipStats gossip = node.antiEntropy();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("node", node.nodeName());
        self.put("mode", node.mode().name());
        self.put("caches", node.cacheSizes());
        self.put("replication", Map.of("sent", replication.writesSent(), "received", replication.writesReceived(),
                "applied", replication.writesApplied()));
        self.put("gossip", Map.of("rounds", gossip.rounds(), "repairs", gossip.repairs()));
        self.put("time", System.currentTimeMillis());
        return self;
    }

    @GetMapping
    public Map<String, Object> cluster() {
        ClusterView view = node.view();
        Map<String, String> urls = directory.urls();
        Map<String, CompletableFuture<JsonNode>> asked = new LinkedHashMap<>();
        urls.forEach((name, url) -> {
            if (!name.equals(node.nodeName())) {
                asked.put(name, ask(url));
            }
        });
        String coordinator = view.coordinator() != null ? view.coordinator().name() : null;
        List<Map<String, Object>> members = new ArrayList<>();
        for (ClusterMember m : view.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("name", m.name());
            member.put("address", m.address());
            member.put("protocol", m.protocol());
            member.put("self", m.self());
            member.put("coordinator", m.name().equals(coordinator));
            member.put("status", m.self() ? self() : answer(asked.get(m.name())));
            members.add(member);
        }
        List<Object> outside = new ArrayList<>(); // nodes not in this view that answer: in LOCAL mode, or apart
        asked.forEach((name, answer) -> {
            if (view.members().stream().noneMatch(m -> m.name().equals(name))) {
                JsonNode status = answer(answer);
                if (status != null) {
                    outside.add(status);
                }
            }
        });
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("node", node.nodeName());
        page.put("cluster", node.clusterName());
        page.put("mode", node.mode().name());
        page.put("coordinator", coordinator);
        page.put("members", members);
        page.put("outside", outside);
        page.put("events", events.latest());
        return page;
    }

    private CompletableFuture<JsonNode> ask(String url) {
        HttpRequest request;
        try {
            URI uri = URI.create(url + "/cluster/self");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return CompletableFuture.completedFuture(null);
            }
            request = HttpRequest.newBuilder(uri).timeout(ASK_TIMEOUT).GET().build();
        } catch (IllegalArgumentException notAUrl) { // the directory is a cache anyone with the API can write to
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 ? mapper.readTree(response.body()) : null)
                .exceptionally(failure -> null); // gone or not answering: shown without figures
    }

    private static JsonNode answer(CompletableFuture<JsonNode> asked) {
        return asked == null ? null : asked.join();
    }
}
