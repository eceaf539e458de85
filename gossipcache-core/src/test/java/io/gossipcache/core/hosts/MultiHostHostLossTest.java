package io.gossipcache.core.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Members on separate hosts (each a JVM in its own network namespace) lose one host in the two ways a real host is
 * lost: it vanishes from the network (link down: nobody gets a RST, only failure detection can tell) or its
 * process dies ({@code kill -9}: the kernel closes its sockets). The others drop it within the failure-detection
 * bound, and when it returns (link up, or a restart) every member converges: newest write wins, deletes stay.
 */
class MultiHostHostLossTest extends LabTest {

    @Test
    void vanishedHostIsDroppedAndMergesBackWhenItsLinkReturns() throws Exception {
        try (HostCluster cluster = new HostCluster(lab, "vanish", 3)) {
            List<HostMember> m = cluster.start(0, 1, 2);
            for (String key : List.of("k1", "k2", "k3")) {
                cluster.put(m.get(0), key, "v0");
            }
            cluster.awaitConverged(System.nanoTime(), Bounds.START);

            long down = System.nanoTime();
            lab.linkDown(cluster.host(2));
            long dropped = cluster.awaitViews(down, Bounds.DETECTION, List.of(0, 1));
            System.out.println("[hosts] link down -> dropped by the others in " + dropped + " ms");
            cluster.awaitViews(down, Bounds.DETECTION, List.of(2));

            cluster.put(m.get(0), "k1", "a1");
            cluster.delete(m.get(0), "k2");
            cluster.put(m.get(2), "k1", "c1");         // the vanished host's newer write wins
            cluster.put(m.get(2), "only-c", "c1");
            cluster.put(m.get(2), "k3", "c1");
            cluster.put(m.get(1), "k3", "a2");         // newer than c1: wins

            lab.linkUp(cluster.host(2));
            cluster.awaitHealed("link up", System.nanoTime());
            cluster.assertStaysConverged(Bounds.STAY);
            cluster.assertNoErrorsLogged();
        }
    }

    @Test
    void killedProcessIsDroppedAndItsRestartConverges() throws Exception {
        try (HostCluster cluster = new HostCluster(lab, "kill", 3)) {
            List<HostMember> m = cluster.start(0, 1, 2);
            cluster.put(m.get(2), "from-c", "c0");
            cluster.put(m.get(2), "k1", "c0");
            cluster.awaitConverged(System.nanoTime(), Bounds.START);

            HostMember victim = m.get(2);
            assertThat(ProcessHandle.of(victim.pid()).flatMap(p -> p.info().command()).orElseThrow())
                    .as("ip netns exec execs java: the pid is the JVM's").endsWith("/java");
            long killed = System.nanoTime();
            victim.kill9();
            long dropped = cluster.awaitViews(killed, Bounds.DETECTION, List.of(0, 1));
            System.out.println("[hosts] kill -9 -> dropped in " + dropped + " ms");

            cluster.put(m.get(0), "k1", "a1");
            cluster.delete(m.get(1), "from-c");
            cluster.put(m.get(1), "only-a", "a1");

            long restart = System.nanoTime();
            cluster.restart(2);
            long ready = System.nanoTime();
            System.out.println("[hosts] restart after kill -9: READY (JVM start, join, state) in "
                    + (ready - restart) / 1_000_000 + " ms");
            cluster.awaitHealed("restart after kill -9, from READY", ready);
            cluster.assertStaysConverged(Bounds.STAY);
            cluster.assertNoErrorsLogged();
        }
    }
}
