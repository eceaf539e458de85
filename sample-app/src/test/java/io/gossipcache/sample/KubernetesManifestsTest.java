package io.gossipcache.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.autoconfigure.GossipCacheProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.validation.BeanPropertyBindingResult;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes} configure what they mean to: every {@code GOSSIPCACHE_*}
 * variable they set binds to a real gossipcache property (as Boot binds environment variables, so a misspelt or
 * wrongly split name fails here, not silently in a cluster) and the result passes the properties' validation; the
 * headless service publishes pods that are not ready; the probes use Boot's readiness and liveness groups; the
 * member TLS key store comes from the secret.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    @ParameterizedTest
    @ValueSource(strings = { "statefulset.yaml", "deployment.yaml" })
    void everyGossipcacheVariableIsARealPropertyAndTheSettingsAreValid(String file) throws IOException {
        Map<String, Object> env = gossipcacheVariables(container(load(file)));
        assertThat(env).containsKeys("GOSSIPCACHE_CLUSTER_DISCOVERY_TYPE", "GOSSIPCACHE_CLUSTER_DISCOVERY_DNS_QUERY");

        GossipCacheProperties properties = bind(env);

        assertThat(properties.getCluster().getDiscovery().getType()).isEqualTo(GossipCacheProperties.DiscoveryType.DNS);
        assertThat(properties.getCluster().getDiscovery().getDns().getQuery())
                .singleElement().asString().startsWith(headlessServiceName() + ".");
        assertThat(properties.getCluster().getPortRange()).isZero();
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(properties, "gossipcache");
        properties.validate(properties, errors);
        assertThat(errors.getAllErrors()).isEmpty();
    }

    @Test
    void aVariableThatBindsToNothingIsCaught() {
        // Boot maps record-type to RECORDTYPE: the underscore splits the name into two levels that do not exist
        assertThatThrownBy(() -> bind(Map.of("GOSSIPCACHE_CLUSTER_DISCOVERY_DNS_RECORD_TYPE", "A")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(Map.of("GOSSIPCACHE_CLUSTER_SEED", "a[7800]"))).isInstanceOf(BindException.class);
    }

    @Test
    void theHeadlessServicePublishesPodsBeforeTheyAreReady() throws IOException {
        Map<String, Object> service = load("gossip-service.yaml");
        Map<String, Object> spec = map(service.get("spec"));
        assertThat(spec).containsEntry("clusterIP", "None").containsEntry("publishNotReadyAddresses", true);
        assertThat(list(spec.get("ports"))).extracting(p -> map(p).get("port")).contains(7800);
        assertThat(map(load("statefulset.yaml").get("spec"))).containsEntry("serviceName", headlessServiceName())
                .containsEntry("podManagementPolicy", "Parallel");
    }

    @ParameterizedTest
    @ValueSource(strings = { "statefulset.yaml", "deployment.yaml" })
    void probesUseBootsReadinessAndLivenessGroupsAndTlsComesFromTheSecret(String file) throws IOException {
        Map<String, Object> workload = load(file);
        Map<String, Object> container = container(workload);
        assertThat(map(map(container.get("readinessProbe")).get("httpGet"))).containsEntry("path", "/actuator/health/readiness");
        assertThat(map(map(container.get("livenessProbe")).get("httpGet"))).containsEntry("path", "/actuator/health/liveness");

        String keyStore = (String) allVariables(container).get("GOSSIPCACHE_KEYSTORE");
        Map<String, Object> mount = list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
                .filter(m -> keyStore.startsWith(m.get("mountPath") + "/")).findFirst().orElseThrow();
        Map<String, Object> volume = list(podSpec(workload).get("volumes")).stream().map(KubernetesManifestsTest::map)
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        Map<String, Object> secret = map(volume.get("secret"));
        assertThat(list(secret.get("items"))).extracting(i -> map(i).get("path"))
                .contains(keyStore.substring(keyStore.lastIndexOf('/') + 1));
        assertThat(applicationPlaceholders()).contains("GOSSIPCACHE_KEYSTORE", "GOSSIPCACHE_KEYSTORE_PASSWORD");
    }

    @Test
    void theKustomizationListsFilesThatExist() throws IOException {
        for (Object resource : list(load("kustomization.yaml").get("resources"))) {
            assertThat(DIR.resolve((String) resource)).exists();
        }
    }

    private static GossipCacheProperties bind(Map<String, Object> env) {
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)));
        return binder.bind("gossipcache", Bindable.of(GossipCacheProperties.class),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).orElseGet(GossipCacheProperties::new);
    }

    /** The container's GOSSIPCACHE_* variables, but the ones the application's own files read as placeholders. */
    private static Map<String, Object> gossipcacheVariables(Map<String, Object> container) throws IOException {
        Set<String> placeholders = applicationPlaceholders();
        Map<String, Object> env = new LinkedHashMap<>();
        allVariables(container).forEach((name, value) -> {
            if (name.startsWith("GOSSIPCACHE_") && !placeholders.contains(name)) {
                env.put(name, value);
            }
        });
        return env;
    }

    private static Map<String, Object> allVariables(Map<String, Object> container) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> variable = map(entry);
            env.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value") : "<from a secret or field>");
        }
        return env;
    }

    /** Environment variables that the sample app's properties files use as ${PLACEHOLDER}s. */
    private static Set<String> applicationPlaceholders() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("application")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static String headlessServiceName() throws IOException {
        return (String) map(load("gossip-service.yaml").get("metadata")).get("name");
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return map(list(podSpec(workload).get("containers")).get(0));
    }

    private static Map<String, Object> load(String file) throws IOException {
        return map(new Yaml().load(Files.readString(DIR.resolve(file))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? new ArrayList<>() : (List<Object>) o;
    }
}
