package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.codec.NotSerializableValueException;
import io.gossipcache.it.QuoteService.Order;
import io.gossipcache.it.QuoteService.OrderKey;
import io.gossipcache.test.GossipCacheClusterExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.support.NullValue;

/**
 * Issue 23's report, on real clusters of the test kit: a {@code @Cacheable} method that returns a record (not
 * {@code Serializable}) failed after it ran, on every call; with the default codec the record, its record key and a
 * cached {@code null} travel and every member serves them without computing again.
 */
class CodecClusterTests {

    private static final Duration REPLICATION = Duration.ofSeconds(15);

    @Nested
    class ByDefault {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 2)
                .build();

        @Test
        void recordsTravelAndEveryMemberServesThemWithoutComputing() {
            QuoteService one = cluster.member(0).bean(QuoteService.class);
            QuoteService two = cluster.member(1).bean(QuoteService.class);
            Cache orders = cluster.member(1).springCache("orders");
            Order first = one.order(7);
            assertThat(one.order(7)).isEqualTo(first);
            assertThat(one.computed()).isEqualTo(1);
            await().atMost(REPLICATION).until(() -> orders.get(7L) != null);
            assertThat(two.order(7)).isEqualTo(first).isNotSameAs(first);
            assertThat(two.computed()).as("served from the replicated entry").isZero();

            OrderKey key = new OrderKey("shop-1", 8);
            Order byRecordKey = one.orderOf(key);
            await().atMost(REPLICATION).until(() -> orders.get(key) != null);
            assertThat(two.orderOf(key)).isEqualTo(byRecordKey);

            assertThat(one.absent("none")).isNull();
            await().atMost(REPLICATION).until(() -> orders.get("none") != null);
            assertThat(((ReplicatedCache) orders.getNativeCache()).get("none"))
                    .as("the peer's NullValue is Spring's singleton").isSameAs(NullValue.INSTANCE);
            assertThat(two.absent("none")).isNull();
            assertThat(two.computed()).isZero();
        }
    }

    @Nested
    class WithJavaSerialization {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 1)
                .properties("gossipcache.serialization.codec=java")
                .build();

        @Test
        void aRecordFailsNamingTheProperty() {
            assertThatThrownBy(() -> cluster.member(0).bean(QuoteService.class).order(7))
                    .isInstanceOf(NotSerializableValueException.class)
                    .hasMessageContaining(Order.class.getName())
                    .hasMessageContaining("gossipcache.serialization.codec=fory");
        }
    }

    @Nested
    class MembersWithDifferentCodecs {

        @RegisterExtension
        GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(TestNodes.App.class, 2)
                .memberProperties(0, "gossipcache.serialization.codec=java")
                .build();

        @Test
        void readEachOther() {
            Cache javaSide = cluster.member(0).springCache("orders");
            Cache forySide = cluster.member(1).springCache("orders");
            forySide.put("from-fory", new Order(1, "member-2", 1, Instant.EPOCH, BigDecimal.ONE, List.of()));
            javaSide.put("from-java", List.of(BigDecimal.TEN));
            cluster.awaitConvergence();
            assertThat(javaSide.get("from-fory", Order.class)).isNotNull();
            assertThat(forySide.get("from-java")).isNotNull();
        }
    }
}
