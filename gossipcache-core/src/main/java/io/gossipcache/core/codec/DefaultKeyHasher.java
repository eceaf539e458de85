package io.gossipcache.core.codec;

import io.gossipcache.core.store.KeyHash;
import io.gossipcache.core.store.KeyHasher;

/**
 * {@link KeyHash} of {@link DefaultCodec}'s encoding of a {@link String}, {@link Long} or {@link Integer} key,
 * computed from the key without encoding it (no allocation): what a store needs during anti-entropy scans for the
 * entries that do not keep their hash. Must follow the codec's encoding byte for byte (tag, then UTF-8 or eight
 * big-endian bytes); a randomized test compares the two.
 */
final class DefaultKeyHasher implements KeyHasher {

    static final DefaultKeyHasher INSTANCE = new DefaultKeyHasher();

    private DefaultKeyHasher() {
    }

    @Override
    public boolean derives(Object key) {
        return key instanceof String || key instanceof Long || key instanceof Integer;
    }

    @Override
    public long hash(Object key) {
        if (key instanceof String s) {
            return ofString(s);
        }
        if (key instanceof Long l) {
            return ofLong(DefaultCodec.LONG, l);
        }
        if (key instanceof Integer i) {
            return ofLong(DefaultCodec.INTEGER, i);
        }
        throw new IllegalArgumentException("no derived key hash for " + key.getClass().getName());
    }

    /** Nine bytes: the tag, then the value's eight big-endian bytes (an int sign-extended). */
    private static long ofLong(byte tag, long v) {
        long word = ((long) tag << 56) | (v >>> 8);
        long h = KeyHash.mix(KeyHash.SEED ^ 9 ^ word) * KeyHash.WORD_MULTIPLIER;
        return KeyHash.mix(h ^ (v & 0xFF));
    }

    /** The tag, then the UTF-8 bytes of {@code String.getBytes(UTF_8)} (an unpaired surrogate becomes '?'). */
    private static long ofString(String s) {
        Bytes bytes = new Bytes(1 + utf8Length(s));
        bytes.add(DefaultCodec.STRING);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes.add(c);
            } else if (c < 0x800) {
                bytes.add(0xC0 | (c >> 6));
                bytes.add(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes.add(0xF0 | (cp >> 18));
                bytes.add(0x80 | ((cp >> 12) & 0x3F));
                bytes.add(0x80 | ((cp >> 6) & 0x3F));
                bytes.add(0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                bytes.add('?');
            } else {
                bytes.add(0xE0 | (c >> 12));
                bytes.add(0x80 | ((c >> 6) & 0x3F));
                bytes.add(0x80 | (c & 0x3F));
            }
        }
        return bytes.hash();
    }

    private static int utf8Length(String s) {
        int n = s.length();
        int length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    length += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    length += 2; // two chars, four bytes
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    length += 2;
                }
            }
        }
        return length;
    }

    /** {@link KeyHash#of} fed one byte at a time (short-lived: the JIT keeps it in registers). */
    private static final class Bytes {
        private long h;
        private long word;
        private int filled;

        Bytes(int length) {
            h = KeyHash.SEED ^ length;
        }

        void add(int b) {
            word = (word << 8) | (b & 0xFF);
            if (++filled == 8) {
                h = KeyHash.mix(h ^ word) * KeyHash.WORD_MULTIPLIER;
                word = 0;
                filled = 0;
            }
        }

        long hash() {
            return KeyHash.mix(h ^ word);
        }
    }
}
