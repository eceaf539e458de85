package io.gossipcache.it;

import static org.awaitility.Awaitility.await;

import io.gossipcache.core.GossipCacheEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Real application contexts forming one cluster over TCP on 127.0.0.1, started one after another. */
final class TestNodes implements AutoCloseable {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableCaching
    @Import(QuoteService.class)
    static class App {
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /**
     * Starts {@code count} nodes named {@code n1..} in cluster {@code cluster}, on ports {@code basePort} and up,
     * and waits until every node sees all of them.
     */
    static TestNodes start(int count, String cluster, int basePort, WebApplicationType web, String... extra) {
        List<List<String>> perNode = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            perNode.add(List.of(extra));
        }
        return start(cluster, basePort, web, perNode);
    }

    /** Starts one node per entry, each with its own extra properties (as members configured apart would be). */
    static TestNodes start(String cluster, int basePort, WebApplicationType web, List<List<String>> perNode) {
        int count = perNode.size();
        TestNodes nodes = new TestNodes();
        try {
            for (int i = 1; i <= count; i++) {
                List<String> props = new ArrayList<>(List.of(
                        "gossipcache.node-name=n" + i,
                        "gossipcache.cluster.name=" + cluster,
                        "gossipcache.cluster.bind-address=127.0.0.1",
                        "gossipcache.cluster.bind-port=" + basePort,
                        "gossipcache.cluster.port-range=" + (count + 1),
                        "gossipcache.gossip.interval=500ms",
                        "spring.main.banner-mode=off",
                        "spring.jmx.enabled=false"));
                props.addAll(perNode.get(i - 1));
                nodes.contexts.add(new SpringApplicationBuilder(App.class).web(web)
                        .properties(props.toArray(String[]::new)).run());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.contexts.stream()
                    .allMatch(c -> c.getBean(GossipCacheEngine.class).view().size() == count));
            return nodes;
        } catch (RuntimeException | Error e) {
            nodes.close();
            throw e;
        }
    }

    ConfigurableApplicationContext node(int i) {
        return contexts.get(i - 1);
    }

    QuoteService service(int i) {
        return node(i).getBean(QuoteService.class);
    }

    List<ConfigurableApplicationContext> all() {
        return contexts;
    }

    @Override
    public void close() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            try {
                contexts.get(i).close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        contexts.clear();
    }
}
