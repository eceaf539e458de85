package io.gossipcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.codec.DefaultCodec;
import io.micrometer.observation.ObservationRegistry;
import io.gossipcache.core.cluster.ClusterConfig;
import io.gossipcache.core.cluster.ClusterConfig.Builder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A default is written once, in the core (EngineConfig, ClusterConfig, CacheSettings) or, for what only the starter
 * has, on its property's field; these tests fail when another place disagrees: the properties bound from nothing,
 * the engine configuration made from them, and the defaults the generated metadata shows (which come from
 * META-INF/additional-spring-configuration-metadata.json for the core's settings, as the processor cannot read
 * another class's constant). The processor merges that file only when GossipCacheProperties compiles: after
 * editing the file alone, rebuild the module clean (or touch the class) before believing these tests.
 */
class ConfigurationMetadataTests {

    @Test
    void nothingConfiguredGivesTheCoresDefaults() throws Exception {
        GossipCacheProperties properties = GeneratedMetadata.bind(Map.of());
        DefaultCodec codec = EngineConfigFactory.defaultCodec(properties, List.of(), getClass().getClassLoader());
        assertThat(codec.format()).isEqualTo(DefaultCodec.DEFAULT_FORMAT);
        EngineConfig made = EngineConfigFactory.create(properties, List.of(), null, codec.forKeys(), codec, null,
                ObservationRegistry.NOOP, List.of(), List.of());
        EngineConfig core = EngineConfig.builder().build();
        // every accessor, so that a setting added to the core is compared too; codecs differ by design (Spring's
        // NullValue and SimpleKey travel) and the node name is generated per instance
        assertSameAccessors(made, core, Set.of("keyCodec", "valueCodec", "cluster"));
        assertSameAccessors(made.cluster(), ClusterConfig.builder().build(), Set.of("nodeName"));
    }

    private static void assertSameAccessors(Object actual, Object expected, Set<String> skipped) throws Exception {
        SoftAssertions softly = new SoftAssertions();
        int compared = 0;
        for (Method accessor : expected.getClass().getDeclaredMethods()) {
            int modifiers = accessor.getModifiers();
            if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || accessor.getParameterCount() > 0
                    || accessor.getReturnType() == Builder.class || accessor.getReturnType() == EngineConfig.Builder.class
                    || skipped.contains(accessor.getName()) || Set.of("toString", "hashCode").contains(accessor.getName())) {
                continue;
            }
            softly.assertThat(accessor.invoke(actual)).as(expected.getClass().getSimpleName() + "." + accessor.getName())
                    .isEqualTo(accessor.invoke(expected));
            compared++;
        }
        softly.assertThat(compared).as("accessors compared").isGreaterThan(5);
        softly.assertAll();
    }

    @Test
    void theMetadataDefaultsAreTheDefaults() {
        GossipCacheProperties defaults = GeneratedMetadata.bind(Map.of());
        SoftAssertions softly = new SoftAssertions();
        for (GeneratedMetadata.Property property : GeneratedMetadata.properties().values()) {
            if (property.sourceType() == null) {
                continue; // no field behind it: the next test names it
            }
            Object actual = GeneratedMetadata.valueOf(defaults, property.name());
            if (property.defaultValue() == null) {
                // no default shown: the property is unset (or an empty list) until configured
                if (actual instanceof Collection<?> c) {
                    softly.assertThat(c).as(property.name() + " has no metadata default, so starts empty").isEmpty();
                } else if (actual instanceof Map<?, ?> m) {
                    softly.assertThat(m).as(property.name() + " has no metadata default, so starts empty").isEmpty();
                } else {
                    softly.assertThat(actual).as(property.name() + " has a default (" + actual + ") that the metadata"
                            + " does not show: add it to additional-spring-configuration-metadata.json").isNull();
                }
                continue;
            }
            GossipCacheProperties bound = GeneratedMetadata.bind(
                    Map.of(property.name(), GeneratedMetadata.asText(property.defaultValue())));
            softly.assertThat(GeneratedMetadata.valueOf(bound, property.name()))
                    .as(property.name() + ": the metadata's default " + property.defaultValue() + " is not the actual"
                            + " default " + actual)
                    .isEqualTo(actual);
        }
        softly.assertAll();
    }

    @Test
    void everyPropertyHasATypeASourceAndADescription() {
        // a name in the additional metadata that the processor did not find would stand alone, without type or
        // source: a typo there would otherwise pass as a new property
        Map<String, GeneratedMetadata.Property> properties = GeneratedMetadata.properties();
        assertThat(properties).hasSizeGreaterThan(30);
        SoftAssertions softly = new SoftAssertions();
        for (GeneratedMetadata.Property property : properties.values()) {
            softly.assertThat(property.sourceType()).as(property.name() + " has no field behind it (a name in"
                    + " additional-spring-configuration-metadata.json that GossipCacheProperties does not have?)")
                    .startsWith(GossipCacheProperties.class.getName());
            softly.assertThat(property.type()).as(property.name() + " has no type").isNotBlank();
            softly.assertThat(property.description()).as(property.name() + " has no description (Javadoc on its field)")
                    .isNotBlank();
        }
        softly.assertAll();
    }
}
