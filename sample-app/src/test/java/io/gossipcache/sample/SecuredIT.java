package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.sample.Http.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The sample app's {@code secured} profile, as its README section tells an operator to run it: Actuator behind an
 * operator account (health and info open), and member TLS from a keytool-made key store. Two such JVMs form a
 * cluster; a third one started without the profile, on the same cluster name and ports, stays out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredIT {

    private static final String PASSWORD = "op-" + UUID.randomUUID();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<SampleNode> nodes = new ArrayList<>();
    private SampleNode n1;
    private SampleNode n2;
    private int base;
    private String cluster;

    @BeforeAll
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void startSecuredCluster() throws Exception {
        Path store = keyStore(Paths.get("target", "it-secured", "cluster.p12"));
        cluster = "sample-secured-" + UUID.randomUUID().toString().substring(0, 8);
        base = SampleNode.clusterPortBase();
        List<String> options = List.of(
                "--spring.profiles.active=secured",
                "--SAMPLE_OPERATOR_PASSWORD=" + PASSWORD,
                "--GOSSIPCACHE_KEYSTORE=" + store.toAbsolutePath(),
                "--GOSSIPCACHE_KEYSTORE_PASSWORD=changeit",
                "--gossipcache.cluster.name=" + cluster,
                "--gossipcache.cluster.bind-port=" + base,
                "--gossipcache.cluster.port-range=4",
                "--spring.main.banner-mode=off");
        n1 = new SampleNode("secured1", SampleNode.freePort(), options);
        n2 = new SampleNode("secured2", SampleNode.freePort(), options);
        nodes.addAll(List.of(n1, n2));
        n1.start();
        awaitUp(n1);
        n2.start();
        awaitUp(n2);
        for (SampleNode node : nodes) {
            await(START_TIMEOUT).until(() -> members(node) == 2);
        }
    }

    @AfterAll
    void stopAll() {
        nodes.forEach(SampleNode::stop);
    }

    @Test
    void theModeSwitchAndClusterStateNeedTheOperator() {
        String url = n1.baseUrl() + "/actuator/gossipcache";
        Answer anonymous = Http.postJson(url, "{\"mode\":\"LOCAL\"}");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(Http.send("POST", url, "{\"mode\":\"LOCAL\"}", withAuth("operator", "wrong")).status()).isEqualTo(401);
        assertThat(Http.get(url).status()).isEqualTo(401);
        assertThat(Http.send("GET", url, null, withAuth("operator", PASSWORD)).field("mode")).isEqualTo("CLUSTERED");

        Answer local = Http.send("POST", url, "{\"mode\":\"LOCAL\"}", withAuth("operator", PASSWORD));
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.field("mode")).isEqualTo("LOCAL");
        Answer clustered = Http.send("POST", url, "{\"mode\":\"clustered\"}", withAuth("operator", PASSWORD));
        assertThat(clustered.field("mode")).isEqualTo("CLUSTERED");
        await(START_TIMEOUT).until(() -> members(n1) == 2 && members(n2) == 2);
    }

    @Test
    void healthStaysOpenForProbesWithoutDetailsAndTheCachesEndpointIsNotExposed() {
        Answer health = Http.get(n1.baseUrl() + "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.field("status")).isEqualTo("UP");
        assertThat(health.json().get("components")).isNull();
        Answer detailed = Http.send("GET", n1.baseUrl() + "/actuator/health", null, withAuth("operator", PASSWORD));
        assertThat(detailed.json().get("components").get("gossipCache").get("details").get("members").asInt()).isEqualTo(2);
        assertThat(Http.send("DELETE", n1.baseUrl() + "/actuator/caches", null, withAuth("operator", PASSWORD)).status())
                .isEqualTo(404);
    }

    @Test
    void membersReplicateOverTlsAndAProcessWithoutTheCertificateStaysOut() {
        assertThat(Http.put(n1.baseUrl() + "/cache/items/k1", "v1").status()).isEqualTo(200);
        await(Duration.ofSeconds(20)).until(() -> "v1".equals(Http.get(n2.baseUrl() + "/cache/items/k1").field("value")));
        // keys may hold '/' (as %2F), which Spring Security's firewall refuses unless told otherwise
        assertThat(Http.put(n1.baseUrl() + "/cache/items/a%2Fb", "slash").status()).isEqualTo(200);

        SampleNode outsider = new SampleNode("outsider", SampleNode.freePort(), List.of(
                "--gossipcache.cluster.name=" + cluster,
                "--gossipcache.cluster.bind-port=" + base,
                "--gossipcache.cluster.port-range=4",
                "--spring.main.banner-mode=off"));
        nodes.add(outsider);
        outsider.start();
        awaitUp(outsider);
        Http.put(n1.baseUrl() + "/cache/items/k2", "v2");
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() ->
                Http.get(outsider.baseUrl() + "/actuator/gossipcache").json().get("members").size() == 1
                        && members(n1) == 2 && Http.get(outsider.baseUrl() + "/cache/items/k2").status() == 404);
        outsider.stop();
    }

    private static Map<String, String> withAuth(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Map.of("Authorization", "Basic " + token, "Content-Type", "application/json");
    }

    private static int members(SampleNode node) {
        return Http.send("GET", node.baseUrl() + "/actuator/gossipcache", null, withAuth("operator", PASSWORD))
                .json().get("members").size();
    }

    private void awaitUp(SampleNode node) {
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                .alias(node.label + " up " + node.logHint()).until(() -> {
                    if (!node.isAlive()) {
                        throw new IllegalStateException(node.label + " exited " + node.logHint());
                    }
                    return Http.get(node.baseUrl() + "/actuator/health").status() == 200;
                });
    }

    private static org.awaitility.core.ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    /** The README's keytool command: one EC key pair, self-signed, in a PKCS12 store that is its own trust store. */
    private static Path keyStore(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-dname", "CN=gossipcache-sample", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit", "-noprompt").redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            keytool.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
        }
        return file;
    }
}
