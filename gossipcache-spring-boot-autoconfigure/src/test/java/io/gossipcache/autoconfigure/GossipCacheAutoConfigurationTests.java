package io.gossipcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.actuate.GossipCacheEndpoint;
import io.gossipcache.actuate.GossipCacheHealthIndicator;
import io.gossipcache.actuate.GossipCacheMeterBinderProvider;
import io.gossipcache.actuate.GossipCacheMetrics;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.Mode;
import io.gossipcache.core.cluster.DnsDiscovery;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.ObjectFormat;
import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.gossipcache.spring.GossipCache;
import io.gossipcache.spring.GossipCacheLifecycle;
import io.gossipcache.spring.GossipCacheManager;
import io.gossipcache.spring.GossipCacheNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Conditions, back-off, property binding and validation. Every context starts its node in LOCAL mode, so nothing
 * binds a socket; the cluster itself is exercised by the cluster tests.
 */
class GossipCacheAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GossipCacheAutoConfiguration.class, CacheAutoConfiguration.class,
                    GossipCacheEndpointAutoConfiguration.class, GossipCacheHealthAutoConfiguration.class,
                    GossipCacheMetricsAutoConfiguration.class))
            .withUserConfiguration(CachingConfiguration.class)
            .withPropertyValues("gossipcache.mode=local", "gossipcache.cluster.name=autoconfig-tests",
                    "gossipcache.cluster.bind-port=27900", "gossipcache.cluster.port-range=2");

    @Test
    void providesTheCacheManagerTheEngineAndItsLifecycle() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(GossipCacheEngine.class).hasSingleBean(GossipCacheLifecycle.class)
                    .hasSingleBean(GossipCacheNode.class).hasSingleBean(CacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(GossipCacheManager.class);
            assertThat(context.getBean(GossipCacheLifecycle.class).isRunning()).isTrue();
            GossipCacheEngine engine = context.getBean(GossipCacheEngine.class);
            assertThat(engine.isRunning()).isTrue();
            assertThat(engine.mode()).isEqualTo(Mode.LOCAL);
            GossipCache cache = (GossipCache) context.getBean(CacheManager.class).getCache("any");
            cache.put("k", "v");
            assertThat(engine.cache("any").get("k")).isEqualTo("v");
        });
    }

    @Test
    void theEngineLeavesWhenTheContextCloses() {
        GossipCacheEngine[] engine = new GossipCacheEngine[1];
        runner.run(context -> engine[0] = context.getBean(GossipCacheEngine.class));
        assertThat(engine[0].isRunning()).isFalse();
    }

    @Test
    void backsOffWhenTheUserDefinesACacheManager() {
        runner.withUserConfiguration(UserCacheManagerConfiguration.class).run(context -> {
            assertThat(context).doesNotHaveBean(GossipCacheEngine.class).doesNotHaveBean(GossipCacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
        });
    }

    @Test
    void backsOffWhenSpringCacheTypeIsNone() {
        runner.withPropertyValues("spring.cache.type=none").run(context -> {
            assertThat(context).doesNotHaveBean(GossipCacheEngine.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class);
        });
    }

    @Test
    void backsOffWhenSpringCacheTypeNamesAnotherType() {
        runner.withPropertyValues("spring.cache.type=simple").run(context -> {
            assertThat(context).doesNotHaveBean(GossipCacheEngine.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("gossipcache.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(GossipCacheEngine.class).doesNotHaveBean(GossipCacheNode.class)
                    .doesNotHaveBean(GossipCacheEndpoint.class).doesNotHaveBean(GossipCacheHealthIndicator.class)
                    .doesNotHaveBean(GossipCacheMetrics.class);
            assertThat(context.getBean(CacheManager.class)).isNotInstanceOf(GossipCacheManager.class);
        });
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues(
                "gossipcache.node-name=alpha",
                "gossipcache.default-ttl=45s",
                "gossipcache.default-max-entries=500",
                "gossipcache.dynamic-caches=false",
                "gossipcache.tombstone-retention=20m",
                "gossipcache.caches.quotes.ttl=30s",
                "gossipcache.caches.quotes.max-entries=10000",
                "gossipcache.caches.users.max-entries=7",
                "gossipcache.cluster.name=orders",
                "gossipcache.cluster.bind-address=127.0.0.1",
                "gossipcache.cluster.bind-port=27910",
                "gossipcache.cluster.port-range=4",
                "gossipcache.cluster.seeds=127.0.0.1[27910],127.0.0.1:27911",
                "gossipcache.cluster.merge-interval=3s",
                "gossipcache.cluster.join-timeout=250ms",
                "gossipcache.gossip.interval=1500ms",
                "gossipcache.gossip.fanout=3",
                "gossipcache.failure-detection.interval=1s",
                "gossipcache.failure-detection.timeout=6s",
                "gossipcache.failure-detection.verify-timeout=700ms",
                "gossipcache.replication.mode=sync",
                "gossipcache.replication.sync-timeout=3s",
                "gossipcache.replication.queue-capacity=1234",
                "gossipcache.limits.max-key-size=2KB",
                "gossipcache.limits.max-value-size=256KB",
                "gossipcache.replication.state-transfer-timeout=12s",
                "gossipcache.serialization.allowed-packages=com.example.*,org.acme,org.shop.Price",
                "gossipcache.serialization.codec=java",
                "gossipcache.allow-null-values=false",
                "gossipcache.max-caches=40",
                "gossipcache.health.min-members=2",
                "spring.cache.cache-names=quotes,books").run(context -> {
                    EngineConfig config = context.getBean(GossipCacheEngine.class).config();
                    assertThat(config.cluster().nodeName()).isEqualTo("alpha");
                    assertThat(config.cluster().clusterName()).isEqualTo("orders");
                    assertThat(config.cluster().bindAddress()).isEqualTo("127.0.0.1");
                    assertThat(config.cluster().bindPort()).isEqualTo(27910);
                    assertThat(config.cluster().portRange()).isEqualTo(4);
                    assertThat(config.cluster().seeds()).containsExactly("127.0.0.1[27910]", "127.0.0.1:27911");
                    assertThat(config.cluster().mergeInterval()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.cluster().joinTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(config.cluster().failureDetectionInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(config.cluster().failureDetectionTimeout()).isEqualTo(Duration.ofSeconds(6));
                    assertThat(config.cluster().verifySuspectTimeout()).isEqualTo(Duration.ofMillis(700));
                    assertThat(config.defaultCacheSettings()).isEqualTo(new CacheSettings(Duration.ofSeconds(45), 500));
                    assertThat(config.caches()).containsEntry("quotes", new CacheSettings(Duration.ofSeconds(30), 10000))
                            .containsEntry("users", new CacheSettings(Duration.ofSeconds(45), 7))
                            .containsEntry("books", new CacheSettings(Duration.ofSeconds(45), 500));
                    assertThat(config.dynamicCaches()).isFalse();
                    assertThat(config.tombstoneRetention()).isEqualTo(Duration.ofMinutes(20));
                    assertThat(config.gossipInterval()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(config.gossipFanout()).isEqualTo(3);
                    assertThat(config.replicationMode()).isEqualTo(ReplicationMode.SYNC);
                    assertThat(config.syncTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.replicationQueueCapacity()).isEqualTo(1234);
                    assertThat(config.maxKeySize()).isEqualTo(2048);
                    assertThat(config.maxValueSize()).isEqualTo(256 * 1024);
                    assertThat(config.stateTransferTimeout()).isEqualTo(Duration.ofSeconds(12));
                    assertThat(config.startMode()).isEqualTo(Mode.LOCAL);
                    DefaultCodec codec = (DefaultCodec) config.valueCodec();
                    assertThat(codec.format()).isEqualTo(ObjectFormat.JAVA);
                    assertThat(((DefaultCodec) config.keyCodec()).format()).isEqualTo(ObjectFormat.JAVA);
                    assertThat(codec.allowList().allows("com.example.Order")).isTrue();
                    assertThat(codec.allowList().allows("org.springframework.cache.support.NullValue")).isTrue();
                    assertThat(codec.allowList().allows("org.springframework.cache.interceptor.SimpleKey")).isTrue();
                    assertThat(codec.allowList().allows("org.example.Other")).isFalse();
                    // a bare package is a package, sub-packages included; a capitalized last part is one class
                    assertThat(codec.allowList().allows("org.acme.Thing")).isTrue();
                    assertThat(codec.allowList().allows("org.acme.deep.Thing")).isTrue();
                    assertThat(codec.allowList().allows("org.acmecorp.Thing")).isFalse();
                    assertThat(codec.allowList().allows("org.shop.Price")).isTrue();
                    assertThat(codec.allowList().allows("org.shop.Other")).isFalse();
                    assertThat(config.maxCaches()).isEqualTo(40);
                    GossipCacheManager manager = context.getBean(GossipCacheManager.class);
                    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("quotes", "users", "books");
                    assertThat(manager.getCache("unknown")).isNull();
                    assertThat(manager.isAllowNullValues()).isFalse();
                    assertThat(context.getBean(GossipCacheProperties.class).getHealth().getMinMembers()).isEqualTo(2);
                });
    }

    @Test
    void valuesAndKeysTravelAsForyByDefaultWithTheSameAllowList() {
        runner.run(context -> {
            EngineConfig config = context.getBean(GossipCacheEngine.class).config();
            assertThat(config.valueCodec()).isSameAs(context.getBean(GossipCacheAutoConfiguration.VALUE_CODEC_BEAN_NAME));
            assertThat(config.keyCodec()).isSameAs(context.getBean(GossipCacheAutoConfiguration.KEY_CODEC_BEAN_NAME));
            DefaultCodec values = (DefaultCodec) config.valueCodec();
            DefaultCodec keys = (DefaultCodec) config.keyCodec();
            assertThat(values.format()).isEqualTo(ObjectFormat.FORY);
            assertThat(keys.format()).isEqualTo(ObjectFormat.FORY);
            assertThat(keys.forKeys()).as("the key codec writes Serializable keys as Java").isSameAs(keys);
            assertThat(values.allowList().allows("org.springframework.cache.support.NullValue")).isTrue();
            assertThat(keys.allowList().allows("org.springframework.cache.support.NullValue")).isTrue();
        });
    }

    @Test
    void cacheOperationsAndReplicationAreObservedWithTheApplicationsRegistry() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context.getBean(GossipCacheEngine.class).config().observationRegistry()).isSameAs(registry);
            Cache cache = context.getBean(CacheManager.class).getCache("observed");
            assertThat(cache.get("k")).isNull();
            cache.put("k", "v");
            assertThat(cache.get("k")).isNotNull();
            cache.evict("k");
            cache.clear();
            assertThat(cache.get("loaded", () -> "v")).isEqualTo("v"); // a sync @Cacheable's miss, load and put
            TestObservationRegistryAssert.assertThat(registry)
                    .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts.stream()
                            .filter(c -> "gossipcache.cache".equals(c.getName()))
                            .map(c -> c.getContextualName() + " "
                                    + c.getLowCardinalityKeyValue("gossipcache.result").getValue()))
                            .containsExactly("get observed miss", "put observed none", "get observed hit",
                                    "evict observed none", "clear observed none", "get observed miss",
                                    "put observed none"))
                    .hasNumberOfObservationsWithNameEqualTo("gossipcache.cache", 7)
                    .forAllObservationsWithNameEqualTo("gossipcache.cache", observation -> observation
                            .hasLowCardinalityKeyValue("gossipcache.cache", "observed"));
        });
    }

    @Test
    void withoutARegistryNothingIsObserved() {
        runner.run(context -> assertThat(context.getBean(GossipCacheEngine.class).config().observationRegistry())
                .isSameAs(ObservationRegistry.NOOP));
    }

    @Test
    void aCodecBeanOfTheApplicationReplacesTheDefault() {
        Codec mine = new DefaultCodec(AllowList.jdkOnly(), getClass().getClassLoader(), ObjectFormat.JAVA);
        runner.withBean(GossipCacheAutoConfiguration.VALUE_CODEC_BEAN_NAME, Codec.class, () -> mine).run(context -> {
            EngineConfig config = context.getBean(GossipCacheEngine.class).config();
            assertThat(config.valueCodec()).isSameAs(mine);
            assertThat(((DefaultCodec) config.keyCodec()).format()).as("the other stays the default")
                    .isEqualTo(ObjectFormat.FORY);
        });
    }

    @Test
    void dnsDiscoveryPropertiesReachTheClusterConfig() {
        // nothing answers on that port: the member looks in vain and founds a cluster of its own
        runner.withPropertyValues("gossipcache.cluster.discovery.type=dns",
                "gossipcache.cluster.discovery.dns.query=orders-gossip.shop.svc.cluster.local,orders-gossip.backup",
                "gossipcache.cluster.discovery.dns.record-type=srv",
                "gossipcache.cluster.discovery.dns.address=127.0.0.1:27999").run(context -> {
                    EngineConfig config = context.getBean(GossipCacheEngine.class).config();
                    assertThat(config.cluster().dnsDiscovery()).isEqualTo(new DnsDiscovery(
                            List.of("orders-gossip.shop.svc.cluster.local", "orders-gossip.backup"),
                            DnsDiscovery.RecordType.SRV, "127.0.0.1:27999"));
                    assertThat(context.getBean(GossipCacheEngine.class).view().size()).isEqualTo(1);
                });
        runner.run(context -> assertThat(context.getBean(GossipCacheEngine.class).config().cluster().dnsDiscovery()).isNull());
    }

    @Test
    void defaultNodeNameIsHostAndServerPort() {
        runner.withPropertyValues("server.port=8081").run(context -> assertThat(
                context.getBean(GossipCacheEngine.class).nodeName()).endsWith(":8081"));
        runner.withPropertyValues("server.port=0").run(context -> assertThat(
                context.getBean(GossipCacheEngine.class).nodeName()).doesNotEndWith(":0"));
    }

    @Test
    void honorsCacheManagerCustomizersOfItsType() {
        runner.withUserConfiguration(CustomizerConfiguration.class).run(context -> {
            CustomizerConfiguration config = context.getBean(CustomizerConfiguration.class);
            assertThat(config.calls).containsExactly("gossip", "any");
        });
    }

    @Test
    void clusterAndEngineCustomizersApply() {
        runner.withBean(GossipCacheClusterCustomizer.class, () -> cluster -> cluster.nodeName("customized"))
                .withBean(GossipCacheEngineCustomizer.class, () -> engine -> engine.gossipFanout(5))
                .run(context -> {
                    GossipCacheEngine engine = context.getBean(GossipCacheEngine.class);
                    assertThat(engine.nodeName()).isEqualTo("customized");
                    assertThat(engine.config().gossipFanout()).isEqualTo(5);
                });
    }

    @Test
    void invalidValuesFailStartUpNamingTheProperty() {
        assertFailure("gossipcache.caches.orders.max-entries=-1", "gossipcache.caches.orders.max-entries");
        assertFailure("gossipcache.default-max-entries=-5", "gossipcache.default-max-entries");
        assertFailure("gossipcache.limits.max-value-size=0B", "gossipcache.limits.max-value-size");
        assertFailure("gossipcache.limits.max-key-size=3GB", "gossipcache.limits.max-key-size");
        assertFailure("gossipcache.default-ttl=soon", "gossipcache.default-ttl");
        assertFailure("gossipcache.caches.orders.ttl=-1s", "gossipcache.caches.orders.ttl");
        assertFailure("gossipcache.caches.orders.owners=17", "gossipcache.caches.orders.owners");
        assertFailure("gossipcache.caches.orders.owners=-1", "gossipcache.caches.orders.owners");
        assertFailure("gossipcache.caches.orders.near-cache-ttl=10s", "gossipcache.caches.orders.near-cache-ttl");
        assertFailure("gossipcache.cluster.seeds=127.0.0.1[27000],no-port-here", "gossipcache.cluster.seeds[1]");
        assertFailure("gossipcache.cluster.bind-port=70000", "gossipcache.cluster.bind-port");
        assertFailure("gossipcache.cluster.discovery.type=dns", "gossipcache.cluster.discovery.dns.query must name");
        assertFailure("gossipcache.cluster.discovery.type=kubernetes", "gossipcache.cluster.discovery.type");
        assertFailure("gossipcache.cluster.discovery.dns.record-type=MX", "gossipcache.cluster.discovery.dns.record-type");
        runner.withPropertyValues("gossipcache.cluster.discovery.type=dns", "gossipcache.cluster.discovery.dns.query=a.test",
                "gossipcache.cluster.seeds=127.0.0.1[27000]", "gossipcache.cluster.discovery.dns.address=no such host")
                .run(context -> assertThat(allMessages(context.getStartupFailure()))
                        .contains("gossipcache.cluster.seeds apply to static discovery only")
                        .contains("gossipcache.cluster.discovery.dns.address: DNS server 'no such host'"));
        assertFailure("gossipcache.gossip.fanout=0", "gossipcache.gossip.fanout");
        assertFailure("gossipcache.failure-detection.timeout=1s", "gossipcache.failure-detection.timeout");
        assertFailure("gossipcache.mode=sideways", "gossipcache.mode");
        assertFailure("gossipcache.serialization.allowed-packages=com.example orders",
                "gossipcache.serialization.allowed-packages[0] 'com.example orders' is not a package or class name");
        assertFailure("gossipcache.serialization.allowed-packages=com..example", "write a package as com.example.orders");
        assertFailure("gossipcache.max-caches=0", "gossipcache.max-caches");
        assertFailure("gossipcache.security.ssl-bundle=missing", "gossipcache.security.ssl-bundle");
        runner.withPropertyValues("gossipcache.security.ssl-bundle=cluster",
                "gossipcache.cluster.jgroups-config=test-tcp.xml").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(allMessages(context.getStartupFailure()))
                            .contains("gossipcache.security.ssl-bundle applies to the built-in stack only");
                });
    }

    @Test
    void withoutASslBundleClusterTrafficIsPlainAndJoinsFast() {
        runner.run(context -> {
            EngineConfig config = context.getBean(GossipCacheEngine.class).config();
            assertThat(config.cluster().tls()).isNull();
            assertThat(config.cluster().joinTimeout()).isEqualTo(Duration.ofMillis(500));
        });
    }

    private void assertFailure(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(allMessages(context.getStartupFailure())).contains(named);
        });
    }

    private static String allMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void actuatorAndMetricsBeansWhenPresent() {
        runner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=gossipcache")
                .run(context -> {
                    assertThat(context).hasSingleBean(GossipCacheHealthIndicator.class)
                            .hasBean("gossipCacheHealthIndicator")
                            .hasSingleBean(GossipCacheMeterBinderProvider.class)
                            .hasSingleBean(GossipCacheMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(CacheManager.class).getCache("late").get("k");
                    assertThat(registry.get("cache.gets").tag("name", "late").tag("result", "miss")
                            .tag("cache.manager", "cacheManager").functionCounter().count()).isEqualTo(1.0);
                    assertThat(registry.get("gossipcache.cluster.members").gauge().value()).isEqualTo(1.0);
                    assertThat(registry.get("gossipcache.replication.sent").functionCounter()).isNotNull();
                });
    }

    @Test
    void worksWithoutActuatorOrMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(GossipCacheManager.class)
                            .doesNotHaveBean(GossipCacheEndpoint.class)
                            .doesNotHaveBean(GossipCacheHealthIndicator.class)
                            .doesNotHaveBean(GossipCacheMeterBinderProvider.class)
                            .doesNotHaveBean(GossipCacheMetrics.class);
                    GossipCache cache = (GossipCache) context.getBean(CacheManager.class).getCache("c");
                    cache.put("k", "v");
                    assertThat(cache.get("k", String.class)).isEqualTo("v");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingConfiguration {
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCacheManagerConfiguration {

        @Bean
        CacheManager userCacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        final List<String> calls = new ArrayList<>();

        @Bean
        CacheManagerCustomizer<GossipCacheManager> gossipCustomizer() {
            return manager -> calls.add("gossip");
        }

        @Bean
        CacheManagerCustomizer<ConcurrentMapCacheManager> otherCustomizer() {
            return manager -> calls.add("other");
        }

        @Bean
        CacheManagerCustomizer<CacheManager> anyCustomizer() {
            return manager -> calls.add("any");
        }
    }
}
