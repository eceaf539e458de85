#!/usr/bin/env bash
# Builds the benchmarks jar and runs both benchmarks; writes benchmarks/results/latest.md.
#
#   benchmarks/run.sh                      # defaults: about 3-5 minutes on 2 cores
#
# Environment overrides (all optional):
#   JMH_OPTS      JMH options for LocalGetBenchmark   (default: -f 2 -wi 3 -w 2s -i 5 -r 2s)
#                 e.g. add "-p started=true,false" to also measure a never-started engine. Never pass -t.
#   CLUSTER_OPTS  options of ClusterThroughputBenchmark (default: none, i.e. --n 200000 --rounds 3 --warmup 1)
#   SKIP_BUILD=1  use the jar that is already in benchmarks/target
#   OUT           results file (default: benchmarks/results/latest.md)
#
# Every JVM runs with -Djava.net.preferIPv4Stack=true and binds 127.0.0.1 only (engine ports 26000+ for JMH,
# 26200+ for the cluster). Child JVMs are stopped by the Java code itself, also on failure and Ctrl-C.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

JMH_OPTS=${JMH_OPTS:--f 2 -wi 3 -w 2s -i 5 -r 2s}
CLUSTER_OPTS=${CLUSTER_OPTS:-}
OUT=${OUT:-$here/results/latest.md}
jar=$here/target/benchmarks.jar
work=$here/target/run
mkdir -p "$(dirname "$OUT")" "$work"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0=$SECONDS

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building (./mvnw -Pbenchmarks -pl benchmarks -am package -DskipTests)"
  ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package dependency:list -DskipTests \
    -DoutputFile=target/dependencies.txt -DexcludeTransitive=false
fi
[[ -f "$jar" ]] || { echo "missing $jar: build first (without SKIP_BUILD)" >&2; exit 1; }

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
jvm=("$java_bin" -Djava.net.preferIPv4Stack=true)

version_of() { # groupId:artifactId -> version from the module's resolved dependency list
  local f=$here/target/dependencies.txt
  [[ -f "$f" ]] && grep -oE "$1:jar:[^:]+" "$f" | head -n1 | awk -F: '{print $4}' || true
}
jgroups_version=$(version_of org.jgroups:jgroups)
caffeine_version=$(version_of com.github.ben-manes.caffeine:caffeine)
jmh_version=$(version_of org.openjdk.jmh:jmh-core)

rm -f "$work/local-get.md" "$work/cluster.md"

echo ">> JMH LocalGetBenchmark ($JMH_OPTS)"
jmh_status=0
# shellcheck disable=SC2086
"${jvm[@]}" -cp "$jar" io.gossipcache.benchmarks.LocalGetReport --md "$work/local-get.md" \
  $JMH_OPTS -rf json -rff "$work/local-get.json" 2>&1 | tee "$work/local-get.log" \
  || jmh_status=$?

echo ">> ClusterThroughputBenchmark ($CLUSTER_OPTS)"
cluster_status=0
# shellcheck disable=SC2086
"${jvm[@]}" -Xmx256m -cp "$jar" io.gossipcache.benchmarks.ClusterThroughputBenchmark \
  --md "$work/cluster.md" --log-dir "$work/cluster-logs" $CLUSTER_OPTS 2>&1 | tee "$work/cluster.log" \
  || cluster_status=$?

elapsed=$((SECONDS - t0))
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1024/1024}' /proc/meminfo 2>/dev/null || echo unknown)
java_version=$("$java_bin" -version 2>&1 | sed 's/^/    /')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$([[ -n "$(git status --porcelain 2>/dev/null)" ]] && echo " (with uncommitted changes)" || true)

{
  echo "# gossipcache benchmark results"
  echo
  echo "Run $started_at, commit \`$commit\`$dirty, took ${elapsed}s. Command: \`benchmarks/run.sh\`"
  echo "(JMH_OPTS=\`$JMH_OPTS\`, CLUSTER_OPTS=\`${CLUSTER_OPTS:-<defaults>}\`)."
  echo "How to read this file: \`benchmarks/README.md\`."
  echo
  echo "## Machine"
  echo
  echo "- CPUs (nproc): $(nproc)"
  echo "- CPU model: $cpu_model"
  echo "- memory: $mem_total"
  echo "- OS: $(uname -srm)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
  echo "- java -version:"
  echo
  echo "$java_version"
  echo
  echo "## Versions"
  echo
  echo "- gossipcache: 0.1.0-SNAPSHOT at \`$commit\`"
  echo "- JGroups: ${jgroups_version:-unknown}"
  echo "- Caffeine: ${caffeine_version:-unknown}"
  echo "- JMH: ${jmh_version:-unknown}"
  echo
  echo "## 1. Local read hit: \`ReplicatedCache.get\` vs Caffeine \`getIfPresent\` (JMH)"
  echo
  echo "- gossipcache: \`GossipCacheEngine\` with default \`EngineConfig\` (unbounded cache, no TTL, async"
  echo "  replication), started alone on 127.0.0.1:26000 with a unique cluster name unless the params column"
  echo "  says \`started=false\`; 100,000 entries \`\"key-\"+i\` -> \`\"value-\"+i\` put with no TTL."
  echo "- Caffeine: \`Caffeine.newBuilder().build()\` (unbounded, no stats), the same 100,000 entries."
  echo "- Every op is a hit on a key taken from one pre-shuffled array (fixed seed, equal copies of the stored"
  echo "  keys), per-thread counter, threads starting at spread offsets. Throughput mode, ops/s summed over"
  echo "  threads; ± is JMH's 99.9% confidence half-width. JVM \`-Xms1g -Xmx1g\`; JMH options: \`$JMH_OPTS\`."
  echo
  if [[ -s "$work/local-get.md" ]]; then cat "$work/local-get.md"; else echo "**JMH run failed; see \`$work/local-get.log\`.**"; fi
  echo
  echo "## 2. Cluster replication: 3 processes, 1 writer (\`ClusterThroughputBenchmark\`)"
  echo
  echo "Each member: \`GossipCacheEngine\`, \`ClusterConfig\` bind 127.0.0.1, port range 5, otherwise defaults"
  echo "(TCP with tcp_nodelay and the transfer-queue bundler, TCPPING over the port range, join timeout 500 ms);"
  echo "\`EngineConfig\` defaults with \`ReplicationMode.ASYNC\` (replication queue 100,000 writes; the engine"
  echo "batches up to 2,000 writes / 256 KiB per message)."
  echo
  if [[ -s "$work/cluster.md" ]]; then cat "$work/cluster.md"; else echo "**Cluster run failed; see \`$work/cluster.log\`.**"; fi
  echo
  echo "Raw output: \`benchmarks/target/run/\` (JMH JSON and log, cluster log, each member's log)."
} > "$OUT"

echo ">> wrote $OUT (${elapsed}s)"
if ((jmh_status != 0 || cluster_status != 0)); then
  echo "!! a benchmark failed (JMH exit $jmh_status, cluster exit $cluster_status)" >&2
  exit 1
fi
