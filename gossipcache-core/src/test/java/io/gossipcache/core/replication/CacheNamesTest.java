package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CacheNamesTest {

    @BeforeEach
    void forget() {
        CacheNames.forgetAll();
    }

    @Test
    void aNameDecodesFromItsBytesAnywhereInABuffer() {
        byte[] utf8 = CacheNames.utf8("bücher");
        assertThat(utf8).containsExactly("bücher".getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[utf8.length + 5];
        System.arraycopy(utf8, 0, buffer, 3, utf8.length);
        assertThat(CacheNames.decode(buffer, 3, utf8.length)).isEqualTo("bücher");
        assertThat(CacheNames.utf8("bücher")).isSameAs(utf8); // remembered: not encoded again
    }

    @Test
    void madeUpNamesCannotGrowTheTableAndStillDecode() {
        for (int i = 0; i < 3 * CacheNames.MAX_REMEMBERED; i++) {
            String name = "made-up-" + i;
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            assertThat(CacheNames.decode(bytes, 0, bytes.length)).isEqualTo(name);
            assertThat(CacheNames.utf8(name)).containsExactly(bytes);
        }
        assertThat(CacheNames.rememberedCount()).isEqualTo(CacheNames.MAX_REMEMBERED);
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};
        assertThat(CacheNames.decode(notUtf8, 0, 2)).isEqualTo(new String(notUtf8, StandardCharsets.UTF_8));
    }
}
