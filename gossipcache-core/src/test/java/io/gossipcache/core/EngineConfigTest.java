package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.replication.ReplicationMode;
import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine's defaults are its constants, and its rules report every problem by the starter's property name. */
class EngineConfigTest {

    @Test
    void defaultsAreTheConstants() {
        EngineConfig config = EngineConfig.builder().build();
        assertThat(config.defaultCacheSettings()).isEqualTo(CacheSettings.DEFAULTS);
        assertThat(config.caches()).isEmpty();
        assertThat(config.dynamicCaches()).isEqualTo(EngineConfig.DEFAULT_DYNAMIC_CACHES).isTrue();
        assertThat(config.maxCaches()).isEqualTo(EngineConfig.DEFAULT_MAX_CACHES).isEqualTo(256);
        assertThat(config.replicationMode()).isEqualTo(EngineConfig.DEFAULT_REPLICATION_MODE).isEqualTo(ReplicationMode.ASYNC);
        assertThat(config.syncTimeout()).isEqualTo(EngineConfig.DEFAULT_SYNC_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.replicationQueueCapacity()).isEqualTo(EngineConfig.DEFAULT_REPLICATION_QUEUE_CAPACITY)
                .isEqualTo(100_000);
        assertThat(config.tombstoneRetention()).isEqualTo(EngineConfig.DEFAULT_TOMBSTONE_RETENTION)
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(config.stateTransferTimeout()).isEqualTo(EngineConfig.DEFAULT_STATE_TRANSFER_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sweepInterval()).isEqualTo(EngineConfig.DEFAULT_SWEEP_INTERVAL).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.gossipInterval()).isEqualTo(EngineConfig.DEFAULT_GOSSIP_INTERVAL).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.gossipFanout()).isEqualTo(EngineConfig.DEFAULT_GOSSIP_FANOUT).isEqualTo(2);
        assertThat(config.startMode()).isEqualTo(EngineConfig.DEFAULT_START_MODE).isEqualTo(Mode.CLUSTERED);
        assertThat(config.maxKeySize()).isEqualTo(EngineConfig.DEFAULT_MAX_KEY_SIZE).isEqualTo(8 * 1024);
        assertThat(config.maxValueSize()).isEqualTo(EngineConfig.DEFAULT_MAX_VALUE_SIZE).isEqualTo(1024 * 1024);
        assertThat(config.valueCodec()).isSameAs(config.keyCodec());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsProperty() {
        EngineConfig.Builder builder = EngineConfig.builder()
                .cache("a", CacheSettings.DEFAULTS).cache("b", CacheSettings.DEFAULTS).maxCaches(1)
                .syncTimeout(Duration.ZERO)
                .replicationQueueCapacity(0)
                .tombstoneRetention(Duration.ofSeconds(-1))
                .stateTransferTimeout(null)
                .sweepInterval(Duration.ZERO)
                .gossipInterval(Duration.ZERO)
                .gossipFanout(0)
                .maxKeySize(0)
                .maxValueSize(-1)
                .startMode(null)
                .replicationMode(null);
        assertThat(builder.problems()).containsExactlyInAnyOrder(
                "gossipcache.max-caches must be at least 1 and at least the 2 caches configured from start-up"
                        + " (gossipcache.caches, spring.cache.cache-names) (was 1)",
                "gossipcache.replication.mode must be set",
                "gossipcache.replication.sync-timeout must be positive (was PT0S)",
                "gossipcache.replication.queue-capacity must be positive (was 0)",
                "gossipcache.tombstone-retention must be positive (was PT-1S)",
                "gossipcache.replication.state-transfer-timeout must be positive (was null)",
                "sweepInterval must be positive (was PT0S)",
                "gossipcache.gossip.interval must be positive (was PT0S)",
                "gossipcache.gossip.fanout must be at least 1 (was 0)",
                "gossipcache.mode must be set",
                "gossipcache.limits.max-key-size must be between 1B and 2GB (was 0B)",
                "gossipcache.limits.max-value-size must be between 1B and 2GB (was -1B)");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gossipcache.max-caches").hasMessageContaining("; gossipcache.replication.mode")
                .hasMessageContaining("gossipcache.limits.max-value-size");
    }

    @Test
    void validValuesHaveNoProblems() {
        assertThat(EngineConfig.builder().problems()).isEmpty();
        assertThat(EngineConfig.builder().maxCaches(1).cache("only", CacheSettings.DEFAULTS).maxKeySize(1)
                .gossipFanout(1).replicationQueueCapacity(1).problems()).isEmpty();
    }

    @Test
    void aBlankCacheNameIsRefused() {
        assertThat(EngineConfig.builder().cache(" ", CacheSettings.DEFAULTS).problems())
                .containsExactly("gossipcache.caches: a cache name must not be empty");
    }

    @Test
    void cacheSettingsNameTheValueTheyRefuse() {
        assertThat(CacheSettings.ttlProblem("gossipcache.caches.orders.ttl", Duration.ofSeconds(-1)))
                .contains("gossipcache.caches.orders.ttl must not be negative (was PT-1S)");
        assertThat(CacheSettings.ttlProblem("gossipcache.default-ttl", CacheSettings.MAX_TTL.plusDays(1)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("gossipcache.default-ttl must be at most 365000 days"));
        assertThat(CacheSettings.ttlProblem("gossipcache.default-ttl", CacheSettings.MAX_TTL)).isEmpty();
        assertThat(CacheSettings.maxEntriesProblem("gossipcache.default-max-entries", -5))
                .contains("gossipcache.default-max-entries must not be negative (was -5)");
        assertThat(CacheSettings.maxEntriesProblem("gossipcache.default-max-entries", 0)).isEmpty();
        assertThatThrownBy(() -> new CacheSettings(Duration.ofSeconds(-1), -1))
                .hasMessageContaining("TTL must not be negative").hasMessageContaining("maxEntries must not be negative");
    }
}
