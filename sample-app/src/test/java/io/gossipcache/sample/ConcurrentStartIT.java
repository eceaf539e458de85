package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Five sample-app JVMs launched at the same instant, with no start order and the default join timeout, as a
 * Kubernetes StatefulSet with {@code podManagementPolicy: Parallel} starts them: they form one cluster (a split at
 * start, if any, merges) and every one of them reports ready over its readiness probe. The time from launch until
 * all five are ready in one view of five is printed (JVM start on 2 cores included).
 */
class ConcurrentStartIT {

    private static final int MEMBERS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<SampleNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(SampleNode::stop);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void fiveMembersStartedAtOnceFormOneClusterAndAreAllReady() {
        String cluster = "concurrent-" + UUID.randomUUID().toString().substring(0, 8);
        int base = SampleNode.clusterPortBase();
        List<String> options = List.of(
                "--gossipcache.cluster.name=" + cluster,
                "--gossipcache.cluster.bind-port=" + base,
                "--gossipcache.cluster.port-range=" + (MEMBERS - 1),
                "--management.endpoint.health.probes.enabled=true",
                "--spring.main.banner-mode=off");
        for (int i = 1; i <= MEMBERS; i++) {
            nodes.add(new SampleNode("concurrent" + i, SampleNode.freePort(), options));
        }
        long launched = System.nanoTime();
        nodes.forEach(SampleNode::start);

        org.awaitility.Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                .alias("all " + MEMBERS + " ready in one view " + nodes.get(0).logHint())
                .until(() -> nodes.stream().allMatch(this::readyInFullView));
        long readyMs = (System.nanoTime() - launched) / 1_000_000;
        System.out.println("[concurrent-start] " + MEMBERS + " members launched at once: all ready in one view after "
                + readyMs + " ms");

        Set<String> coordinators = new HashSet<>();
        for (SampleNode node : nodes) {
            coordinators.add(Http.get(node.baseUrl() + "/actuator/gossipcache").field("coordinator"));
        }
        assertThat(coordinators).hasSize(1);
        // and it is one cache: a write on the last is read on the first
        Http.put(nodes.get(MEMBERS - 1).baseUrl() + "/cache/items/k", "v");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(nodes.get(0).baseUrl() + "/cache/items/k").status() == 200);
    }

    private boolean readyInFullView(SampleNode node) {
        if (!node.isAlive()) {
            throw new IllegalStateException(node.label + " exited " + node.logHint());
        }
        if (Http.get(node.baseUrl() + "/actuator/health/readiness").status() != 200) {
            return false;
        }
        JsonNode members = Http.get(node.baseUrl() + "/actuator/gossipcache").json().get("members");
        return members != null && members.size() == MEMBERS;
    }
}
