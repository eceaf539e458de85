package io.gossipcache.core.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-cache settings.
 *
 * @param defaultTtl lifetime of entries put without an explicit TTL; {@link Duration#ZERO} = no expiry
 * @param maxEntries local bound on live entries on this member; 0 = unbounded
 */
public record CacheSettings(Duration defaultTtl, long maxEntries) {

    /**
     * The longest TTL an entry may have, 1,000 years: an expiry is a wall-clock millisecond, and a longer lifetime
     * would overflow it. Longer TTLs are refused, not capped, so that a typo does not pass as "never".
     */
    public static final Duration MAX_TTL = Duration.ofDays(365L * 1_000);

    /** No expiry, no bound (after {@link #MAX_TTL}, which its construction checks against). */
    public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ZERO, 0);

    public CacheSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        checkTtl(defaultTtl);
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
    }

    /**
     * Checks a TTL: not negative, at most {@link #MAX_TTL}.
     *
     * @throws IllegalArgumentException naming the limit it breaks
     */
    public static Duration checkTtl(Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("TTL must not be negative: " + ttl);
        }
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("TTL " + ttl + " is longer than the longest supported, "
                    + MAX_TTL.toDays() + " days");
        }
        return ttl;
    }

    public CacheSettings withDefaultTtl(Duration ttl) {
        return new CacheSettings(ttl, maxEntries);
    }

    public CacheSettings withMaxEntries(long max) {
        return new CacheSettings(defaultTtl, max);
    }
}
