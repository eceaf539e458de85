package io.gossipcache.core.store;

/**
 * A 64-bit hash of an encoded key. Computed from the bytes that travel, not from {@code hashCode()}, so it
 * is the same on every member even for keys whose {@code hashCode()} is not (enums, for one).
 */
public final class KeyHash {

    /** Start value, xor-ed with the length ({@link KeyHasher}s that stream the bytes need it). */
    public static final long SEED = 0x9E3779B97F4A7C15L;
    /** Applied after mixing each 8-byte word. */
    public static final long WORD_MULTIPLIER = 0xC2B2AE3D27D4EB4FL;

    private KeyHash() {
    }

    /** Hash of the whole array. */
    public static long of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** Hash of {@code length} bytes at {@code offset}: the same as of an array holding just those bytes. */
    public static long of(byte[] bytes, int offset, int length) {
        long h = SEED ^ length;
        int end = offset + length;
        int i = offset;
        for (; i + 8 <= end; i += 8) {
            long word = 0;
            for (int b = 0; b < 8; b++) {
                word = (word << 8) | (bytes[i + b] & 0xFF);
            }
            h = mix(h ^ word) * WORD_MULTIPLIER;
        }
        long tail = 0;
        for (; i < end; i++) {
            tail = (tail << 8) | (bytes[i] & 0xFF);
        }
        return mix(h ^ tail);
    }

    /** A strong 64-bit finalizer (from SplittableRandom / MurmurHash3's fmix64). */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
