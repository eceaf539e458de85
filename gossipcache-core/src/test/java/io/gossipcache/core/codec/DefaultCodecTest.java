package io.gossipcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultCodecTest {

    private final DefaultCodec jdkOnly = new DefaultCodec();

    static Stream<Object> jdkValues() {
        Map<String, List<Integer>> map = new HashMap<>();
        map.put("a", List.of(1, 2, 3));
        return Stream.of("", "hello", "ünïcødé ✓", 0L, Long.MIN_VALUE, Long.MAX_VALUE, 42, Integer.MIN_VALUE,
                new byte[] {1, 2, 3}, new byte[0], 3.14d, true, 'x', new BigDecimal("12.50"), Instant.ofEpochSecond(7),
                UUID.randomUUID(), new ArrayList<>(List.of("x", "y")), map, new int[] {4, 5}, new String[] {"s"});
    }

    @ParameterizedTest
    @MethodSource("jdkValues")
    void roundTripsJdkValues(Object value) {
        Object back = jdkOnly.decode(jdkOnly.encode(value));
        assertThat(back).isEqualTo(value);
        assertThat(back.getClass()).isEqualTo(value.getClass());
    }

    @Test
    void commonTypesUseCompactEncodings() {
        assertThat(jdkOnly.encode("abc")).hasSize(4);
        assertThat(jdkOnly.encode(7L)).hasSize(9);
        assertThat(jdkOnly.encode(new byte[10])).hasSize(11);
    }

    @Test
    void roundTripsApplicationTypesInAllowedPackages() {
        DefaultCodec codec = new DefaultCodec(AllowList.of(List.of("io.gossipcache.core.codec.*")));
        Book book = new Book("Dune", 1965);
        assertThat(codec.decode(codec.encode(book))).isEqualTo(book);
    }

    @Test
    void exactClassNamesCanBeAllowed() {
        DefaultCodec codec = new DefaultCodec(AllowList.of(List.of(Book.class.getName())));
        assertThat(codec.decode(codec.encode(new Book("Emma", 1815)))).isEqualTo(new Book("Emma", 1815));
    }

    /** What a peer with a wider allow-list (or a hostile one) sends. */
    private final DefaultCodec lenient = new DefaultCodec(AllowList.of(List.of(Gadget.class.getName())));

    @Test
    void refusesClassesOutsideTheAllowListWithoutRunningTheirCode() {
        Gadget.READS.set(0);
        byte[] bytes = lenient.encode(new Gadget());
        assertThatThrownBy(() -> jdkOnly.decode(bytes))
                .isInstanceOf(RejectedClassException.class)
                .hasMessageContaining(Gadget.class.getName());
        assertThat(Gadget.READS).hasValue(0);
    }

    @Test
    void refusesAClassOutsideTheListNestedInAnAllowedCollection() {
        Gadget.READS.set(0);
        byte[] bytes = lenient.encode(new ArrayList<>(List.of("fine", new Gadget())));
        assertThatThrownBy(() -> jdkOnly.decode(bytes)).isInstanceOf(RejectedClassException.class);
        assertThat(Gadget.READS).hasValue(0);
    }

    @Test
    void aWriteOfAClassOutsideTheAllowListFailsOnTheWriterNamingThePropertyAndThePackage() {
        for (Object value : List.of(new Gadget(), new ArrayList<>(List.of("fine", new Gadget())),
                new Gadget[] {new Gadget()}, Map.of("k", new Book("Emma", 1815)))) {
            Class<?> refused = value instanceof Map ? Book.class : Gadget.class;
            assertThatThrownBy(() -> jdkOnly.encode(value)).as("%s", value)
                    .isInstanceOf(RejectedClassException.class)
                    .hasMessageContaining(refused.getName())
                    .hasMessageContaining(refused.getPackageName())
                    .hasMessageContaining("gossipcache.serialization.allowed-packages");
        }
        assertThat(jdkOnly.decode(jdkOnly.encode(new ArrayList<>(List.of(1, 2L, "three"))))).isEqualTo(List.of(1, 2L, "three"));
        assertThat(jdkOnly.decode(jdkOnly.encode(new int[] {1, 2}))).isEqualTo(new int[] {1, 2});
    }

    @Test
    void aValueThatCannotBeSerializedFailsNamingItsClass() {
        assertThatThrownBy(() -> jdkOnly.encode(new NotSerializable()))
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> jdkOnly.encode(new ArrayList<>(List.of(new NotSerializable()))))
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> jdkOnly.encode(Optional.of("x"))) // Optional is not Serializable
                .isInstanceOf(NotSerializableValueException.class)
                .hasMessageContaining("java.util.Optional");
    }

    @Test
    void malformedBytesFailCleanly() {
        assertThatThrownBy(() -> jdkOnly.decode(new byte[0])).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> jdkOnly.decode(new byte[] {77})).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> jdkOnly.decode(new byte[] {2, 1, 2})).isInstanceOf(CodecException.class);
        // an Integer whose 8 bytes hold a long out of int range (found by the live-node fuzzer)
        assertThatThrownBy(() -> jdkOnly.decode(new byte[] {3, 0, 0, 1, 0, 0, 0, 0, 0})).isInstanceOf(CodecException.class);
        byte[] serialized = jdkOnly.encode(new BigDecimal("1.5"));
        byte[] truncated = java.util.Arrays.copyOf(serialized, serialized.length - 3);
        assertThatThrownBy(() -> jdkOnly.decode(truncated)).isInstanceOf(CodecException.class);
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

    static final class NotSerializable {
    }

    /** Counts how often Java deserialization ran its code. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            READS.incrementAndGet();
            in.defaultReadObject();
        }
    }
}
