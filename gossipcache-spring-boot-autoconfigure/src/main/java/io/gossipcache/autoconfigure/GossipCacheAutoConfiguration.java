package io.gossipcache.autoconfigure;

import io.gossipcache.actuate.GossipCacheMeterBinderProvider;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.spring.GossipCacheLifecycle;
import io.gossipcache.spring.GossipCacheManager;
import io.gossipcache.spring.GossipCacheNode;
import io.gossipcache.spring.GossipCacheReadiness;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of a gossipcache node: the engine, the {@link GossipCacheLifecycle lifecycle} that joins and
 * leaves the cluster, the {@link GossipCacheManager}, and the {@link GossipCacheReadiness readiness} that refuses
 * traffic until the node holds the cluster's state.
 *
 * <p>Runs before Boot's {@link CacheAutoConfiguration}, which then backs off since a {@code CacheManager}
 * exists; so {@code CacheManagerCustomizer} beans and {@code spring.cache.cache-names} are honored here. Backs
 * off itself when the application defines a {@code CacheManager}, when {@code spring.cache.type} names any type
 * (including {@code none}, which Boot's test slices set), and when {@code gossipcache.enabled=false}.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class, after = ApplicationAvailabilityAutoConfiguration.class)
@ConditionalOnClass({ CacheManager.class, GossipCacheEngine.class })
@ConditionalOnBooleanProperty(name = "gossipcache.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(CacheManager.class)
@Conditional(OnNoOtherCacheTypeCondition.class)
@EnableConfigurationProperties(GossipCacheProperties.class)
public final class GossipCacheAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    GossipCacheEngine gossipCacheEngine(GossipCacheProperties properties, Environment environment,
                                        ConfigurableListableBeanFactory beanFactory,
                                        ObjectProvider<SslBundles> sslBundles,
                                        ObjectProvider<GossipCacheClusterCustomizer> clusterCustomizers,
                                        ObjectProvider<GossipCacheEngineCustomizer> engineCustomizers) {
        List<String> springCacheNames = Binder.get(environment)
                .bind("spring.cache.cache-names", Bindable.listOf(String.class))
                .orElse(List.of());
        ClassLoader classLoader = beanFactory.getBeanClassLoader() != null ? beanFactory.getBeanClassLoader()
                : ClassUtils.getDefaultClassLoader();
        List<String> applicationPackages = AutoConfigurationPackages.has(beanFactory)
                ? AutoConfigurationPackages.get(beanFactory) : List.of();
        return new GossipCacheEngine(EngineConfigFactory.create(properties, springCacheNames,
                environment.getProperty("server.port"), applicationPackages, classLoader,
                ClusterTlsFactory.create(properties.getSecurity().getSslBundle(), sslBundles.getIfAvailable()),
                clusterCustomizers.orderedStream().toList(), engineCustomizers.orderedStream().toList()));
    }

    @Bean
    @ConditionalOnMissingBean
    GossipCacheLifecycle gossipCacheLifecycle(GossipCacheEngine engine, ObjectProvider<GossipCacheReadiness> readiness) {
        return new GossipCacheLifecycle(engine, readiness.getIfAvailable() != null);
    }

    @Bean
    GossipCacheManager cacheManager(GossipCacheEngine engine, GossipCacheProperties properties,
                                    ObjectProvider<CacheManagerCustomizer<?>> customizers) {
        GossipCacheManager cacheManager = new GossipCacheManager(engine, properties.isAllowNullValues());
        return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(cacheManager);
    }

    @Bean
    @ConditionalOnMissingBean
    GossipCacheNode gossipCacheNode(GossipCacheEngine engine) {
        return new GossipCacheNode(engine);
    }

    /** Depends on Boot's ApplicationAvailability bean, which so hears every availability event before it. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ApplicationAvailability.class)
    GossipCacheReadiness gossipCacheReadiness(GossipCacheEngine engine, GossipCacheNode node,
                                              GossipCacheProperties properties, ApplicationEventPublisher publisher,
                                              ApplicationAvailability availability) {
        return new GossipCacheReadiness(engine, node, properties.getHealth().getMinMembers(), publisher, availability);
    }

    /** Lets Boot's cache metrics bind gossipcache caches (before Boot's CacheMetricsAutoConfiguration looks). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ MeterBinder.class, CacheMeterBinderProvider.class })
    static class CacheMeterBinderProviderConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GossipCacheMeterBinderProvider gossipCacheMeterBinderProvider() {
            return new GossipCacheMeterBinderProvider();
        }
    }
}
