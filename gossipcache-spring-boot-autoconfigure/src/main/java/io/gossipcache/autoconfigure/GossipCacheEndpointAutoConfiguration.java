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
import org.springframework.context.annotation.Configuration;

/** The {@code gossipcache} Actuator endpoint, when Actuator is present and the endpoint is available. */
@AutoConfiguration(after = GossipCacheAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(GossipCacheNode.class)
public final class GossipCacheEndpointAutoConfiguration {

    /**
     * Nested, so that the availability condition (whose class is in Actuator) is evaluated only after the class
     * condition above has seen Actuator on the classpath.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(GossipCacheEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GossipCacheEndpoint gossipCacheEndpoint(GossipCacheNode node) {
            return new GossipCacheEndpoint(node);
        }
    }
}
