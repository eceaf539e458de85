package io.gossipcache.core;

/**
 * What this member holds of a partitioned cache (see {@link ReplicatedCache#ownership()}).
 *
 * @param owners         the cache's owners per key
 * @param ownedSegments  segments (of {@code Segments.COUNT}) this member owns in the current view
 * @param heldSegments   of those, the ones it holds: it has every write to them and reads them locally; fewer while a
 *                       rebalance moves segments to it
 */
public record Ownership(int owners, int ownedSegments, int heldSegments) {
}
