package io.gossipcache.core;

import io.gossipcache.core.codec.Codec;
import io.gossipcache.core.codec.CodecException;
import io.gossipcache.core.codec.SizeLimitExceededException;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.CacheStore;
import io.gossipcache.core.store.StoreEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys and values to and from their bytes with the configured codecs, within the configured size limits, and
 * entries as writes for the wire. Thread-safe (the codecs are).
 */
final class EntryCodec {

    private static final Logger log = LoggerFactory.getLogger(EntryCodec.class);

    private final Codec keyCodec;
    private final Codec valueCodec;
    private final int maxKeySize;
    private final int maxValueSize;

    EntryCodec(EngineConfig config) {
        this.keyCodec = config.keyCodec();
        this.valueCodec = config.valueCodec();
        this.maxKeySize = config.maxKeySize();
        this.maxValueSize = config.maxValueSize();
    }

    /** Encodes a key for a write, within the size limit. */
    byte[] encodeKey(Object key) {
        return withinLimit(keyCodec.encode(key), "key", maxKeySize);
    }

    /** Encodes a value for a write, within the size limit. */
    byte[] encodeValue(Object value) {
        return withinLimit(valueCodec.encode(value), "value", maxValueSize);
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
            byte[] keyBytes = unreadable != null ? unreadable : keyCodec.encode(key);
            return entry.isTombstone() || entry.isExpired(nowMillis)
                    ? Write.evict(cacheName, keyBytes, entry.timestamp(), entry.node())
                    : Write.put(cacheName, keyBytes, valueCodec.encode(entry.value()), entry.timestamp(),
                            entry.node(), entry.expiresAt());
        } catch (CodecException e) {
            log.warn("Skipped an entry of cache '{}' that cannot be encoded: {}", cacheName, e.getMessage());
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
