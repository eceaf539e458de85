package io.gossipcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.util.unit.DataSize;

/**
 * docs/configuration.md is the one reference of the properties, so it must not drift from the code: every
 * property of the generated metadata is listed there, nothing else is, and each listed type and default is the
 * metadata's. Values are compared as Boot binds them ({@code 2s} and {@code PT2S}, {@code 8KB} and {@code 8192B},
 * {@code A} and {@code a} are alike), not as text.
 */
class ConfigurationReferenceTests {

    private static final String REFERENCE = "docs/configuration.md";
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\.<[^>]+>\\.");
    private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,(.+)>");

    /** One row of the reference's property tables, cells as written. */
    record Row(String property, String type, String defaultValue) {
    }

    /** What the code says of a property the reference must list: its Java type and default, if any. */
    record Expected(String type, @Nullable Object metadataDefault, @Nullable Object actualDefault) {
    }

    @Test
    void theReferenceListsEveryPropertyAndNothingElse() {
        Map<String, Row> documented = rows(GeneratedMetadata.read(reference()));
        Map<String, Expected> expected = expected();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(documented.keySet());
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(expected.keySet());
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(missing).as("properties of the metadata missing from " + REFERENCE).isEmpty();
        softly.assertThat(unknown).as("properties in " + REFERENCE + " that do not exist").isEmpty();
        softly.assertAll();
    }

    @Test
    void theReferenceGivesEachPropertysTypeAndDefault() {
        Map<String, Row> documented = rows(GeneratedMetadata.read(reference()));
        SoftAssertions softly = new SoftAssertions();
        expected().forEach((name, expected) -> {
            Row row = documented.get(name);
            if (row == null) {
                return; // reported by the test above
            }
            softly.assertThat(normalizedType(row.type())).as(name + ": type in " + REFERENCE)
                    .isEqualTo(documentedType(expected.type()));
            checkDefault(softly, name, row, expected);
        });
        softly.assertAll();
    }

    @Test
    void tablesAreReadAsWritten() {
        // the parser itself: escaped pipes stay in their cell, backticks and "unset" forms are understood
        Map<String, Row> rows = rows("""
                | property | type | default | meaning | fixed |
                | --- | --- | --- | --- | --- |
                | `gossipcache.mode` | `clustered` \\| `local` | `clustered` | a \\| b | yes |
                | `gossipcache.cluster.join-timeout` | Duration | unset = `500ms`, or `2s` with TLS | x | no |
                """);
        assertThat(rows.get("gossipcache.mode")).isEqualTo(new Row("gossipcache.mode", "`clustered` \\| `local`",
                "`clustered`"));
        assertThat(documentedDefault(rows.get("gossipcache.mode").defaultValue())).isEqualTo("clustered");
        assertThat(documentedDefault(rows.get("gossipcache.cluster.join-timeout").defaultValue())).isNull();
        assertThat(normalizedType("`A` \\| `SRV`")).isEqualTo("a|srv");
        assertThat(bound("gossipcache.gossip.interval", "PT2S")).isEqualTo(bound("gossipcache.gossip.interval", "2s"))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(bound("gossipcache.limits.max-key-size", "8192B")).isEqualTo(DataSize.ofKilobytes(8));
    }

    private static void checkDefault(SoftAssertions softly, String name, Row row, Expected expected) {
        String written = documentedDefault(row.defaultValue());
        Object actual = expected.actualDefault();
        boolean empty = actual == null || actual instanceof Collection<?> c && c.isEmpty()
                || actual instanceof Map<?, ?> m && m.isEmpty();
        if (written == null) {
            softly.assertThat(expected.metadataDefault()).as(name + ": " + REFERENCE + " gives no default ('"
                    + row.defaultValue() + "') but the metadata has one").isNull();
            softly.assertThat(empty).as(name + ": " + REFERENCE + " gives no default but the property starts as "
                    + actual).isTrue();
        } else if (expected.metadataDefault() != null) {
            try {
                softly.assertThat(bound(name, written)).as(name + ": default in " + REFERENCE + " is '" + written
                        + "', the metadata's is '" + expected.metadataDefault() + "'")
                        .isEqualTo(bound(name, GeneratedMetadata.asText(expected.metadataDefault())));
            } catch (RuntimeException e) {
                softly.fail(name + ": default '" + written + "' in " + REFERENCE + " is not a valid value: " + e);
            }
        } else if (!written.equals("[]")) {
            softly.fail(name + ": " + REFERENCE + " gives the default '" + written + "', but the metadata has none"
                    + " and the property starts as " + actual);
        } else {
            softly.assertThat(empty && actual != null).as(name + ": documented as [] but starts as " + actual).isTrue();
        }
    }

