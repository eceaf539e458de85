package io.gossipcache.benchmarks.local;

import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 23's codec question, measured before a codec is chosen: one value encoded and decoded (ns), and its size
 * (bytes), with
 * <ul>
 * <li>{@code java}: Java serialization, the engine's {@link DefaultCodec} with its allow-list (today's codec);</li>
 * <li>{@code json}: Jackson (the mapper Spring Boot configures), the value's class name first, checked against a set
 * of allowed classes before the class is loaded, then the JSON of the value; no polymorphic typing, so nested values
 * are read as their declared types;</li>
 * <li>{@code fory}: Apache Fory in Java mode with class registration required (the registered classes are the
 * allow-list).</li>
 * </ul>
 * Values: {@code order}, a record with a {@code BigDecimal}, an {@code Instant} and a list of 3 records (the shape a
 * {@code @Cacheable} method returns), and {@code text}, a 100-character {@code String}. The records are
 * {@code Serializable} only so that Java serialization can take part.
 *
 * <pre>
 * java -cp benchmarks.jar org.openjdk.jmh.Main CodecBenchmark        # ns per round trip
 * java -cp benchmarks.jar io.gossipcache.benchmarks.local.CodecBenchmark   # bytes per value
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

    /** An order line. */
    public record Line(String sku, int quantity, BigDecimal price) implements Serializable {
    }

    /** What a {@code @Cacheable} method of an order service returns. */
    public record Order(long id, String customer, Instant placedAt, BigDecimal total, List<Line> lines)
            implements Serializable {
    }

    @Param({"order", "text"})
    public String value;

    private Object sample;
    private DefaultCodec java;
    private TypedJson json;
    private ThreadSafeFory fory;

    @Setup
    public void setUp() {
        sample = sample(value);
        java = new DefaultCodec(AllowList.of(List.of(Order.class.getName(), Line.class.getName())));
        json = new TypedJson(JsonMapper.builder().build(), Set.of(Order.class, Line.class, String.class));
        fory = newFory();
        for (Codec codec : List.<Codec>of(v -> java.decode(java.encode(v), 0, java.encode(v).length),
                v -> json.decode(json.encode(v)), v -> fory.deserialize(fory.serialize(v)))) {
            if (!sample.equals(codec.roundTrip(sample))) {
                throw new IllegalStateException("a codec does not round-trip " + sample);
            }
        }
    }

    @Benchmark
    public Object java() {
        byte[] bytes = java.encode(sample);
        return java.decode(bytes, 0, bytes.length);
    }

    @Benchmark
    public Object json() {
        return json.decode(json.encode(sample));
    }

    @Benchmark
    public Object fory() {
        return fory.deserialize(fory.serialize(sample));
    }

    static Object sample(String kind) {
        if (kind.equals("text")) {
            return "x".repeat(90) + "0123456789";
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(new Line("SKU-" + (1000 + i), i + 1, new BigDecimal("19.90").add(BigDecimal.valueOf(i))));
        }
        return new Order(42, "ACME Corp", Instant.parse("2026-12-07T10:15:30.123Z"), new BigDecimal("65.70"),
                lines);
    }

    static ThreadSafeFory newFory() {
        ThreadSafeFory fory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true)
                .withRefTracking(false).buildThreadSafeFory();
        fory.register(Order.class);
        fory.register(Line.class);
        return fory;
    }

    /** Bytes per value of each codec. */
    public static void main(String[] args) {
        DefaultCodec java = new DefaultCodec(AllowList.of(List.of(Order.class.getName(), Line.class.getName())));
        TypedJson json = new TypedJson(JsonMapper.builder().build(), Set.of(Order.class, Line.class, String.class));
        ThreadSafeFory fory = newFory();
        System.out.println("| value | java (B) | json (B) | fory (B) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (String kind : List.of("order", "text")) {
            Object v = sample(kind);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", kind, java.encode(v).length,
                    json.encode(v).length, fory.serialize(v).length);
        }
    }

    private interface Codec {
        Object roundTrip(Object value);
    }

    /** The JSON candidate: {@code className '\n' json}; the class is checked before it is loaded. */
    static final class TypedJson {
        private final JsonMapper mapper;
        private final Set<String> allowed = new java.util.HashSet<>();

        TypedJson(JsonMapper mapper, Set<Class<?>> allowed) {
            this.mapper = mapper;
            allowed.forEach(c -> this.allowed.add(c.getName()));
        }

        byte[] encode(Object value) {
            byte[] name = value.getClass().getName().getBytes(StandardCharsets.UTF_8);
            byte[] body = mapper.writeValueAsBytes(value);
            byte[] out = new byte[name.length + 1 + body.length];
            System.arraycopy(name, 0, out, 0, name.length);
            out[name.length] = '\n';
            System.arraycopy(body, 0, out, name.length + 1, body.length);
            return out;
        }

        Object decode(byte[] bytes) {
            int end = 0;
            while (bytes[end] != '\n') {
                end++;
            }
            String name = new String(bytes, 0, end, StandardCharsets.UTF_8);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("not allowed: " + name);
            }
            try {
                Class<?> type = Class.forName(name, false, CodecBenchmark.class.getClassLoader());
                return mapper.readValue(bytes, end + 1, bytes.length - end - 1, type);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
