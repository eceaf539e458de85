package io.gossipcache.autoconfigure;

import io.gossipcache.actuate.GossipCacheEndpoint;
import io.gossipcache.spring.GossipCacheNode;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code gossipcache} Actuator endpoint, when Actuator is present and the endpoint is available. */
@AutoConfiguration(after = GossipCacheAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(GossipCacheNode.class)
@ConditionalOnAvailableEndpoint(GossipCacheEndpoint.class)
public final class GossipCacheEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GossipCacheEndpoint gossipCacheEndpoint(GossipCacheNode node) {
        return new GossipCacheEndpoint(node);
    }
}
