package io.gossipcache.autoconfigure;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The configuration metadata the processor generated for {@link GossipCacheProperties} (this build's, beside the
 * class), and the values the properties take when bound: what the configuration tests compare against.
 */
final class GeneratedMetadata {

    /** One property of the metadata. */
    record Property(String name, String type, @Nullable Object defaultValue, @Nullable String description,
                    @Nullable String sourceType) {
    }

    private GeneratedMetadata() {
    }

    /** The {@code gossipcache.*} properties by name (the endpoint's management.* ones are Boot's). */
    @SuppressWarnings("unchecked")
    static Map<String, Property> properties() {
        Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(read(classesDir()
                .resolve("META-INF/spring-configuration-metadata.json")));
        Map<String, Property> properties = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) json.get("properties")) {
            String name = (String) p.get("name");
            if (name.startsWith("gossipcache.")) {
                properties.put(name, new Property(name, (String) p.get("type"), p.get("defaultValue"),
                        (String) p.get("description"), (String) p.get("sourceType")));
            }
        }
        return properties;
    }

    /** Where the main classes, and so the generated metadata, are. */
    static Path classesDir() {
        try {
            return Path.of(GossipCacheProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    /** The properties bound from exactly these values, as Boot binds them (its conversions, its validation). */
    static GossipCacheProperties bind(Map<String, String> values) {
        GossipCacheProperties properties = new GossipCacheProperties();
        new Binder(new MapConfigurationPropertySource(values)).bind("gossipcache", Bindable.ofInstance(properties));
        return properties;
    }

    /** A metadata value as a property source holds it: JSON arrays as comma-separated lists. */
    static String asText(Object jsonValue) {
        if (jsonValue instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(jsonValue);
    }

    /** The value of {@code gossipcache.a.b-c} in {@code properties}, read through its getters (a.bC). */
    static @Nullable Object valueOf(GossipCacheProperties properties, String name) {
        List<String> path = new ArrayList<>();
        for (String segment : name.substring("gossipcache.".length()).split("\\.")) {
            path.add(camelCase(segment));
        }
        return new BeanWrapperImpl(properties).getPropertyValue(String.join(".", path));
    }

    static String camelCase(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    static String kebabCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
