package io.gossipcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.KeyHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hash computed from a key must be the hash of the bytes the codec encodes it to, for every key it derives. */
class DefaultKeyHasherTest {

    private final DefaultCodec codec = new DefaultCodec();
    private final KeyHasher hasher = codec.keyHasher();

    private void assertSameAsEncoded(Object key) {
        assertThat(hasher.derives(key)).as("derives %s", key).isTrue();
        assertThat(hasher.hash(key)).as("hash of %s (%s)", describe(key), key.getClass().getSimpleName())
                .isEqualTo(KeyHash.of(codec.encode(key)));
    }

    private static String describe(Object key) {
        if (!(key instanceof String s)) {
            return String.valueOf(key);
        }
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }

    @Test
    void edgeCases() {
        // lengths around the 8-byte words (the tag is the first byte), every UTF-8 width, and unpaired surrogates,
        // which the codec encodes as '?'
        for (String s : List.of("", "a", "abcdef", "abcdefg", "abcdefgh", "abcdefghijklmno", "abcdefghijklmnop",
                "é", "ü✓", "€uro", "\uD83D\uDE00", "x\uD83D\uDE00y", "\uD83D", "\uDE00", "\uDE00\uD83D",
                "a\uD83Db", "\uD83D\uD83D\uDE00", "\u07FF\u0800\uFFFF", "\u0000", "key-12345")) {
            assertSameAsEncoded(s);
        }
        for (long l : new long[] {0, 1, -1, 255, 256, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L}) {
            assertSameAsEncoded(l);
        }
        for (int i : new int[] {0, 1, -1, 255, 256, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertSameAsEncoded(i);
        }
    }

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            seeds.add(r.nextLong());
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomKeys(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            assertSameAsEncoded(randomString(random));
            assertSameAsEncoded(random.nextLong());
            assertSameAsEncoded(random.nextInt());
        }
    }

    /** Mixes every UTF-8 width, valid surrogate pairs and unpaired or reversed surrogates. */
    private static String randomString(Random random) {
        int length = random.nextInt(40);
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            switch (random.nextInt(7)) {
                case 0, 1 -> b.append((char) random.nextInt(0x80));
                case 2 -> b.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
                case 3 -> b.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
                case 4 -> b.appendCodePoint(0x10000 + random.nextInt(0x110000 - 0x10000));
                case 5 -> b.append((char) (0xD800 + random.nextInt(0x800))); // an unpaired surrogate, high or low
                default -> b.append((char) (0xE000 + random.nextInt(0x10000 - 0xE000)));
            }
        }
        return b.toString();
    }

    @Test
    void derivesOnlyTheKeysWithACompactEncoding() {
        for (Object key : List.of(new byte[] {1}, UUID.randomUUID(), 1.5d, (short) 3, List.of("a"))) {
            assertThat(hasher.derives(key)).as("derives %s", key).isFalse();
            assertThatThrownBy(() -> hasher.hash(key)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
