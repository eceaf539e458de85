package io.gossipcache.autoconfigure;

import io.gossipcache.actuate.GossipCacheMeterBinderProvider;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.spring.GossipCacheLifecycle;
import io.gossipcache.spring.GossipCacheManager;
import io.gossipcache.spring.GossipCacheNode;
import io.gossipcache.spring.GossipCacheReadiness;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
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

    /** The name of the {@link Codec} bean for keys: define one of this name to replace the default. */
    public static final String KEY_CODEC_BEAN_NAME = "gossipCacheKeyCodec";

    /** The name of the {@link Codec} bean for values: define one of this name to replace the default. */
    public static final String VALUE_CODEC_BEAN_NAME = "gossipCacheValueCodec";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    GossipCacheEngine gossipCacheEngine(GossipCacheProperties properties, Environment environment,
                                        @Qualifier(KEY_CODEC_BEAN_NAME) Codec keyCodec,
                                        @Qualifier(VALUE_CODEC_BEAN_NAME) Codec valueCodec,
                                        ObjectProvider<SslBundles> sslBundles,
                                        ObjectProvider<ObservationRegistry> observationRegistry,
                                        ObjectProvider<GossipCacheClusterCustomizer> clusterCustomizers,
                                        ObjectProvider<GossipCacheEngineCustomizer> engineCustomizers) {
        List<String> springCacheNames = Binder.get(environment)
                .bind("spring.cache.cache-names", Bindable.listOf(String.class))
                .orElse(List.of());
        return new GossipCacheEngine(EngineConfigFactory.create(properties, springCacheNames,
                environment.getProperty("server.port"), keyCodec, valueCodec,
                ClusterTlsFactory.create(properties.getSecurity().getSslBundle(), sslBundles.getIfAvailable()),
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
                clusterCustomizers.orderedStream().toList(), engineCustomizers.orderedStream().toList()));
    }

    /**
     * Keys: a {@link DefaultCodec} in the format of gossipcache.serialization.codec, through the allow-list; a
     * {@code Serializable} key is written with Java serialization in every format ({@link DefaultCodec#forKeys()}).
     */
    @Bean(KEY_CODEC_BEAN_NAME)
    @ConditionalOnMissingBean(name = KEY_CODEC_BEAN_NAME)
    Codec gossipCacheKeyCodec(GossipCacheProperties properties, ConfigurableListableBeanFactory beanFactory) {
        return defaultCodec(properties, beanFactory).forKeys();
    }

    /** Values: a {@link DefaultCodec} in the format of gossipcache.serialization.codec, through the allow-list. */
    @Bean(VALUE_CODEC_BEAN_NAME)
    @ConditionalOnMissingBean(name = VALUE_CODEC_BEAN_NAME)
    Codec gossipCacheValueCodec(GossipCacheProperties properties, ConfigurableListableBeanFactory beanFactory) {
        return defaultCodec(properties, beanFactory);
    }

    private static DefaultCodec defaultCodec(GossipCacheProperties properties, ConfigurableListableBeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory.getBeanClassLoader() != null ? beanFactory.getBeanClassLoader()
                : ClassUtils.getDefaultClassLoader();
        List<String> applicationPackages = AutoConfigurationPackages.has(beanFactory)
                ? AutoConfigurationPackages.get(beanFactory) : List.of();
        return EngineConfigFactory.defaultCodec(properties, applicationPackages, classLoader);
    }

    @Bean
    @ConditionalOnMissingBean
    GossipCacheLifecycle gossipCacheLifecycle(GossipCacheEngine engine, ObjectProvider<GossipCacheReadiness> readiness) {
        return new GossipCacheLifecycle(engine, readiness.getIfAvailable() != null);
    }

    @Bean
    GossipCacheManager cacheManager(GossipCacheEngine engine, GossipCacheProperties properties,
                                    ObjectProvider<ObservationRegistry> observationRegistry,
                                    ObjectProvider<CacheManagerCustomizer<?>> customizers) {
        GossipCacheManager cacheManager = new GossipCacheManager(engine, properties.isAllowNullValues(),
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
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
