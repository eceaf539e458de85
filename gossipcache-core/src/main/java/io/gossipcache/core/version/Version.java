package io.gossipcache.core.version;

/**
 * A write's position in the cluster-wide total order: a hybrid logical clock timestamp with the
 * writing node's id as tie-break. Larger is newer.
 *
 * @param timestamp hybrid logical clock value, see {@link HybridClock}
 * @param node      the stable id of the node that made the write
 */
public record Version(long timestamp, long node) implements Comparable<Version> {

    /** Older than every real write. */
    public static final Version ZERO = new Version(0L, 0L);

    @Override
    public int compareTo(Version other) {
        return compare(timestamp, node, other.timestamp, other.node);
    }

    /** Whether this version is strictly newer than {@code other}. */
    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }

    /** Compares two versions given as their parts, without allocating. */
    public static int compare(long timestamp1, long node1, long timestamp2, long node2) {
        int c = Long.compare(timestamp1, timestamp2);
        return c != 0 ? c : Long.compare(node1, node2);
    }

    @Override
    public String toString() {
        return HybridClock.physicalMillis(timestamp) + "." + HybridClock.logical(timestamp) + "@" + Long.toHexString(node);
    }
}
