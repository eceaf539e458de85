package io.gossipcache.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipcache.core.cluster.ClusterListener;
import io.gossipcache.core.cluster.ClusterMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit with plain engines: a cluster per test, faults, and waits that fail with what differs. */
class EngineClusterExtensionTest {

    @RegisterExtension
    GossipCacheClusterExtension cluster = GossipCacheClusterExtension.engines(3).build();

    @Test
    void startsJoinedMembersOnLoopbackWithAClusterOfTheirOwn() {
        assertThat(cluster.members()).hasSize(3).allSatisfy(m -> {
            assertThat(m.isRunning()).isTrue();
            assertThat(m.engine().view().size()).isEqualTo(3);
            assertThat(m.engine().clusterName()).isEqualTo(cluster.clusterName());
            assertThat(m.engine().config().cluster().bindAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(cluster.members()).extracting(TestMember::name).containsExactly("member-1", "member-2", "member-3");
    }

    @Test
    void bothSidesOfAPartitionWriteAndAfterTheHealEveryMemberHoldsTheNewestWrite() {
        cluster.member(0).cache("quotes").put("ACME", "1");
        cluster.awaitConvergence();

        cluster.partition(List.of(0, 1), List.of(2));
        cluster.awaitViews();
        assertThat(cluster.member(0).engine().view().size()).isEqualTo(2);
        assertThat(cluster.member(2).engine().view().size()).isEqualTo(1);
        cluster.member(2).cache("quotes").put("ACME", "older");
        // the newest write wins; two writes in one millisecond on two sides are concurrent and either may
        long olderAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > olderAt + 1);
        cluster.member(0).cache("quotes").put("ACME", "newer");
        cluster.member(2).cache("quotes").put("lonely", "x");
        assertThat(cluster.member(1).cache("quotes").get("lonely")).isNull();

        cluster.heal();
        cluster.awaitConvergence();
        for (TestMember member : cluster.members()) {
            assertThat(member.cache("quotes").get("ACME")).as(member.name()).isEqualTo("newer");
            assertThat(member.cache("quotes").get("lonely")).as(member.name()).isEqualTo("x");
        }
    }

    @Test
    void aKilledMemberLeavesTheViewAndARestartedOneTakesTheState() {
        List<String> suspected = suspicionsSeenBy(cluster.member(0));
        cluster.member(0).cache("quotes").put("ACME", "1");
        cluster.awaitConvergence();
        cluster.kill(2);
        assertThat(cluster.member(2).isRunning()).isFalse();
        cluster.awaitViews();
        assertThat(cluster.member(0).engine().view().size()).isEqualTo(2);
        assertThat(suspected).as("a kill is a failure the others detect, not a goodbye").containsExactly("member-3");
        cluster.member(1).cache("quotes").put("while-down", "2");

        TestMember back = cluster.restart(2);
        assertThat(back.name()).isEqualTo("member-3");
        cluster.awaitConvergence();
        assertThat(back.cache("quotes").get("ACME")).isEqualTo("1");
        assertThat(back.cache("quotes").get("while-down")).isEqualTo("2");
    }

    @Test
    void aStoppedMemberSaysGoodbye() {
        List<String> suspected = suspicionsSeenBy(cluster.member(0));
        cluster.stop(2);
        cluster.awaitViews();
        assertThat(cluster.member(0).engine().view().size()).isEqualTo(2);
        assertThat(suspected).isEmpty();
    }

    private static List<String> suspicionsSeenBy(TestMember member) {
        List<String> suspected = new CopyOnWriteArrayList<>();
        member.engine().addClusterListener(new ClusterListener() {
            @Override
            public void memberSuspected(ClusterMember suspect) {
                suspected.add(suspect.name());
            }
        });
        return suspected;
    }

    @Test
    void convergenceFailsWithWhatStillDiffers() {
        cluster.partition(List.of(0, 1), List.of(2));
        cluster.awaitViews();
        cluster.member(2).cache("quotes").put("only-here", "x");
        // the members are apart: each side is one view, but not one cluster
        assertThatThrownBy(() -> cluster.awaitConvergence(Duration.ofSeconds(1)))
                .hasMessageContaining("sees");
        cluster.heal();
        cluster.awaitViews();
        cluster.member(0).cache("quotes").putLocal("mine", "local", null); // this member only
        assertThatThrownBy(() -> cluster.awaitConvergence(Duration.ofSeconds(1)))
                .hasMessageContaining("cache 'quotes'").hasMessageContaining("mine");
    }
}
