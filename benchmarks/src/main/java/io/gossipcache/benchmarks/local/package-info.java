/**
 * Issue 7's local paths, side by side with Caffeine in one run: {@link io.gossipcache.benchmarks.local.LocalGetBenchmark}
 * (S1, engine get hit vs {@code getIfPresent}), {@link io.gossipcache.benchmarks.local.CacheableBenchmark}
 * ({@code @Cacheable} hit through the Spring proxy vs {@code CaffeineCacheManager}), and
 * {@link io.gossipcache.benchmarks.local.LocalReport}, which runs both and writes the markdown section with ratios and
 * verdicts. {@link io.gossipcache.benchmarks.local.HitCost} (callgrind) and
 * {@link io.gossipcache.benchmarks.local.MemoryPerEntry} (JOL) are for diagnosis: on a shared 2-core machine,
 * instruction counts and object layouts decide, JMH confirms.
 */
package io.gossipcache.benchmarks.local;
