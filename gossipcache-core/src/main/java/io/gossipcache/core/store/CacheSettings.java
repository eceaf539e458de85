package io.gossipcache.core.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-cache settings.
 *
 * @param defaultTtl lifetime of entries put without an explicit TTL; {@link Duration#ZERO} = no expiry
 * @param maxEntries local bound on live entries on this member; 0 = unbounded
 * @param owners     how many members hold each key: 0 = every member (a replicated cache), N &ge; 1 = the key's N
 *                   owners only (a partitioned cache; every member reads it, non-owners from an owner)
 * @param nearCache  for a partitioned cache, the near cache of the values this member read from owners
 */
public record CacheSettings(Duration defaultTtl, long maxEntries, int owners, NearCache nearCache) {

    /**
     * A partitioned cache's near cache: values a member read from the owners, kept for {@code ttl} at most (fewer than
     * {@code maxEntries}); the owners invalidate it on every write to the key, so it serves a replaced value only
     * until the invalidation arrives, or, if an owner fails or forgets the reader, until {@code ttl}.
     *
     * @param ttl        the longest a value stays; {@link Duration#ZERO}: no near cache
     * @param maxEntries the most values it keeps
     */
    public record NearCache(Duration ttl, long maxEntries) {

        /** No near cache. */
        public static final NearCache OFF = new NearCache(Duration.ZERO, 0);

        /** The default bound of a near cache's entries. */
        public static final long DEFAULT_MAX_ENTRIES = 10_000;

        public NearCache {
            Objects.requireNonNull(ttl, "ttl");
        }

        /** Whether there is a near cache. */
        public boolean enabled() {
            return !ttl.isZero();
        }
    }

    /**
     * The longest TTL an entry may have, 1,000 years: an expiry is a wall-clock millisecond, and a longer lifetime
     * would overflow it. Longer TTLs are refused, not capped, so that a typo does not pass as "never".
     */
    public static final Duration MAX_TTL = Duration.ofDays(365L * 1_000);

    /**
     * No expiry, no bound: the default of caches without settings of their own (after {@link #MAX_TTL}, which its
     * construction checks against).
     */
    public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ZERO, 0);

    /** The most owners a key of a partitioned cache may have (more is a replicated cache in all but name). */
    public static final int MAX_OWNERS = 16;

    public CacheSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        List<String> problems = new ArrayList<>(4);
        ttlProblem("TTL", defaultTtl).ifPresent(problems::add);
        maxEntriesProblem("maxEntries", maxEntries).ifPresent(problems::add);
        ownersProblem("owners", owners).ifPresent(problems::add);
        Objects.requireNonNull(nearCache, "nearCache");
        nearCacheProblem("nearCache.ttl", "nearCache.maxEntries", owners, nearCache).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A replicated cache's settings (every member holds every key). */
    public CacheSettings(Duration defaultTtl, long maxEntries) {
        this(defaultTtl, maxEntries, 0);
    }

    /** Settings without a near cache. */
    public CacheSettings(Duration defaultTtl, long maxEntries, int owners) {
        this(defaultTtl, maxEntries, owners, NearCache.OFF);
    }

    /** Whether each key lives on its owners only (see {@link #owners()}). */
    public boolean partitioned() {
        return owners > 0;
    }

    /**
     * Checks a TTL: not negative, at most {@link #MAX_TTL}.
     *
     * @throws IllegalArgumentException naming the limit it breaks
     */
    public static Duration checkTtl(Duration ttl) {
        Optional<String> problem = ttlProblem("TTL", ttl);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return ttl;
    }

    /**
     * What is wrong with a TTL, if anything: negative, {@code null}, or longer than {@link #MAX_TTL}. This is the
     * one place of that rule; the starter asks it with the property's name.
     *
     * @param name what the message calls the value, e.g. {@code gossipcache.default-ttl}
     */
    public static Optional<String> ttlProblem(String name, Duration ttl) {
        if (ttl == null || ttl.isNegative()) {
            return Optional.of(name + " must not be negative (was " + ttl + ")");
        }
        if (ttl.compareTo(MAX_TTL) > 0) {
            return Optional.of(name + " must be at most " + MAX_TTL.toDays() + " days, the longest supported (was "
                    + ttl + ")");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a bound on entries, if anything: it must not be negative.
     *
     * @param name what the message calls the value, e.g. {@code gossipcache.default-max-entries}
     */
    public static Optional<String> maxEntriesProblem(String name, long maxEntries) {
        return maxEntries < 0 ? Optional.of(name + " must not be negative (was " + maxEntries + ")") : Optional.empty();
    }

    /**
     * What is wrong with a number of owners, if anything: it must be 0 (replicated) or 1 to {@link #MAX_OWNERS}.
     *
     * @param name what the message calls the value, e.g. {@code gossipcache.caches.quotes.owners}
     */
    public static Optional<String> ownersProblem(String name, int owners) {
        return owners < 0 || owners > MAX_OWNERS
                ? Optional.of(name + " must be 0 (every member holds every key) or 1 to " + MAX_OWNERS + " (was "
                        + owners + ")")
                : Optional.empty();
    }

    /**
     * What is wrong with a near cache, if anything: its TTL is within {@link #MAX_TTL}, only a partitioned cache has
     * one, and its bound is positive.
     *
     * @param ttlName        what the message calls its TTL, e.g. {@code gossipcache.caches.quotes.near-cache-ttl}
     * @param maxEntriesName what the message calls its bound
     */
    public static Optional<String> nearCacheProblem(String ttlName, String maxEntriesName, int owners,
                                                    NearCache nearCache) {
        Optional<String> ttl = ttlProblem(ttlName, nearCache.ttl());
        if (ttl.isPresent() || !nearCache.enabled()) {
            return ttl;
        }
        if (owners == 0) {
            return Optional.of(ttlName + " applies to partitioned caches only: set owners (1 to " + MAX_OWNERS
                    + ") or remove the near cache");
        }
        return nearCache.maxEntries() <= 0
                ? Optional.of(maxEntriesName + " must be positive (was " + nearCache.maxEntries() + ")")
                : Optional.empty();
    }

    public CacheSettings withDefaultTtl(Duration ttl) {
        return new CacheSettings(ttl, maxEntries, owners, nearCache);
    }

    public CacheSettings withMaxEntries(long max) {
        return new CacheSettings(defaultTtl, max, owners, nearCache);
    }

    /** These settings with {@code owners} owners per key (0: replicated). */
    public CacheSettings withOwners(int owners) {
        return new CacheSettings(defaultTtl, maxEntries, owners, nearCache);
    }

    /** These settings with this near cache. */
    public CacheSettings withNearCache(NearCache nearCache) {
        return new CacheSettings(defaultTtl, maxEntries, owners, nearCache);
    }
}
