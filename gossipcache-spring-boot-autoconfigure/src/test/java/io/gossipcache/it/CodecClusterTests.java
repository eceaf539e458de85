package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.codec.NotSerializableValueException;
import io.gossipcache.it.QuoteService.Order;
import io.gossipcache.it.QuoteService.OrderKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.support.NullValue;

/**
 * Issue 23's report, on real two-member clusters: a {@code @Cacheable} method that returns a record (not
 * {@code Serializable}) failed after it ran, on every call; with the default codec the record, its record key and a
 * cached {@code null} travel and every member serves them without computing again.
 */
class CodecClusterTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    private static String cluster(String name) {
        return "codec-" + name + "-" + ProcessHandle.current().pid();
    }

    private static Cache orders(TestNodes nodes, int node) {
        return nodes.node(node).getBean(CacheManager.class).getCache("orders");
    }

    @Test
    void recordsTravelByDefaultAndEveryMemberServesThemWithoutComputing() {
        try (TestNodes nodes = TestNodes.start(2, cluster("default"), 27800, WebApplicationType.NONE)) {
            QuoteService one = nodes.service(1);
            QuoteService two = nodes.service(2);
            Order first = one.order(7);
            assertThat(one.order(7)).isEqualTo(first);
            assertThat(one.computed()).isEqualTo(1);
            await().atMost(REPLICATION).until(() -> orders(nodes, 2).get(7L) != null);
            assertThat(two.order(7)).isEqualTo(first).isNotSameAs(first);
            assertThat(two.computed()).as("served from the replicated entry").isZero();

            OrderKey key = new OrderKey("shop-1", 8);
            Order byRecordKey = one.orderOf(key);
            await().atMost(REPLICATION).until(() -> orders(nodes, 2).get(key) != null);
            assertThat(two.orderOf(key)).isEqualTo(byRecordKey);

            assertThat(one.absent("none")).isNull();
            await().atMost(REPLICATION).until(() -> orders(nodes, 2).get("none") != null);
            assertThat(((ReplicatedCache) orders(nodes, 2).getNativeCache()).get("none"))
                    .as("the peer's NullValue is Spring's singleton").isSameAs(NullValue.INSTANCE);
            assertThat(two.absent("none")).isNull();
            assertThat(two.computed()).isZero();
        }
    }

    @Test
    void withJavaSerializationARecordFailsNamingTheProperty() {
        try (TestNodes nodes = TestNodes.start(1, cluster("java"), 27810, WebApplicationType.NONE,
                "gossipcache.serialization.codec=java")) {
            assertThatThrownBy(() -> nodes.service(1).order(7))
                    .isInstanceOf(NotSerializableValueException.class)
                    .hasMessageContaining(Order.class.getName())
                    .hasMessageContaining("gossipcache.serialization.codec=fory");
        }
    }

    @Test
    void membersWithDifferentCodecsReadEachOther() {
        try (TestNodes nodes = TestNodes.start(cluster("mixed"), 27820, WebApplicationType.NONE,
                List.of(List.of("gossipcache.serialization.codec=java"), List.of()))) {
            Cache javaSide = orders(nodes, 1);
            Cache forySide = orders(nodes, 2);
            forySide.put("from-fory", new Order(1, "n2", 1, Instant.EPOCH, BigDecimal.ONE, List.of()));
            javaSide.put("from-java", List.of(BigDecimal.TEN));
            await().atMost(REPLICATION).untilAsserted(() -> {
                assertThat(javaSide.get("from-fory", Order.class)).isNotNull();
                assertThat(forySide.get("from-java")).isNotNull();
            });
        }
    }
}
