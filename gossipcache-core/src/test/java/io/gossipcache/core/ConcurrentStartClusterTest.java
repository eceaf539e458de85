package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Five members started at the same instant, with no start order: whatever each one's discovery found, they end in
 * one view, a split at start (two members that both founded a cluster) merging within the merge interval. Repeated,
 * since a split depends on timing; how many starts split is printed.
 */
class ConcurrentStartClusterTest {

    private static final int MEMBERS = 5;
    private static final int STARTS = 5;
    /** TestCluster's merge interval, and time for the merge itself on a loaded machine. */
    private static final Duration MERGED = Duration.ofSeconds(2).plusSeconds(3);

    @Test
    void membersStartedAtOnceEndInOneView() throws Exception {
        int splits = 0;
        ExecutorService starters = Executors.newFixedThreadPool(MEMBERS);
        try {
            for (int start = 0; start < STARTS; start++) {
                try (TestCluster cluster = new TestCluster("concurrent" + start)) {
                    CountDownLatch go = new CountDownLatch(1);
                    List<CompletableFuture<GossipCacheEngine>> starting = new ArrayList<>();
                    for (int i = 0; i < MEMBERS; i++) {
                        String name = "node-" + i;
                        starting.add(CompletableFuture.supplyAsync(() -> {
                            awaitUninterruptibly(go);
                            return cluster.start(name);
                        }, starters));
                    }
                    go.countDown();
                    List<GossipCacheEngine> members = starting.stream().map(CompletableFuture::join).toList();
                    if (members.stream().map(m -> m.view().coordinator().name()).distinct().count() > 1) {
                        splits++;
                    }
                    await().atMost(MERGED).pollInterval(Duration.ofMillis(20)).until(() -> members.stream()
                            .allMatch(m -> m.view().size() == MEMBERS));
                    assertThat(members.stream().map(m -> m.view().coordinator().name()).distinct()).hasSize(1);
                }
            }
        } finally {
            starters.shutdownNow();
        }
        System.out.println("[concurrent-start] " + splits + " of " + STARTS + " starts of " + MEMBERS
                + " members split at first and merged");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
