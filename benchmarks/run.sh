#!/usr/bin/env bash
# Builds everything and runs every benchmark of issue 7; writes benchmarks/results/latest.md.
#
#   benchmarks/run.sh                 # about 12-15 minutes on 2 cores
#
# Environment overrides (all optional):
#   JMH_OPTS      JMH options for the local benchmarks (default: -f 2 -wi 3 -w 1s -i 4 -r 1s, ~2.7 min)
#   CLUSTER_OPTS  options of ClusterReport, e.g. "--rounds 1 --s2-n 20000 --s3-seconds 2" (see benchmarks/README.md)
#   BUDGET        seconds the whole run may take (default 900); the cluster rounds stop early to stay within it
#   SKIP_BUILD=1  use the jars that are already built
#   SKIP_JMH=1    only the cluster scenarios
#   OUT           results file (default: benchmarks/results/latest.md)
#
# Every JVM runs with -Djava.net.preferIPv4Stack=true and binds 127.0.0.1 only; nothing multicasts. Ports: JMH
# 26000-26099; cluster scenarios gossipcache 26200+, floor 26400+, Infinispan 26600+, Hazelcast 26800+.
# Member JVMs are started and stopped by the Java controller itself (also on failure and Ctrl-C), and exit on
# their own when the controller's pipe closes. Two runs never overlap: /tmp/gossipcache-bench.lock.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

exec 9>/tmp/gossipcache-bench.lock
if ! flock -n 9; then
  echo "another benchmark run holds /tmp/gossipcache-bench.lock; not starting a second one" >&2
  exit 1
fi

JMH_OPTS=${JMH_OPTS:--f 2 -wi 3 -w 1s -i 4 -r 1s}
CLUSTER_OPTS=${CLUSTER_OPTS:-}
BUDGET=${BUDGET:-900}
OUT=${OUT:-$here/results/latest.md}
jar=$here/target/benchmarks.jar
work=$here/target/run
mkdir -p "$(dirname "$OUT")" "$work"
rm -f "$work/local.md" "$work/cluster.md"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0=$SECONDS
build_notes=()

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building the benchmarks module (./mvnw -Pbenchmarks -pl benchmarks -am package -DskipTests)"
  ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package dependency:list -DskipTests \
    -DoutputFile=target/dependencies.txt -DexcludeTransitive=false
  for peer in infinispan hazelcast; do
    if [[ -f "$here/$peer/pom.xml" ]]; then
      echo ">> building benchmarks/$peer"
      ./mvnw -B -q -f "$here/$peer/pom.xml" package -DskipTests \
        || build_notes+=("benchmarks/$peer did not build: its scenarios are skipped")
    fi
  done
fi
[[ -f "$jar" ]] || { echo "missing $jar: build first (without SKIP_BUILD)" >&2; exit 1; }

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
jvm=("$java_bin" -Djava.net.preferIPv4Stack=true)

version_of() { # groupId:artifactId -> version: the module's resolved dependency list, else the jar's pom.properties
  local f=$here/target/dependencies.txt v=
  [[ -f "$f" ]] && v=$(grep -oE "$1:jar:[^:]+" "$f" | head -n1 | awk -F: '{print $4}')
  [[ -n "$v" ]] || v=$(unzip -p "$jar" "META-INF/maven/${1%%:*}/${1#*:}/pom.properties" 2>/dev/null \
    | sed -n 's/^version=//p' | head -n1)
  echo "${v:-unknown}"
}

local_status=0
if [[ "${SKIP_JMH:-0}" != 1 ]]; then
  local_main=io.gossipcache.benchmarks.local.LocalReport
  local_opts=$JMH_OPTS
  echo ">> JMH: $local_main $local_opts"
  # shellcheck disable=SC2086
  "${jvm[@]}" -cp "$jar" "$local_main" --md "$work/local.md" $local_opts -rf json -rff "$work/local.json" \
    2>&1 | tee "$work/local.log" || local_status=$?
fi

# What is left of the budget goes to the cluster rounds, less a margin for writing the results.
cluster_budget=$((BUDGET - (SECONDS - t0) - 10))
echo ">> cluster scenarios (budget ${cluster_budget}s; $CLUSTER_OPTS)"
cluster_status=0
# shellcheck disable=SC2086
"${jvm[@]}" -Xmx256m -cp "$jar" io.gossipcache.benchmarks.cluster.ClusterReport --md "$work/cluster.md" \
  --log-dir "$work/cluster-logs" --benchmarks-dir "$here" --budget-seconds "$cluster_budget" $CLUSTER_OPTS \
  2>&1 | tee "$work/cluster.log" || cluster_status=$?

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
  echo "- JGroups: $(version_of org.jgroups:jgroups)"
  echo "- Caffeine: $(version_of com.github.ben-manes.caffeine:caffeine)"
  echo "- JMH: $(version_of org.openjdk.jmh:jmh-core)"
  echo "- Infinispan, Hazelcast: as each member reports it, in the configurations of section 2"
  for n in "${build_notes[@]}"; do echo "- **$n**"; done
  echo
  echo "## 1. Local paths (JMH)"
  echo
  if [[ "${SKIP_JMH:-0}" == 1 ]]; then echo "Not run (SKIP_JMH=1)."
  elif [[ -s "$work/local.md" ]]; then cat "$work/local.md"
  else echo "**JMH run failed; see \`benchmarks/target/run/local.log\`.**"; fi
  echo
  echo "## 2. Cluster scenarios: every member its own JVM on 127.0.0.1 (\`ClusterReport\`)"
  echo
  if [[ -s "$work/cluster.md" ]]; then cat "$work/cluster.md"
  else echo "**Cluster run failed; see \`benchmarks/target/run/cluster.log\`.**"; fi
  echo
  echo "Raw output: \`benchmarks/target/run/\` (JMH JSON and log, cluster log, every member's log)."
} > "$OUT"

echo ">> wrote $OUT (${elapsed}s)"
if ((local_status != 0 || cluster_status != 0)); then
  echo "!! a benchmark failed (JMH exit $local_status, cluster exit $cluster_status)" >&2
  exit 1
fi
