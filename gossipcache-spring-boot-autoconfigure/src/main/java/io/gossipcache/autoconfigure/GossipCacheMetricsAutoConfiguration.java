package io.gossipcache.autoconfigure;

import io.gossipcache.actuate.GossipCacheMeterBinder;
import io.gossipcache.actuate.GossipCacheMetrics;
import io.gossipcache.spring.GossipCache;
import io.gossipcache.spring.GossipCacheManager;
import io.gossipcache.spring.GossipCacheNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Micrometer meters of gossipcache, when Micrometer and a {@link MeterRegistry} are present: the node's
 * {@code gossipcache.*} meters, and Spring's standard cache meters for every gossipcache cache, including those
 * created after start-up (Boot's cache metrics bind only the caches that exist when it starts).
 */
@AutoConfiguration(after = { GossipCacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, GossipCacheNode.class })
public final class GossipCacheMetricsAutoConfiguration {

    /** Bound to the registry by Boot, as every {@code MeterBinder} bean. */
    @Bean
    GossipCacheMetrics gossipCacheMetrics(GossipCacheNode node) {
        return new GossipCacheMetrics(node);
    }

    @Bean
    static DynamicCacheMetrics gossipCacheDynamicCacheMetrics(ApplicationContext context,
                                                              ObjectProvider<MeterRegistry> registry,
                                                              ObjectProvider<CacheMetricsRegistrar> registrar) {
        return new DynamicCacheMetrics(context, registry, registrar);
    }

    /**
     * Binds the cache meters of every gossipcache cache adapter, now and whenever one is created, with the tags
     * Boot uses ({@code name}, {@code cache.manager}). Caches that Boot bound at start-up are skipped.
     */
    static final class DynamicCacheMetrics implements SmartInitializingSingleton {

        private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

        private final ApplicationContext context;
        private final ObjectProvider<MeterRegistry> registry;
        private final ObjectProvider<CacheMetricsRegistrar> registrar;

        DynamicCacheMetrics(ApplicationContext context, ObjectProvider<MeterRegistry> registry,
                            ObjectProvider<CacheMetricsRegistrar> registrar) {
            this.context = context;
            this.registry = registry;
            this.registrar = registrar;
        }

        @Override
        public void afterSingletonsInstantiated() {
            MeterRegistry meterRegistry = registry.getIfUnique();
            if (meterRegistry == null) {
                return;
            }
            @Nullable CacheMetricsRegistrar cacheRegistrar = registrar.getIfUnique();
            Map<String, GossipCacheManager> managers = context.getBeansOfType(GossipCacheManager.class);
            managers.forEach((beanName, manager) -> {
                Tag managerTag = Tag.of("cache.manager", managerName(beanName));
                manager.onCacheCreated(cache -> bind(meterRegistry, cacheRegistrar, cache, managerTag));
            });
        }

        private static void bind(MeterRegistry registry, @Nullable CacheMetricsRegistrar registrar, GossipCache cache,
                                 Tag managerTag) {
            if (registry.find("cache.gets").tag("name", cache.getName()).tags(Tags.of(managerTag)).meter() != null) {
                return; // bound at start-up by Boot's cache metrics
            }
            if (registrar != null && registrar.bindCacheToRegistry(cache, managerTag)) {
                return;
            }
            new GossipCacheMeterBinder(cache, Tags.of(managerTag, Tag.of("name", cache.getName()))).bindTo(registry);
        }

        /** As Boot's cache metrics: "fooCacheManager" is tagged "foo", "cacheManager" stays "cacheManager". */
        private static String managerName(String beanName) {
            if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
                    && StringUtils.endsWithIgnoreCase(beanName, CACHE_MANAGER_SUFFIX)) {
                return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
            }
            return beanName;
        }
    }
}
