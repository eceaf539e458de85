package io.gossipcache.benchmarks.cluster;

import io.gossipcache.benchmarks.local.CodecBenchmark;
import io.gossipcache.benchmarks.member.MemberOptions;
import io.gossipcache.core.EngineConfig;
import io.gossipcache.core.codec.AllowList;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.ObjectFormat;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * gossipcache as {@link GossipCacheSystem} runs it, but every value a record, as a {@code @Cacheable} method returns
 * one, encoded by the default codec in one {@link ObjectFormat} (issue 23): a {@link Quote} holding the scenario's
 * bytes (100 B, with its timestamps) next to a symbol, a price, a time and two venues.
 */
public abstract class RecordValueSystem extends GossipCacheSystem {

    /** A quote. {@code Serializable} only so that Java serialization can take part. */
    public record Quote(String symbol, BigDecimal price, Instant at, List<String> venues, byte[] data)
            implements Serializable {
    }

    /** Java serialization. */
    public static final class Java extends RecordValueSystem {
        public Java() {
            super(ObjectFormat.JAVA);
        }
    }

    /** Apache Fory. */
    public static final class Fory extends RecordValueSystem {
        public Fory() {
            super(ObjectFormat.FORY);
        }
    }

    /** JSON (Jackson, the mapper Boot configures by default) with the class name first; keys stay strings. */
    public static final class Json extends RecordValueSystem {
        public Json() {
            super(null);
        }
    }

    private static final List<String> VENUES = List.of("XNAS", "XNYS");

    private final ObjectFormat format; // null: JSON

    RecordValueSystem(ObjectFormat format) {
        this.format = format;
    }

    @Override
    public String name() {
        return "records-" + (format == null ? "json" : format.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String describe(MemberOptions o) {
        return "As gossipcache, with every value a `Quote(String, BigDecimal, Instant, List<String>, byte[100])`"
                + " record encoded by " + (format == null ? "Jackson (`CodecBenchmark.TypedJson`)"
                : "`DefaultCodec` in `ObjectFormat." + format + "`") + ".";
    }

    @Override
    EngineConfig.Builder configure(EngineConfig.Builder engineConfig) {
        DefaultCodec codec = new DefaultCodec(AllowList.of(List.of(Quote.class.getName())),
                Quote.class.getClassLoader(), format == null ? ObjectFormat.JAVA : format);
        Codec values = format == null
                ? new CodecBenchmark.TypedJson(JsonMapper.builder().build(), Set.of(Quote.class)) : codec;
        return engineConfig.keyCodec(codec).valueCodec(values);
    }

    private static Quote quote(String key, byte[] value) {
        return new Quote(key, BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(100_000), 2), Instant.now(),
                VENUES, value);
    }

    @Override
    public void put(String key, byte[] value) {
        cache().put(key, quote(key, value), Duration.ZERO);
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        cache().put(key, quote(key, value), Duration.ofMillis(ttlMillis));
    }

    @Override
    public byte[] get(String key) {
        Quote quote = (Quote) cache().get(key);
        return quote == null ? null : quote.data();
    }
}
