package io.gossipcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultCodecTest {

    private static final ClassLoader LOADER = DefaultCodecTest.class.getClassLoader();
    private static final AllowList THIS_PACKAGE = AllowList.of(List.of("io.gossipcache.core.codec.*"));

    private static DefaultCodec jdkOnly(ObjectFormat format) {
        return new DefaultCodec(AllowList.jdkOnly(), LOADER, format);
    }

    private static DefaultCodec allowingThisPackage(ObjectFormat format) {
        return new DefaultCodec(THIS_PACKAGE, LOADER, format);
    }

    static Stream<Arguments> jdkValues() {
        Map<String, List<Integer>> map = new HashMap<>();
        map.put("a", List.of(1, 2, 3));
        Map<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        List<Object> values = List.of("", "hello", "ünïcødé ✓", 0L, Long.MIN_VALUE, Long.MAX_VALUE, 42,
                Integer.MIN_VALUE, new byte[] {1, 2, 3}, new byte[0], 3.14d, true, 'x', new BigDecimal("12.50"),
                new BigDecimal("1E+3"), new BigInteger("123456789012345678901234567890"), Instant.ofEpochSecond(7, 9),
                LocalDate.of(2026, 12, 7), LocalDateTime.of(2026, 12, 7, 16, 43, 5, 7),
                ZonedDateTime.of(2026, 12, 7, 16, 43, 0, 0, ZoneId.of("Europe/Paris")), Duration.ofMillis(1500),
                UUID.randomUUID(), new ArrayList<>(List.of("x", "y")), List.of(1, 2), List.of(), map, ordered,
                new TreeMap<>(Map.of("b", 2, "a", 1)), Set.of("s"), new int[] {4, 5}, new String[] {"s"});
        return Stream.of(ObjectFormat.values())
                .flatMap(format -> values.stream().map(value -> Arguments.of(format, value)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jdkValues")
    void roundTripsJdkValuesExactly(ObjectFormat format, Object value) {
        DefaultCodec codec = jdkOnly(format);
        Object back = codec.decode(codec.encode(value));
        assertThat(back).isEqualTo(value);
        assertThat(back.getClass()).isEqualTo(value.getClass());
        if (value instanceof BigDecimal decimal) {
            assertThat(((BigDecimal) back).scale()).isEqualTo(decimal.scale());
        }
        if (value instanceof ZonedDateTime zoned) {
            assertThat(((ZonedDateTime) back).getZone()).isEqualTo(zoned.getZone());
        }
    }

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void commonTypesUseCompactEncodingsInEveryFormat(ObjectFormat format) {
        DefaultCodec codec = jdkOnly(format);
        assertThat(codec.encode("abc")).containsExactly(1, 'a', 'b', 'c');
        assertThat(codec.encode(7L)).hasSize(9);
        assertThat(codec.encode(new byte[10])).hasSize(11);
    }

    @Test
    void foryNeedsNoSerializableAndRoundTripsRecordsOfRecords() {
        DefaultCodec codec = allowingThisPackage(ObjectFormat.FORY);
        Order order = new Order(7, "ACME", Instant.ofEpochMilli(1_767_225_600_123L), new BigDecimal("20.10"),
                List.of(new Line("pen", 2, new BigDecimal("1.05")), new Line("ink", 1, new BigDecimal("18.00"))),
                Optional.of("gift"), Status.SHIPPED);
        byte[] bytes = codec.encode(order);
        assertThat(codec.decode(bytes)).isEqualTo(order);
        assertThat(bytes.length).as("Fory is compact").isLessThan(200);

        Pojo pojo = new Pojo();
        pojo.name = "p";
        pojo.tags = new ArrayList<>(List.of("a", "b"));
        pojo.order = order;
        Pojo back = (Pojo) codec.decode(codec.encode(pojo));
        assertThat(back).usingRecursiveComparison().isEqualTo(pojo);
    }

    @Test
    void foryKeepsSharedAndCyclicReferences() {
        DefaultCodec codec = allowingThisPackage(ObjectFormat.FORY);
        Line shared = new Line("pen", 1, BigDecimal.ONE);
        @SuppressWarnings("unchecked")
        List<Line> twice = (List<Line>) codec.decode(codec.encode(new ArrayList<>(List.of(shared, shared))));
        assertThat(twice.get(0)).isSameAs(twice.get(1));

        Pojo cyclic = new Pojo();
        cyclic.self = cyclic;
        Pojo back = (Pojo) codec.decode(codec.encode(cyclic));
        assertThat(back.self).isSameAs(back);
    }

    @Test
    void javaSerializationStillNeedsSerializable() {
        assertThatThrownBy(() -> allowingThisPackage(ObjectFormat.JAVA).encode(new Line("pen", 1, BigDecimal.ONE)))
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining(Line.class.getName())
                .hasMessageContaining("gossipcache.serialization.codec=fory");
        assertThatThrownBy(() -> jdkOnly(ObjectFormat.JAVA).encode(Optional.of("x"))) // Optional is not Serializable
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining("java.util.Optional");
    }

    @Test
    void everyFormatReadsTheOther() {
        DefaultCodec java = allowingThisPackage(ObjectFormat.JAVA);
        DefaultCodec fory = java.writing(ObjectFormat.FORY);
        Book book = new Book("Dune", 1965);
        assertThat(java.encode(book)[0]).isEqualTo((byte) 9);
        assertThat(fory.encode(book)[0]).isEqualTo((byte) 10);
        assertThat(fory.decode(java.encode(book))).isEqualTo(book);
        assertThat(java.decode(fory.encode(book))).isEqualTo(book);
        assertThat(fory.writing(ObjectFormat.FORY)).isSameAs(fory);
        assertThat(fory.writing(ObjectFormat.JAVA).format()).isEqualTo(ObjectFormat.JAVA);
    }

    @Test
    void keysAreEncodedByTheirClassSoThatEqualKeysGiveEqualBytesWhateverTheFormat() {
        DefaultCodec javaKeys = allowingThisPackage(ObjectFormat.JAVA).forKeys();
        DefaultCodec foryKeys = allowingThisPackage(ObjectFormat.FORY).forKeys();
        Book serializable = new Book("Emma", 1815);
        assertThat(foryKeys.encode(serializable)).as("a Serializable key: as every earlier release wrote it")
                .isEqualTo(javaKeys.encode(serializable)).startsWith(9);
        Line plain = new Line("pen", 1, BigDecimal.ONE);
        assertThat(foryKeys.encode(plain)).startsWith(10)
                .isEqualTo(foryKeys.encode(new Line(new String("pen"), 1, new BigDecimal("1"))));
        Shelf mixed = new Shelf(plain); // Serializable, holding a part that is not
        assertThat(foryKeys.encode(mixed)).startsWith(10);
        assertThat(foryKeys.decode(foryKeys.encode(mixed))).isEqualTo(mixed);
        assertThat(foryKeys.forKeys()).isSameAs(foryKeys);
    }

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void exactClassNamesCanBeAllowed(ObjectFormat format) {
        DefaultCodec codec = new DefaultCodec(AllowList.of(List.of(Book.class.getName())), LOADER, format);
        assertThat(codec.decode(codec.encode(new Book("Emma", 1815)))).isEqualTo(new Book("Emma", 1815));
    }

    /** What a peer with a wider allow-list (or a hostile one) sends. */
    private static DefaultCodec lenient(ObjectFormat format) {
        return new DefaultCodec(AllowList.of(List.of(Gadget.class.getName(), Line.class.getName())), LOADER, format);
    }

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void refusesClassesOutsideTheAllowListWithoutRunningTheirCode(ObjectFormat format) {
        Gadget.READS.set(0);
        for (Object sent : List.of(new Gadget(), new ArrayList<>(List.of("fine", new Gadget())),
                Map.of("k", new Gadget()), new Gadget[] {new Gadget()})) {
            byte[] bytes = lenient(format).encode(sent);
            for (ObjectFormat reader : ObjectFormat.values()) {
                assertThatThrownBy(() -> jdkOnly(reader).decode(bytes)).as("%s read by %s", sent, reader)
                        .isInstanceOf(RejectedClassException.class)
                        .hasMessageContaining(Gadget.class.getName())
                        .hasMessageContaining("gossipcache.serialization.allowed-packages");
            }
        }
        assertThat(Gadget.READS).hasValue(0);
        byte[] record = lenient(ObjectFormat.FORY).encode(new Line("pen", 1, BigDecimal.ONE));
        assertThatThrownBy(() -> jdkOnly(ObjectFormat.FORY).decode(record)).isInstanceOf(RejectedClassException.class);
    }

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void aWriteOfAClassOutsideTheAllowListFailsOnTheWriterNamingThePropertyAndThePackage(ObjectFormat format) {
        DefaultCodec codec = jdkOnly(format);
        for (Object value : List.of(new Gadget(), new ArrayList<>(List.of("fine", new Gadget())),
                new Gadget[] {new Gadget()}, Map.of("k", new Book("Emma", 1815)))) {
            Class<?> refused = value instanceof Map ? Book.class : Gadget.class;
            assertThatThrownBy(() -> codec.encode(value)).as("%s", value)
                    .isInstanceOf(RejectedClassException.class)
                    .hasMessageContaining(refused.getName())
                    .hasMessageContaining(refused.getPackageName())
                    .hasMessageContaining("gossipcache.serialization.allowed-packages");
        }
        assertThat(codec.decode(codec.encode(new ArrayList<>(List.of(1, 2L, "three"))))).isEqualTo(List.of(1, 2L, "three"));
        assertThat(codec.decode(codec.encode(new int[] {1, 2}))).isEqualTo(new int[] {1, 2});
    }

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void malformedBytesFailCleanly(ObjectFormat format) {
        DefaultCodec codec = jdkOnly(format);
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {77})).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {2, 1, 2})).isInstanceOf(CodecException.class);
        // an Integer whose 8 bytes hold a long out of int range (found by the live-node fuzzer)
        assertThatThrownBy(() -> codec.decode(new byte[] {3, 0, 0, 1, 0, 0, 0, 0, 0})).isInstanceOf(CodecException.class);
        byte[] encoded = codec.encode(new BigDecimal("1.5"));
        byte[] truncated = Arrays.copyOf(encoded, encoded.length - 3);
        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(CodecException.class);
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 2);
        assertThatThrownBy(() -> codec.decode(trailing)).isInstanceOf(CodecException.class);
    }

    /**
     * Bytes from a member are trusted to be whole, not to be well-formed: a mutated encoding decodes to something or
     * fails with a {@link CodecException}; nothing else escapes (no error, no class initialized, no hang).
     */
    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void mutatedEncodingsDecodeOrFailWithACodecException(ObjectFormat format) {
        long seed = new Random().nextLong();
        System.out.println("DefaultCodecTest mutations seed " + seed + " (" + format + ")");
        Random random = new Random(seed);
        DefaultCodec codec = allowingThisPackage(format);
        byte[] valid = codec.encode(new Book("Dune", 1965));
        byte[] order = codec.writing(ObjectFormat.FORY).encode(new Order(1, "c", Instant.EPOCH, BigDecimal.TEN,
                List.of(new Line("a", 1, BigDecimal.ONE)), Optional.empty(), Status.NEW));
        for (int i = 0; i < 5_000; i++) {
            byte[] mutated = (random.nextBoolean() ? valid : order).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[1 + random.nextInt(mutated.length - 1)] = (byte) random.nextInt(256);
            }
            byte[] bytes = random.nextInt(8) == 0 ? Arrays.copyOf(mutated, 1 + random.nextInt(mutated.length))
                    : mutated;
            try {
                codec.decode(bytes);
            } catch (CodecException expected) {
                // refused cleanly
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + ", bytes " + Arrays.toString(bytes), e);
            }
        }
    }

    @Test
    void reflectionAndProcessClassesAreNeverAllowed() {
        AllowList list = AllowList.of(List.of());
        assertThat(list.allows("java.lang.ProcessBuilder")).isFalse();
        assertThat(list.allows("java.lang.reflect.Proxy")).isFalse();
        assertThat(list.allows("java.lang.invoke.SerializedLambda")).isFalse();
        assertThat(list.allows("java.util.HashMap")).isTrue();
        assertThat(list.allows("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
    }

    record Book(String title, int year) implements Serializable {
    }

    /** What a @Cacheable method returns: records, not Serializable. */
    record Line(String sku, int quantity, BigDecimal price) {
    }

    enum Status { NEW, SHIPPED }

    record Order(long id, String customer, Instant placedAt, BigDecimal total, List<Line> lines, Optional<String> note,
                 Status status) {
    }

    /** Serializable, but holding a part that is not. */
    record Shelf(Line line) implements Serializable {
    }

    /** A plain class: no Serializable, no constructor arguments. */
    static final class Pojo {
        String name;
        List<String> tags;
        Order order;
        Pojo self;
    }

    /** Counts how often deserialization ran its code. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            READS.incrementAndGet();
            in.defaultReadObject();
        }
    }
}
