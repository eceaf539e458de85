package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.CacheSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's cache API on one member that has not joined a cluster. */
class EngineLocalTest {

    private GossipCacheEngine engine;

    private GossipCacheEngine engine(EngineConfig.Builder builder) {
        engine = new GossipCacheEngine(builder.build());
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void configuredCachesExistFromTheStartWithTheirOwnDefaultTtl() {
        GossipCacheEngine e = engine(EngineConfig.builder()
                .cache("short", new CacheSettings(Duration.ofMillis(300), 0))
                .cache("forever", CacheSettings.DEFAULTS));
        assertThat(e.cacheNames()).containsExactly("forever", "short");

        e.cache("short").put("k", "v");
        e.cache("forever").put("k", "v");
        e.cache("short").put("explicit", "v", Duration.ZERO); // an explicit TTL wins over the default
        assertThat(e.cache("short").get("k")).isEqualTo("v");

        await().atMost(Duration.ofSeconds(5)).until(() -> e.cache("short").get("k") == null);
        assertThat(e.cache("forever").get("k")).isEqualTo("v");
        assertThat(e.cache("short").get("explicit")).isEqualTo("v");
    }

    @Test
    void unknownCachesAreCreatedOnDemandUnlessDynamicCreationIsOff() {
        assertThat(engine(EngineConfig.builder()).cache("new").name()).isEqualTo("new");
        engine.close();

        GossipCacheEngine strict = engine(EngineConfig.builder().dynamicCaches(false).cache("known", CacheSettings.DEFAULTS));
        assertThat(strict.cache("known")).isNotNull();
        assertThatThrownBy(() -> strict.cache("typo"))
                .isInstanceOf(UnknownCacheException.class)
                .hasMessageContaining("'typo'").hasMessageContaining("[known]");
    }

    @Test
    void writesApplyLocallyBeforeTheEngineJoins() {
        GossipCacheEngine e = engine(EngineConfig.builder());
        ReplicatedCache cache = e.cache("c");
        cache.put("a", 1L);
        cache.put("b", "two");
        assertThat(cache.get("a")).isEqualTo(1L);
        cache.evict("a");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.size()).isEqualTo(1);
        cache.clear();
        assertThat(cache.get("b")).isNull();
        cache.put("c", "after clear");
        assertThat(cache.get("c")).isEqualTo("after clear");
    }

    @Test
    void negativeOrUnrepresentableTtlsAndNullsAreRefused() {
        ReplicatedCache cache = engine(EngineConfig.builder()).cache("c");
        assertThatThrownBy(() -> cache.put("k", "v", Duration.ofSeconds(-1))).hasMessageContaining("TTL");
        // the 500s: a TTL whose expiry overflows a millisecond clock is a clear refusal, not an overflow
        assertThatThrownBy(() -> cache.put("k", "v", Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longest supported");
        assertThatThrownBy(() -> cache.putLocal("k", "v", Duration.ofDays(99_999_999_999_999L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.get("k")).isNull();
        assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
    }
}
