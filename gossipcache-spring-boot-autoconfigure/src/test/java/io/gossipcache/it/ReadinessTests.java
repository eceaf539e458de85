package io.gossipcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipcache.autoconfigure.GossipCacheClusterCustomizer;
import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.replication.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Message;
import org.jgroups.protocols.FRAG4;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A member that joins an existing cluster refuses traffic (Boot's readiness state, and the readiness probe over
 * HTTP) until it holds the cluster's state and sees gossipcache.health.min-members members; its liveness is
 * unaffected. The end of the state transfer is held back by the test, so that "before" lasts as long as needed.
 */
class ReadinessTests {

    private static final int BASE_PORT = 27400;
    private static final int ENTRIES = 200;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aJoinerRefusesTrafficUntilItHoldsTheStateAndSeesMinMembers() throws Exception {
        ConfigurableApplicationContext first = start("r1", null);
        assertThat(readiness(first)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC); // alone: nothing to wait for
        for (int i = 0; i < ENTRIES; i++) {
            first.getBean(GossipCacheEngine.class).cache("quotes").put("k" + i, "v" + i);
        }

        HoldStateDone hold = new HoldStateDone();
        ConfigurableApplicationContext joiner = start("r2", hold, "gossipcache.health.min-members=3");
        assertThat(readiness(joiner)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        assertThat(joiner.getBean(ApplicationAvailability.class).getLivenessState()).isEqualTo(LivenessState.CORRECT);
        assertThat(status(joiner, "readiness")).isEqualTo(503);
        assertThat(status(joiner, "liveness")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !hold.held.isEmpty());
        assertThat(readiness(joiner)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

        hold.release();
        GossipCacheEngine joinerEngine = joiner.getBean(GossipCacheEngine.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> joinerEngine.initialState().isDone());
        assertThat(joinerEngine.cache("quotes").size()).isEqualTo(ENTRIES);
        // the state is here, but 2 members are fewer than min-members=3
        assertThat(readiness(joiner)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

        ConfigurableApplicationContext third = start("r3", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness(joiner) == ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(status(joiner, "readiness")).isEqualTo(200);
        assertThat(readiness(third)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

        third.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness(joiner) == ReadinessState.REFUSING_TRAFFIC);
        assertThat(status(joiner, "readiness")).isEqualTo(503);
        assertThat(status(joiner, "liveness")).isEqualTo(200);
    }

    @Test
    void itNeverTurnsARefusalPublishedByTheApplicationIntoAcceptance() {
        ConfigurableApplicationContext first = start("s1", null);
        ConfigurableApplicationContext second = start("s2", null, "gossipcache.health.min-members=2");
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness(second) == ReadinessState.ACCEPTING_TRAFFIC);

        // the application takes itself out (as Boot does at shutdown); membership changes must not put it back
        AvailabilityChangeEvent.publish(second, ReadinessState.REFUSING_TRAFFIC);
        ConfigurableApplicationContext third = start("s3", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getBean(GossipCacheEngine.class).view().size() == 3);
        third.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getBean(GossipCacheEngine.class).view().size() == 2);
        assertThat(readiness(second)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

        AvailabilityChangeEvent.publish(second, ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(readiness(second)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        first.close(); // one member, fewer than min-members=2
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness(second) == ReadinessState.REFUSING_TRAFFIC);
    }

    private ConfigurableApplicationContext start(String name, HoldStateDone hold, String... extra) {
        List<String> props = new ArrayList<>(List.of(
                "gossipcache.node-name=" + name,
                "gossipcache.cluster.name=readiness-" + ProcessHandle.current().pid(),
                "gossipcache.cluster.bind-address=127.0.0.1",
                "gossipcache.cluster.bind-port=" + BASE_PORT,
                "gossipcache.cluster.port-range=4",
                "gossipcache.gossip.interval=500ms",
                "server.port=0",
                "server.address=127.0.0.1",
                "management.endpoint.health.probes.enabled=true",
                "spring.main.banner-mode=off",
                "spring.jmx.enabled=false"));
        props.addAll(List.of(extra));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(TestNodes.App.class).web(WebApplicationType.SERVLET)
                .properties(props.toArray(String[]::new));
        if (hold != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("holdStateDone",
                    (GossipCacheClusterCustomizer) cluster -> cluster.channelCustomizer(channel -> {
                        try {
                            channel.getProtocolStack().insertProtocol(hold, ProtocolStack.Position.ABOVE, FRAG4.class);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })));
        }
        ConfigurableApplicationContext context = builder.run();
        nodes.add(context);
        return context;
    }

    private static ReadinessState readiness(ConfigurableApplicationContext context) {
        return context.getBean(ApplicationAvailability.class).getReadinessState();
    }

    private int status(ConfigurableApplicationContext context, String probe) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + probe))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Holds back the message that ends a state transfer (at the top of the stack, so nothing retransmits it). */
    static final class HoldStateDone extends Protocol {
        final List<Message> held = new CopyOnWriteArrayList<>();
        private volatile boolean holding = true;

        @Override
        public Object up(Message msg) {
            if (holding && isStateDone(msg)) {
                held.add(msg);
                return null;
            }
            return up_prot.up(msg);
        }

        @Override
        public void up(MessageBatch batch) {
            for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
                Message msg = it.next();
                if (holding && isStateDone(msg)) {
                    held.add(msg);
                    it.remove();
                }
            }
            if (!batch.isEmpty()) {
                up_prot.up(batch);
            }
        }

        void release() {
            holding = false;
            held.forEach(up_prot::up);
        }

        private static boolean isStateDone(Message msg) {
            return msg.hasArray() && msg.getLength() >= 2
                    && msg.getArray()[msg.getOffset() + 1] == WireFormat.Type.STATE_DONE.code();
        }
    }
}
