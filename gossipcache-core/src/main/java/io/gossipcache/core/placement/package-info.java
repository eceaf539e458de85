/**
 * Placement of the keys of partitioned caches (issue 24, in progress; nothing uses it yet): keys hash to a fixed
 * number of {@link io.gossipcache.core.placement.Segments segments}, and a segment's owners are computed from the view
 * alone by rendezvous hashing ({@link io.gossipcache.core.placement.SegmentOwners}), so every member agrees on them
 * without a table, and a join or a leave moves only the segments it must.
 */
package io.gossipcache.core.placement;
