package io.gossipcache.benchmarks.local;

import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.ObjectFormat;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Issue 23's codec question: one value encoded and decoded (ns), and its size (bytes), with
 * <ul>
 * <li>{@code java}: the engine's {@link DefaultCodec} in {@link ObjectFormat#JAVA} (Java serialization) with its
 * allow-list;</li>
 * <li>{@code json}: Jackson (the mapper Spring Boot configures), the value's class name first, checked against a set
 * of allowed classes before the class is loaded, then the JSON of the value; no polymorphic typing, so nested values
 * are read as their declared types;</li>
 * <li>{@code fory}: the engine's {@link DefaultCodec} in {@link ObjectFormat#FORY} (Apache Fory, the allow-list
 * checked by Fory, references tracked, the class version checked): what the starter ships.</li>
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
    private DefaultCodec fory;

    @Setup
    public void setUp() {
        sample = sample(value);
        java = codec(ObjectFormat.JAVA);
        json = new TypedJson(JsonMapper.builder().build(), Set.of(Order.class, Line.class, String.class));
        fory = codec(ObjectFormat.FORY);
        for (Codec codec : List.<Codec>of(v -> java.decode(java.encode(v)), v -> json.decode(json.encode(v)),
                v -> fory.decode(fory.encode(v)))) {
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
        byte[] bytes = fory.encode(sample);
        return fory.decode(bytes, 0, bytes.length);
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

    static DefaultCodec codec(ObjectFormat format) {
        return new DefaultCodec(AllowList.of(List.of(Order.class.getName(), Line.class.getName())),
                CodecBenchmark.class.getClassLoader(), format);
    }

    /** Bytes per value of each codec. */
    public static void main(String[] args) {
        DefaultCodec java = codec(ObjectFormat.JAVA);
        TypedJson json = new TypedJson(JsonMapper.builder().build(), Set.of(Order.class, Line.class, String.class));
        DefaultCodec fory = codec(ObjectFormat.FORY);
        System.out.println("| value | java (B) | json (B) | fory (B) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (String kind : List.of("order", "text")) {
            Object v = sample(kind);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", kind, java.encode(v).length,
                    json.encode(v).length, fory.encode(v).length);
        }
    }

    private interface Codec {
        Object roundTrip(Object value);
    }

    /**
     * The JSON candidate, as a codec: {@code className '\n' json}; the class is checked against the allowed ones
     * before it is loaded; nested values are read as their declared types (no polymorphic typing).
     */
    public static final class TypedJson implements io.gossipcache.core.codec.Codec {
        private final JsonMapper mapper;
        private final Set<String> allowed = new java.util.HashSet<>();

        public TypedJson(JsonMapper mapper, Set<Class<?>> allowed) {
            this.mapper = mapper;
            allowed.forEach(c -> this.allowed.add(c.getName()));
        }

        @Override
        public byte[] encode(Object value) {
            byte[] name = value.getClass().getName().getBytes(StandardCharsets.UTF_8);
            byte[] body = mapper.writeValueAsBytes(value);
            byte[] out = new byte[name.length + 1 + body.length];
            System.arraycopy(name, 0, out, 0, name.length);
            out[name.length] = '\n';
            System.arraycopy(body, 0, out, name.length + 1, body.length);
            return out;
        }

        @Override
        public Object decode(byte[] bytes, int offset, int length) {
            int end = offset;
            while (bytes[end] != '\n') {
                end++;
            }
            String name = new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
            if (!allowed.contains(name)) {
                throw new io.gossipcache.core.codec.RejectedClassException(name);
            }
            try {
                Class<?> type = Class.forName(name, false, CodecBenchmark.class.getClassLoader());
                return mapper.readValue(bytes, end + 1, offset + length - end - 1, type);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
