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
import io.gossipcache.test.GossipCacheClusterExtension;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;

/**
 * The serialization allow-list as a new user meets it (issue 18, part 4), on real two-member clusters of the test kit:
 * the application's own classes travel without configuration, a bare package name is a package, and a class that the
 * members would refuse fails the put on the writer, loudly, instead of leaving the members to disagree.
 */
class AllowListClusterTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    /** A value class of the application's own package, as a user's @Cacheable method returns it. */
    record Price(String sku, BigDecimal amount) implements Serializable {
    }

    private static Cache prices(GossipCacheClusterExtension cluster, int member) {
        return cluster.member(member).springCache("prices");
    }

    @Nested
    class ByDefault {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 2)
                .build();

        @Test
        void theApplicationsOwnClassesTravelWithoutConfigurationAndOthersFailOnTheWriter() {
            prices(cluster, 0).put("sku-1", new Price("sku-1", new BigDecimal("692.98")));
            await().atMost(REPLICATION).untilAsserted(() -> assertThat(prices(cluster, 1).get("sku-1", Price.class))
                    .isEqualTo(new Price("sku-1", new BigDecimal("692.98"))));

            assertThatThrownBy(() -> prices(cluster, 0).put("coupon", new Coupon("SPRING", 10)))
                    .isInstanceOf(RejectedClassException.class)
                    .hasMessageContaining(Coupon.class.getName())
                    .hasMessageContaining("io.gossipcache.foreign")
                    .hasMessageContaining("gossipcache.serialization.allowed-packages");
            assertThat(prices(cluster, 0).get("coupon")).isNull();
        }
    }

    @Nested
    class WithABarePackageName {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 2)
                .properties("gossipcache.serialization.allowed-packages=io.gossipcache.foreign")
                .build();

        @Test
        void thePackageIsAllowed() {
            prices(cluster, 0).put("coupon", new Coupon("SPRING", 10));
            await().atMost(REPLICATION).untilAsserted(() -> assertThat(prices(cluster, 1).get("coupon", Coupon.class))
                    .isEqualTo(new Coupon("SPRING", 10)));
        }
    }

    @Nested
    class WithoutTheApplicationsPackages {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 1)
                .properties("gossipcache.serialization.allow-application-packages=false")
                .build();

        @Test
        void theApplicationsClassesAreRefused() {
            assertThatThrownBy(() -> prices(cluster, 0).put("sku-1", new Price("sku-1", BigDecimal.ONE)))
                    .isInstanceOf(RejectedClassException.class).hasMessageContaining(Price.class.getName());
        }
    }

    @Nested
    class WithAMemberConfiguredApart {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 2)
                .memberProperties(0, "gossipcache.serialization.allowed-packages=io.gossipcache.foreign")
                .build();

        @Test
        void itRefusesNamesThePropertyOnceAndCountsItInHealth() {
            ListAppender<ILoggingEvent> engineLog = new ListAppender<>();
            engineLog.start();
            Logger engineLogger = (Logger) LoggerFactory.getLogger("io.gossipcache.core"); // the engine and its parts
            engineLogger.addAppender(engineLog); // after the start: Boot resets logging when an application starts
            try {
                prices(cluster, 0).put("coupon", new Coupon("SPRING", 10));
                prices(cluster, 0).put("coupon-2", new Coupon("BOOT", 20));
                prices(cluster, 0).put("marker", "after");
                await().atMost(REPLICATION).until(() -> "after".equals(prices(cluster, 1).get("marker", String.class)));
                assertThat(prices(cluster, 1).get("coupon")).isNull();
                var details = cluster.member(1).bean(GossipCacheHealthIndicator.class).health(true).getDetails();
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
}
