package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** No member (nor a bug) can create caches without end on another member (issue 18, part 5). */
class CacheBoundClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void newCachesPastTheBoundFailLocallyAndAreRefusedAndCountedFromTheNetwork() {
        cluster = new TestCluster("cache-bound", b -> b.maxCaches(3));
        GossipCacheEngine bounded = cluster.start("bounded");
        GossipCacheEngine writer = new GossipCacheEngine(EngineConfig.builder()
                .cluster(cluster.clusterConfig("writer").build()).maxCaches(1_000).build());
        ListAppender<ILoggingEvent> engineLog = new ListAppender<>();
        engineLog.start();
        Logger engineLogger = (Logger) LoggerFactory.getLogger("io.gossipcache.core"); // the engine and its parts
        engineLogger.addAppender(engineLog);
        try {
            writer.start();
            await().atMost(TestCluster.WAIT).until(() -> bounded.view().size() == 2);
            bounded.cache("one").put("k", "v");
            bounded.cache("two").put("k", "v");
            bounded.cache("three").put("k", "v");
            assertThatThrownBy(() -> bounded.cache("four")).isInstanceOf(TooManyCachesException.class)
                    .hasMessageContaining("gossipcache.max-caches");
            await().atMost(TestCluster.WAIT).until(() -> "v".equals(writer.cache("three").get("k")));

            for (int i = 0; i < 50; i++) {
                writer.cache("made-up-" + i).put("k", "v" + i);
            }
            writer.cache("one").put("after", "still replicated");
            await().atMost(TestCluster.WAIT).until(() -> "still replicated".equals(bounded.cache("one").get("after")));
            await().atMost(TestCluster.WAIT).until(() -> bounded.stats().cachesRefused() >= 50);
            assertThat(bounded.cacheNames()).containsExactly("one", "three", "two");
            assertThat(engineLog.list.stream().filter(e -> e.getFormattedMessage().contains("gossipcache.max-caches")))
                    .as("logged once").hasSize(1);
            // anti-entropy rounds do not create them either
            long rounds = bounded.antiEntropy().rounds();
            await().atMost(TestCluster.WAIT).until(() -> bounded.antiEntropy().rounds() >= rounds + 3);
            assertThat(bounded.cacheNames()).hasSize(3);
        } finally {
            engineLogger.detachAppender(engineLog);
            writer.close();
        }
    }
}
