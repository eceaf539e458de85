package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gossipcache.actuate.GossipCacheHealthIndicator;
import io.gossipcache.core.codec.RejectedClassException;
import io.gossipcache.foreign.Coupon;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * The serialization allow-list as a new user meets it (issue 18, part 4), on real two-member clusters: the
 * application's own classes travel without configuration, a bare package name is a package, and a class that the
 * members would refuse fails the put on the writer, loudly, instead of leaving the members to disagree.
 */
class AllowListClusterTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    /** A value class of the application's own package, as a user's @Cacheable method returns it. */
    record Price(String sku, BigDecimal amount) implements Serializable {
    }

    private static Cache cache(TestNodes nodes, int node) {
        return nodes.node(node).getBean(CacheManager.class).getCache("prices");
    }

    private static String cluster(String name) {
        return "allow-" + name + "-" + ProcessHandle.current().pid();
    }

    @Test
    void theApplicationsOwnClassesTravelWithoutConfigurationAndOthersFailOnTheWriter() {
        try (TestNodes nodes = TestNodes.start(2, cluster("default"), 27600, WebApplicationType.NONE)) {
            cache(nodes, 1).put("sku-1", new Price("sku-1", new BigDecimal("692.98")));
            await().atMost(REPLICATION).untilAsserted(() -> assertThat(cache(nodes, 2).get("sku-1", Price.class))
                    .isEqualTo(new Price("sku-1", new BigDecimal("692.98"))));

            assertThatThrownBy(() -> cache(nodes, 1).put("coupon", new Coupon("SPRING", 10)))
                    .isInstanceOf(RejectedClassException.class)
                    .hasMessageContaining(Coupon.class.getName())
                    .hasMessageContaining("io.gossipcache.foreign")
                    .hasMessageContaining("gossipcache.serialization.allowed-packages");
            assertThat(cache(nodes, 1).get("coupon")).isNull();
        }
    }

    @Test
    void aBarePackageNameAllowsThePackage() {
        try (TestNodes nodes = TestNodes.start(2, cluster("bare"), 27610, WebApplicationType.NONE,
                "gossipcache.serialization.allowed-packages=io.gossipcache.foreign")) {
            cache(nodes, 1).put("coupon", new Coupon("SPRING", 10));
            await().atMost(REPLICATION).untilAsserted(() -> assertThat(cache(nodes, 2).get("coupon", Coupon.class))
                    .isEqualTo(new Coupon("SPRING", 10)));
        }
    }

    @Test
    void theApplicationsPackagesCanBeLeftOut() {
        try (TestNodes nodes = TestNodes.start(2, cluster("strict"), 27620, WebApplicationType.NONE,
                "gossipcache.serialization.allow-application-packages=false")) {
            assertThatThrownBy(() -> cache(nodes, 1).put("sku-1", new Price("sku-1", BigDecimal.ONE)))
                    .isInstanceOf(RejectedClassException.class).hasMessageContaining(Price.class.getName());
        }
    }

    @Test
    void aMemberConfiguredApartRefusesNamesThePropertyOnceAndCountsItInHealth() {
        ListAppender<ILoggingEvent> engineLog = new ListAppender<>();
        engineLog.start();
        Logger engineLogger = (Logger) LoggerFactory.getLogger("io.gossipcache.core"); // the engine and its parts
        try (TestNodes nodes = TestNodes.start(cluster("apart"), 27630, WebApplicationType.NONE, List.of(
                List.of("gossipcache.serialization.allowed-packages=io.gossipcache.foreign"), List.of()))) {
            engineLogger.addAppender(engineLog); // after the start: Boot resets logging when an application starts
            cache(nodes, 1).put("coupon", new Coupon("SPRING", 10));
            cache(nodes, 1).put("coupon-2", new Coupon("BOOT", 20));
            cache(nodes, 1).put("marker", "after");
            await().atMost(REPLICATION).until(() -> "after".equals(cache(nodes, 2).get("marker", String.class)));
            assertThat(cache(nodes, 2).get("coupon")).isNull();
            var details = nodes.node(2).getBean(GossipCacheHealthIndicator.class).health(true).getDetails();
            assertThat(details.get("rejectedWrites")).isEqualTo(2L);
            List<String> refusals = engineLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains(Coupon.class.getName())).toList();
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0)).contains("gossipcache.serialization.allowed-packages");
        } finally {
            engineLogger.detachAppender(engineLog);
        }
    }
}
