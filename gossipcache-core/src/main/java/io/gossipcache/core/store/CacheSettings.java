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

    /** No expiry, no bound. */
    public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ZERO, 0);

    public CacheSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        if (defaultTtl.isNegative()) {
            throw new IllegalArgumentException("defaultTtl must not be negative: " + defaultTtl);
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
    }

    public CacheSettings withDefaultTtl(Duration ttl) {
        return new CacheSettings(ttl, maxEntries);
    }

    public CacheSettings withMaxEntries(long max) {
        return new CacheSettings(defaultTtl, max);
    }
}
