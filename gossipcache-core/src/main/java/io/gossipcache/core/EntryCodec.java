package io.gossipcache.core;

import io.gossipcache.core.cluster.ProtocolVersion;
import io.gossipcache.core.cluster.Transport;
import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.CodecException;
import io.gossipcache.core.codec.DefaultCodec;
import io.gossipcache.core.codec.ObjectFormat;
import io.gossipcache.core.codec.SizeLimitExceededException;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.StoreEntry;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys and values to and from their bytes with the configured codecs, within the configured size limits, and
 * entries as writes for the wire. Thread-safe (the codecs are).
 *
 * <p>A {@link DefaultCodec} writes objects with Fory only once every member of the view reads it (protocol 1.2):
 * until then, during a rolling upgrade from an earlier release, it writes them with Java serialization, as that
 * release did. A value is encoded once, at its put, for every member, so the view's lowest protocol decides.
 */
final class EntryCodec {

    private static final Logger log = LoggerFactory.getLogger(EntryCodec.class);

    private final Codec keyCodec;
    private final Codec valueCodec;
    private final Codec olderKeyCodec;
    private final Codec olderValueCodec;
    private final Supplier<ProtocolVersion> lowestProtocol;
    private final OnceLog onceLog;
    private final int maxKeySize;
    private final int maxValueSize;

    /** @param lowestProtocol the lowest protocol of the current view (see {@link Transport#protocolFor}) */
    EntryCodec(EngineConfig config, Supplier<ProtocolVersion> lowestProtocol, OnceLog onceLog) {
        // keys by the key codec's rule for keys, however it was configured: equal keys, equal bytes (DefaultCodec)
        this.keyCodec = config.keyCodec() instanceof DefaultCodec d ? d.forKeys() : config.keyCodec();
        this.valueCodec = config.valueCodec();
        this.olderKeyCodec = withoutFory(keyCodec);
        this.olderValueCodec = withoutFory(valueCodec);
        this.lowestProtocol = lowestProtocol;
        this.onceLog = onceLog;
        this.maxKeySize = config.maxKeySize();
        this.maxValueSize = config.maxValueSize();
    }

    private static Codec withoutFory(Codec codec) {
        return codec instanceof DefaultCodec d ? d.writing(ObjectFormat.JAVA) : codec;
    }

    /** Encodes a key for a write, within the size limit. */
    byte[] encodeKey(Object key) {
        return withinLimit(keys().encode(key), "key", maxKeySize);
    }

    /** Encodes a value for a write, within the size limit. */
    byte[] encodeValue(Object value) {
        return withinLimit(values().encode(value), "value", maxValueSize);
    }

    private Codec keys() {
        return keyCodec == olderKeyCodec || lowestProtocol.get().readsFory() ? keyCodec : olderKeyCodec;
    }

    private Codec values() {
        return valueCodec == olderValueCodec || lowestProtocol.get().readsFory() ? valueCodec : olderValueCodec;
    }

    /** Decodes a key from another member, within the size limit. */
    Object decodeKey(byte[] bytes, int offset, int length) {
        withinLimit(length, "key", maxKeySize);
        return decode(keyCodec, bytes, offset, length);
    }

    /** Decodes a value from another member, within the size limit. */
    Object decodeValue(byte[] bytes, int offset, int length) {
        withinLimit(length, "value", maxValueSize);
        return decode(valueCodec, bytes, offset, length);
    }

    /**
     * An entry as a write for the wire (state transfer, anti-entropy), or {@code null} if it cannot be encoded. A
     * value expired at {@code nowMillis} goes as the tombstone of its version: it stands for a delete.
     */
    Write encodeEntry(String cacheName, Object key, StoreEntry entry, long nowMillis) {
        try {
            byte[] unreadable = CacheStore.unreadableKeyBytes(key);
            byte[] keyBytes = unreadable != null ? unreadable : keys().encode(key);
            return entry.isTombstone() || entry.isExpired(nowMillis)
                    ? Write.evict(cacheName, keyBytes, entry.timestamp(), entry.node())
                    : Write.put(cacheName, keyBytes, values().encode(entry.value()), entry.timestamp(),
                            entry.node(), entry.expiresAt());
        } catch (CodecException e) {
            // once per cache and kind: a state transfer to a member of an older protocol may skip many alike
            if (onceLog.first("encode:" + cacheName + ":" + e.getClass().getName())) {
                log.warn("Skipped entries of cache '{}' that cannot be encoded (logged once per kind): {}", cacheName,
                        e.getMessage());
            }
            return null;
        }
    }

    /** Decodes network bytes; whatever an application's codec throws on bad bytes counts as a codec failure. */
    private static Object decode(Codec codec, byte[] bytes, int offset, int length) {
        try {
            return codec.decode(bytes, offset, length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Cannot decode: " + e, e);
        }
    }

    private static byte[] withinLimit(byte[] bytes, String what, int limit) {
        withinLimit(bytes.length, what, limit);
        return bytes;
    }

    private static void withinLimit(int length, String what, int limit) {
        if (length > limit) {
            throw new SizeLimitExceededException(what, length, limit);
        }
    }
}