    /** The value {@code text} binds to for {@code name}, as Boot binds it. */
    private static @Nullable Object bound(String name, String text) {
        return GeneratedMetadata.valueOf(GeneratedMetadata.bind(Map.of(name, text)), name);
    }

    /**
     * The properties the reference must list: those of the metadata, with a map of settings objects
     * ({@code gossipcache.caches}) spelled out as its entries' properties ({@code gossipcache.caches.<name>.ttl}).
     */
    private static Map<String, Expected> expected() {
        GossipCacheProperties defaults = GeneratedMetadata.bind(Map.of());
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (GeneratedMetadata.Property property : GeneratedMetadata.properties().values()) {
            Matcher map = MAP_TYPE.matcher(property.type());
            if (map.matches() && !map.group(1).startsWith("java.")) {
                Class<?> entryType = load(map.group(1));
                Object entryDefaults = BeanUtils.instantiateClass(entryType);
                for (PropertyDescriptor entry : BeanUtils.getPropertyDescriptors(entryType)) {
                    if (entry.getWriteMethod() != null) {
                        expected.put(property.name() + ".<name>." + GeneratedMetadata.kebabCase(entry.getName()),
                                new Expected(entry.getPropertyType().getName(), null,
                                        new BeanWrapperImpl(entryDefaults).getPropertyValue(entry.getName())));
                    }
                }
            } else {
                expected.put(property.name(), new Expected(property.type(), property.defaultValue(),
                        GeneratedMetadata.valueOf(defaults, property.name())));
            }
        }
        return expected;
    }

    /** Rows of every table whose header has property, type and default columns, by property name. */
    static Map<String, Row> rows(String markdown) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> header = null;
        String previous = "";
        for (String line : markdown.lines().map(String::trim).toList()) {
            if (!line.startsWith("|")) {
                header = null;
            } else if (line.matches("\\|[\\s|:-]+\\|")) {
                header = cells(previous).stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
            } else if (header != null && header.containsAll(List.of("property", "type", "default"))) {
                List<String> cells = cells(line);
                String name = PLACEHOLDER.matcher(cells.get(header.indexOf("property")).replace("`", "").trim())
                        .replaceAll(".<name>.");
                Row row = new Row(name, cells.get(header.indexOf("type")), cells.get(header.indexOf("default")));
                assertThat(rows.put(name, row)).as(name + " is listed twice in " + REFERENCE).isNull();
            }
            previous = line;
        }
        return rows;
    }

    /** A row's cells: split on pipes that are not escaped (a type such as `a` \| `b` holds one). */
    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && !line.endsWith("\\|") ? line.length() - 1 : line.length());
        return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::trim).toList();
    }

    /** The default a cell gives, or {@code null} when it says there is none ("unset ...", "see below", "—"). */
    static @Nullable String documentedDefault(String cell) {
        String text = cell.trim();
        if (text.isEmpty() || text.startsWith("unset") || text.equals("see below") || text.equals("—")
                || text.equals("-")) {
            return null;
        }
        Matcher code = CODE.matcher(text);
        return code.find() ? code.group(1).trim() : text;
    }

    /** A type as the reference writes it, for comparison: enums as their lower-case values, sorted, "a|b". */
    static String normalizedType(String cell) {
        if (cell.contains("\\|")) {
            return Arrays.stream(cell.split("\\\\\\|")).map(v -> v.replace("`", "").trim().toLowerCase(Locale.ROOT))
                    .sorted().collect(Collectors.joining("|"));
        }
        return cell.replace("`", "").trim();
    }

    /** How the reference writes a Java type. */
    private static String documentedType(String javaType) {
        return switch (javaType) {
            case "java.lang.Boolean", "boolean" -> "boolean";
            case "java.lang.Integer", "int" -> "int";
            case "java.lang.Long", "long" -> "long";
            case "java.lang.String" -> "String";
            case "java.time.Duration" -> "Duration";
            case "org.springframework.util.unit.DataSize" -> "DataSize";
            case "java.util.List<java.lang.String>" -> "list of String";
            default -> {
                Class<?> type = load(javaType);
                assertThat(type.isEnum()).as(javaType + ": a type " + REFERENCE + " has no spelling for").isTrue();
                yield Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                        .sorted().collect(Collectors.joining("|"));
            }
        };
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ConfigurationReferenceTests.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference, found from the module's directory (Maven runs tests there) upwards. */
    private static Path reference() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(REFERENCE))) {
                return dir.resolve(REFERENCE);
            }
        }
        throw new IllegalStateException(REFERENCE + " not found above " + Path.of("").toAbsolutePath());
    }
}
