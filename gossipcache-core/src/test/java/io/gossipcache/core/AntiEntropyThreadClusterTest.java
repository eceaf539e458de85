package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.StoreEntry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy runs on its own thread: a replicated write is applied while a digest (a whole-store scan on a
 * large store) is still being handled, instead of waiting behind it (benchmark S3, issue 7).
 */
class AntiEntropyThreadClusterTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void replicatedWriteIsAppliedWhileAnAntiEntropyMessageIsInProgress() throws InterruptedException {
        cluster = new TestCluster("ae-thread");
        List<GossipCacheEngine> m = cluster.start(2);
        await().atMost(TestCluster.WAIT).until(() -> m.stream().allMatch(e -> e.view().size() == 2));
        GossipCacheEngine a = m.get(0);
        GossipCacheEngine b = m.get(1);

        // b's next anti-entropy task (its round or a's digest) stops in the middle, like a very slow digest
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> stuckThread = new AtomicReference<>();
        b.setAntiEntropyHook(() -> {
            if (stuckThread.compareAndSet(null, Thread.currentThread().getName())) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            assertThat(entered.await(TestCluster.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("b started an anti-entropy round or message").isTrue();

            a.cache("c").put("during-digest", "v1");
            a.cache("c").evict("never-there");
            await().atMost(TestCluster.WAIT).until(() -> "v1".equals(b.cache("c").get("during-digest")));

            // the write overtook the anti-entropy message, which is still in progress
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(stuckThread.get()).startsWith("gossipcache-antientropy-");
        } finally {
            release.countDown();
        }

        // and anti-entropy goes on afterwards: it repairs what replication never delivered
        byte[] keyBytes = a.config().keyCodec().encode("only-on-a");
        long ts = a.clock().tick();
        a.cache("c").store().apply("only-on-a", StoreEntry.value("hidden", ts, a.nodeId(), 0, KeyHash.of(keyBytes)));
        await().atMost(TestCluster.WAIT).until(() -> "hidden".equals(b.cache("c").get("only-on-a")));
        assertThat(b.antiEntropyDropped()).isZero();
    }
}
