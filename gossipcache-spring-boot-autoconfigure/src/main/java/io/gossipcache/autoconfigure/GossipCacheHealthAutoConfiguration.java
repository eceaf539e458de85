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

/**
 * The {@code gossipCache} health component (bean {@code gossipCacheHealthIndicator}), when Boot's health support
 * is present; {@code management.health.gossipcache.enabled=false} turns it off.
 */
@AutoConfiguration(after = GossipCacheAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(GossipCacheNode.class)
@ConditionalOnEnabledHealthIndicator("gossipcache")
public final class GossipCacheHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "gossipCacheHealthIndicator")
    GossipCacheHealthIndicator gossipCacheHealthIndicator(GossipCacheNode node, GossipCacheProperties properties) {
        return new GossipCacheHealthIndicator(node, properties.getHealth().getMinMembers());
    }
}
