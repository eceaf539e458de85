package io.gossipcache.benchmarks.cluster;

/** One number a scenario round yields, with its unit and which direction is better. */
enum Metric {
    S8_START_MS("S8 first member start-to-ready (from launch)", "ms", false),
    S6_BYTES_PER_ENTRY("S6 heap bytes per entry (100 B values, after full GC)", "B", false),
    S2_PUTS_PER_S("S2 writer puts/s (async)", "puts/s", true),
    S2_ALL_READABLE_MS("S2 all readable on the other two (from first put)", "ms", false),
    S3_P50_MS("S3 replication lag p50 (from the put)", "ms", false),
    S3_P99_MS("S3 replication lag p99 (from the put)", "ms", false),
    S3_MAX_MS("S3 replication lag max (from the put)", "ms", false),
    S3_DUE_P50_MS("S3 replication lag p50 (from the due time)", "ms", false),
    S3_DUE_P99_MS("S3 replication lag p99 (from the due time)", "ms", false),
    S3_DUE_MAX_MS("S3 replication lag max (from the due time)", "ms", false),
    S7_GONE_MS("S7 2 s TTL: gone on every member (from put)", "ms", false),
    S4_DEFAULT_MS("S4 kill -9: survivors' view drops it (defaults)", "ms", false),
    S5_JOIN_MS("S5 joiner holds all the 1 KB entries (from join start)", "ms", false),
    S4_TUNED_MS("S4 kill -9: survivors' view drops it (tuned)", "ms", false);

    final String label;
    final String unit;
    final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }
}
