package io.gossipcache.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** Every member must hash a key alike, whether it holds the key in an array of its own or inside a message. */
    @Test
    void aRangeHashesLikeAnArrayHoldingJustThoseBytes() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] buffer = new byte[random.nextInt(80)];
            random.nextBytes(buffer);
            int offset = buffer.length == 0 ? 0 : random.nextInt(buffer.length);
            int length = random.nextInt(buffer.length - offset + 1);
            assertThat(KeyHash.of(buffer, offset, length))
                    .isEqualTo(KeyHash.of(Arrays.copyOfRange(buffer, offset, offset + length)));
        }
    }
}
