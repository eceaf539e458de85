package io.gossipcache.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches by count and by size, and sends the rest on flush. */
class ChunkedSenderTest {

    private final List<Integer> sent = new ArrayList<>();
    private final ChunkedSender sender = new ChunkedSender(batch -> sent.add(batch.size()));

    @Test
    void sendsAFullBatchOfWritesAndTheRestOnFlush() {
        for (int i = 0; i < ChunkedSender.MAX_WRITES * 2 + 5; i++) {
            sender.accept(Write.evict("c", new byte[] {(byte) i}, i, 1));
        }
        sender.accept(null); // nothing to send for a key that vanished meanwhile
        assertThat(sent).containsExactly(ChunkedSender.MAX_WRITES, ChunkedSender.MAX_WRITES);
        sender.flush();
        sender.flush();
        assertThat(sent).containsExactly(ChunkedSender.MAX_WRITES, ChunkedSender.MAX_WRITES, 5);
        assertThat(sender.total()).isEqualTo(ChunkedSender.MAX_WRITES * 2L + 5);
    }

    @Test
    void sendsABatchOnceItsBytesReachTheBound() {
        byte[] value = new byte[ChunkedSender.MAX_BYTES / 4];
        for (int i = 0; i < 4; i++) {
            sender.accept(Write.put("c", new byte[] {(byte) i}, value, i, 1, 0));
        }
        assertThat(sent).containsExactly(4);
    }

    @Test
    void aFailedSendNamesWhatWasLost() {
        ChunkedSender failing = new ChunkedSender(batch -> {
            throw new IOException("peer gone");
        });
        failing.accept(Write.clear("c", 1, 1));
        assertThatThrownBy(failing::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 writes")
                .hasMessageContaining("peer gone");
    }
}
