package io.gossipcache.core.replication;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cache names in UTF-8 and back, remembered so that the replication path does not encode or decode the same
 * few names once per write. Only the first {@link #MAX_REMEMBERED} names are remembered: a peer sending
 * made-up names gets them decoded each time, and cannot grow this table.
 */
final class CacheNames {

    static final int MAX_REMEMBERED = 64;

    private record Name(String name, byte[] utf8) {
    }

    /** Copied on write: read on every message, written once per name. */
    private static volatile Name[] remembered = new Name[0];

    private CacheNames() {
    }

    /** The UTF-8 bytes of {@code name}; the caller must not modify them. */
    static byte[] utf8(String name) {
        for (Name n : remembered) {
            if (n.name().equals(name)) {
                return n.utf8();
            }
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        remember(new Name(name, utf8));
        return utf8;
    }

    /** The name whose UTF-8 bytes are {@code length} bytes of {@code buffer} at {@code offset}. */
    static String decode(byte[] buffer, int offset, int length) {
        for (Name n : remembered) {
            if (Arrays.equals(n.utf8(), 0, n.utf8().length, buffer, offset, offset + length)) {
                return n.name();
            }
        }
        String name = new String(buffer, offset, length, StandardCharsets.UTF_8);
        // bytes that are not valid UTF-8 decode to a name that encodes differently: not worth remembering
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (Arrays.equals(utf8, 0, utf8.length, buffer, offset, offset + length)) {
            remember(new Name(name, utf8));
        }
        return name;
    }

    /** Forgets every name (for tests: the table is shared by the whole JVM). */
    static synchronized void forgetAll() {
        remembered = new Name[0];
    }

    /** How many names are remembered (for tests). */
    static int rememberedCount() {
        return remembered.length;
    }

    private static synchronized void remember(Name name) {
        Name[] current = remembered;
        if (current.length >= MAX_REMEMBERED) {
            return;
        }
        for (Name n : current) {
            if (n.name().equals(name.name())) {
                return;
            }
        }
        Name[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = name;
        remembered = next;
    }
}
