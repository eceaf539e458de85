package io.gossipcache.core.version;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock: wall-clock milliseconds in the high 48 bits, a logical counter in the low
 * 16 bits. Every value it hands out is larger than every value it handed out or {@linkplain #observe
 * observed} before, so a write made after seeing another write always orders after it, even when the
 * wall clocks of the two nodes disagree.
 */
public final class HybridClock {

    private static final int LOGICAL_BITS = 16;
    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private final LongSupplier wallClock;
    private final AtomicLong last = new AtomicLong();

    /** A clock on {@link System#currentTimeMillis()}. */
    public HybridClock() {
        this(System::currentTimeMillis);
    }

    /** A clock on the given millisecond source (tests drive it by hand). */
    public HybridClock(LongSupplier wallClockMillis) {
        this.wallClock = wallClockMillis;
    }

    /** Returns a timestamp newer than every one issued or observed so far. */
    public long tick() {
        long physical = wallClock.getAsLong() << LOGICAL_BITS;
        // When the counter overflows it carries into the milliseconds: the clock runs a little ahead, never back.
        return last.updateAndGet(prev -> Math.max(prev + 1, physical));
    }

    /** Takes in a timestamp seen on a remote write, so that later local writes order after it. */
    public void observe(long remoteTimestamp) {
        last.accumulateAndGet(remoteTimestamp, Math::max);
    }

    /** The last timestamp issued or observed. */
    public long last() {
        return last.get();
    }

    /** Wall-clock milliseconds of a timestamp. */
    public static long physicalMillis(long timestamp) {
        return timestamp >>> LOGICAL_BITS;
    }

    /** Logical counter of a timestamp. */
    public static int logical(long timestamp) {
        return (int) (timestamp & LOGICAL_MASK);
    }

    /** The smallest timestamp at the given wall-clock millisecond. */
    public static long fromMillis(long millis) {
        return millis << LOGICAL_BITS;
    }
}
