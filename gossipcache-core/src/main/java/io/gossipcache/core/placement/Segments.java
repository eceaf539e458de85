package io.gossipcache.core.placement;

import io.gossipcache.core.store.KeyHash;

/**
 * The fixed segments keys hash to. A key's segment is the low bits of its {@link KeyHash}, the hash every member
 * computes from the key's bytes: so every member puts a key in the same segment, and, since anti-entropy's bucket of a
 * key is its hash modulo the bucket count, with a bucket count that is a multiple of {@link #COUNT} every bucket lies
 * within one segment (bucket {@code b} is in segment {@code b % COUNT}), and a segment's digest is its buckets'.
 */
public final class Segments {

    /** How many segments there are: a power of two, fixed, the same on every member of every release. */
    public static final int COUNT = 256;

    private Segments() {
    }

    /** The segment of a key with this {@link KeyHash}. */
    public static int of(long keyHash) {
        return (int) (keyHash & (COUNT - 1));
    }
}
