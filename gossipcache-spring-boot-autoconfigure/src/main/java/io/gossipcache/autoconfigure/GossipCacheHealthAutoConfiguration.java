package io.gossipcache.autoconfigure;

import io.gossipcache.actuate.GossipCacheHealthIndicator;
import io.gossipcache.spring.GossipCacheNode;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code gossipCache} health component (bean {@code gossipCacheHealthIndicator}), when Boot's health support
 * is present; {@code management.health.gossipcache.enabled=false} turns it off.
 */
@AutoConfiguration(after = GossipCacheAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(GossipCacheNode.class)
public final class GossipCacheHealthAutoConfiguration {

    /** Nested, so that the enablement condition (in spring-boot-health) is evaluated only when that is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("gossipcache")
    static class HealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "gossipCacheHealthIndicator")
        GossipCacheHealthIndicator gossipCacheHealthIndicator(GossipCacheNode node, GossipCacheProperties properties) {
            return new GossipCacheHealthIndicator(node, properties.getHealth().getMinMembers());
        }
    }
}
