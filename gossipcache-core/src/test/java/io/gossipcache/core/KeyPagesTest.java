package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Paging through a cache's live keys on one member (the sample app's key listing rests on it). */
class KeyPagesTest {

    private final GossipCacheEngine engine = new GossipCacheEngine(EngineConfig.builder().build());

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void pagesCoverEveryLiveKeyWithThePrefixOnceInOrder() {
        ReplicatedCache cache = engine.cache("c");
        List<String> keys = new ArrayList<>(IntStream.range(0, 250).mapToObj(i -> "k%03d".formatted(i)).toList());
        Collections.shuffle(keys, new Random(7));
        keys.forEach(k -> cache.put(k, "v"));
        cache.put("other", "v");
        cache.put(42, "a key that is not a string");
        cache.evict("k007");
        cache.put("k008", "gone soon", Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get("k008") == null);

        List<Object> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            KeyPage page = cache.keys("k", cursor, 100);
            assertThat(page.total()).isEqualTo(248);
            assertThat(page.keys()).hasSizeLessThanOrEqualTo(100);
            seen.addAll(page.keys());
            cursor = page.next();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        List<String> expected = IntStream.range(0, 250).mapToObj(i -> "k%03d".formatted(i))
                .filter(k -> !k.equals("k007") && !k.equals("k008")).toList();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(cache.keys("", null, 1000).keys()).contains(42, "other").hasSize(250);
    }

    @Test
    void aKeyWrittenAfterTheCursorShowsOnALaterPageAndTheLastPageHasNoCursor() {
        ReplicatedCache cache = engine.cache("c");
        List.of("a", "b", "c", "d").forEach(k -> cache.put(k, "v"));
        KeyPage first = cache.keys(null, null, 2);
        assertThat(first.keys()).containsExactly("a", "b");
        assertThat(first.next()).isEqualTo("b");
        cache.put("bb", "v");
        cache.put("aa", "v"); // before the cursor: not on a later page
        KeyPage second = cache.keys(null, first.next(), 10);
        assertThat(second.keys()).containsExactly("bb", "c", "d");
        assertThat(second.next()).isNull();
        assertThat(second.total()).isEqualTo(6);
        assertThat(cache.keys("zz", null, 10)).isEqualTo(new KeyPage(List.of(), 0, null));
        assertThatThrownBy(() -> cache.keys(null, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
