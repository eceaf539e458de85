package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.actuate.GossipCacheEndpoint;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Ownership;
import io.gossipcache.spring.GossipCacheNode;
import io.gossipcache.test.GossipCacheClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partitioned cache ({@code gossipcache.caches.quotes.owners=2}) behind a {@code @Cacheable} service on three
 * application contexts: a value computed on one node is served by the others without recomputation, each entry is
 * stored on two nodes only (the others keep what they read in their near caches), and Actuator and the meters show
 * what each node owns.
 */
class PartitionedCacheTests {

    private static final int SYMBOLS = 60;

    @RegisterExtension
    static GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 3)
            .properties("gossipcache.caches.quotes.owners=2", "gossipcache.caches.quotes.near-cache-ttl=30s",
                    "management.endpoints.web.exposure.include=gossipcache")
            .build();

    private static QuoteService service(int member) {
        return cluster.member(member).bean(QuoteService.class);
    }

    @Test
    void everyNodeServesWhatOneComputedAndEachEntryIsStoredOnTwoNodes() {
        for (int i = 0; i < SYMBOLS; i++) {
            service(0).quote("P" + i);
        }
        int computed1 = service(1).computed();
        int computed2 = service(2).computed();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (int i = 0; i < SYMBOLS; i++) {
                String expected = service(0).quote("P" + i);
                assertThat(service(1).quote("P" + i)).isEqualTo(expected);
                assertThat(service(2).quote("P" + i)).isEqualTo(expected);
            }
        });
        assertThat(service(1).computed()).as("node 2 computed nothing").isEqualTo(computed1);
        assertThat(service(2).computed()).as("node 3 computed nothing").isEqualTo(computed2);
        long kept = 0;
        for (int m = 0; m < 3; m++) {
            kept += cluster.member(m).bean(GossipCacheEngine.class).cache("quotes").nearCacheSize();
        }
        assertThat(kept).as("values read from owners kept in near caches (near-cache-ttl)").isPositive();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            long stored = 0;
            int owned = 0;
            int held = 0;
            for (int m = 0; m < 3; m++) {
                GossipCacheNode node = cluster.member(m).bean(GossipCacheNode.class);
                stored += node.cacheSizes().get("quotes");
                Ownership ownership = node.cacheOwnership().get("quotes");
                owned += ownership.ownedSegments();
                held += ownership.heldSegments();
            }
            assertThat(stored).as("two copies of each entry").isEqualTo(2L * SYMBOLS);
            assertThat(owned).as("each of the 256 segments on two nodes").isEqualTo(2 * 256);
            assertThat(held).isEqualTo(owned);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void actuatorAndMetersShowWhatEachNodeOwns() {
        service(0).quote("SHOWN");
        for (int m = 0; m < 3; m++) {
            Map<String, Object> doc = cluster.member(m).bean(GossipCacheEndpoint.class).cluster();
            Map<String, Object> quotes = (Map<String, Object>) ((Map<String, Object>) doc.get("caches")).get("quotes");
            assertThat(quotes).containsEntry("owners", 2).containsKeys("size", "ownedSegments", "heldSegments");
            MeterRegistry registry = cluster.member(m).bean(MeterRegistry.class);
            double owned = registry.get("cache.segments").tag("cache", "quotes").tag("state", "owned").gauge().value();
            assertThat(owned).isEqualTo(((Number) quotes.get("ownedSegments")).doubleValue()).isPositive();
        }
    }
}
