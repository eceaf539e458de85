package io.gossipcache.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The kit with the application's own Spring configuration: the README's example, run. */
class SpringClusterExtensionTest {

    /** What the application caches: a record, as it is. */
    record Price(String sku, BigDecimal amount, String computedBy) {
    }

    /** The application's service; counts what it really computes on its member. */
    static class PriceService {

        private final AtomicInteger computed = new AtomicInteger();
        private final String node;

        PriceService(org.springframework.core.env.Environment environment) {
            this.node = environment.getProperty("gossipcache.node-name");
        }

        @Cacheable("prices")
        public Price price(String sku) {
            computed.incrementAndGet();
            return new Price(sku, new BigDecimal("19.90"), node);
        }

        @CacheEvict("prices")
        public void forget(String sku) {
        }

        int computed() {
            return computed.get();
        }
    }

    /** The application's configuration. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableCaching
    @Import(PriceService.class)
    static class ShopApplication {
    }

    @RegisterExtension
    GossipCacheClusterExtension cluster = GossipCacheClusterExtension.springApplication(ShopApplication.class, 3)
            .properties("gossipcache.caches.prices.ttl=10m")
            .build();

    @Test
    void aPriceComputedOnOneMemberIsServedByEveryOtherEvenAfterAPartitionAndARestart() {
        Price price = cluster.member(0).bean(PriceService.class).price("sku-1");
        cluster.awaitConvergence();
        for (TestMember member : cluster.members()) {
            assertThat(member.bean(PriceService.class).price("sku-1")).as(member.name()).isEqualTo(price);
        }
        assertThat(cluster.members()).extracting(m -> m.bean(PriceService.class).computed())
                .containsExactly(1, 0, 0);

        cluster.partition(List.of(0, 1), List.of(2));
        cluster.awaitViews();
        cluster.member(0).bean(PriceService.class).forget("sku-1"); // an evict the other side does not hear
        cluster.heal();
        cluster.awaitConvergence();
        assertThat(cluster.member(2).springCache("prices").get("sku-1")).as("the evict reached it").isNull();

        cluster.member(1).bean(PriceService.class).price("sku-2");
        cluster.awaitConvergence(); // replication is asynchronous: a kill right after the put could lose it
        cluster.kill(1);
        TestMember back = cluster.restart(1);
        cluster.awaitConvergence();
        assertThat(back.springCache("prices").get("sku-2", Price.class)).isNotNull();
        back.bean(PriceService.class).price("sku-2");
        assertThat(back.bean(PriceService.class).computed()).as("served from the state it took").isZero();
    }
}
