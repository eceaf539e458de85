#!/usr/bin/env bash
# gossipcache demo: builds the project, then runs a 3-node cluster of the sample app on 127.0.0.1
# (HTTP 8081, 8082, 8083, each with its cluster page at /; cluster ports 7800-7810, all loopback). Ctrl-C stops
# every node it started.
#
#   ./demo.sh               build, then start the cluster
#   SKIP_BUILD=1 ./demo.sh  reuse sample-app/target/sample-app.jar
set -euo pipefail
cd "$(dirname "$0")"

PORTS=(8081 8082 8083)
JAR=sample-app/target/sample-app.jar
LOGS=target/demo
START_TIMEOUT=${START_TIMEOUT:-120}

command -v java >/dev/null || { echo "java (17+) is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${PORTS[@]}"; do
  if port_in_use "$port"; then
    echo "Port $port on 127.0.0.1 is in use: stop what runs there first." >&2
    exit 1
  fi
done

echo "==> The cluster pages, once the nodes are up: http://127.0.0.1:${PORTS[0]}/  http://127.0.0.1:${PORTS[1]}/  http://127.0.0.1:${PORTS[2]}/"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "==> Building (./mvnw -B -q package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
fi
[[ -f "$JAR" ]] || { echo "No $JAR: run without SKIP_BUILD" >&2; exit 1; }

mkdir -p "$LOGS"
PIDS=()

stop_nodes() {
  trap - INT TERM EXIT
  ((${#PIDS[@]})) || return 0
  echo
  echo "==> Stopping nodes (pids ${PIDS[*]}) ..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do                       # up to 20 s for a graceful leave
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  echo "==> All nodes stopped. Logs: $LOGS/"
}
trap stop_nodes EXIT
trap 'exit 130' INT TERM

start_node() {
  local port=$1
  java -Djava.net.preferIPv4Stack=true -jar "$JAR" --server.port="$port" >"$LOGS/node-$port.log" 2>&1 &
  PIDS+=($!)
  echo "    node on port $port: pid $! (log $LOGS/node-$port.log)"
}

await_healthy() {
  local port=$1 pid=$2 deadline=$((SECONDS + START_TIMEOUT))
  until curl -sf "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Node on port $port exited; last lines of $LOGS/node-$port.log:" >&2
      tail -n 30 "$LOGS/node-$port.log" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "Node on port $port not healthy after ${START_TIMEOUT}s (see $LOGS/node-$port.log)" >&2
      exit 1
    fi
    sleep 0.5
  done
}

members() { curl -sf "http://127.0.0.1:$1/actuator/gossipcache" 2>/dev/null | grep -o '"self"' | wc -l; }

echo "==> Starting 3 nodes of the sample app on 127.0.0.1 ..."
start_node "${PORTS[0]}"                 # the first founds the cluster,
await_healthy "${PORTS[0]}" "${PIDS[0]}"
start_node "${PORTS[1]}"                 # the others join it
start_node "${PORTS[2]}"
await_healthy "${PORTS[1]}" "${PIDS[1]}"
await_healthy "${PORTS[2]}" "${PIDS[2]}"
deadline=$((SECONDS + 60))
for port in "${PORTS[@]}"; do
  until [[ "$(members "$port")" -eq 3 ]]; do
    ((SECONDS < deadline)) || { echo "Node $port does not see 3 members (see $LOGS/)" >&2; exit 1; }
    sleep 0.5
  done
done

cat <<TXT

==> gossipcache cluster is up: 3 members. The cluster page of each node (open them side by side):
    http://127.0.0.1:8081/   http://127.0.0.1:8082/   http://127.0.0.1:8083/

Try (in another terminal):
  # put on node 1, read on node 2 (ttl optional: 30s, 5m, PT1H or seconds)
  curl -X PUT --data-binary 'hello' 'http://127.0.0.1:8081/cache/greetings/en?ttl=60s'
  curl http://127.0.0.1:8082/cache/greetings/en
  # a JSON value is stored and served as JSON; list a cache's keys (?prefix= ?limit= ?cursor=)
  curl -X PUT -H 'Content-Type: application/json' -d '{"lang":"en","words":["hello","hi"]}' http://127.0.0.1:8081/cache/greetings/doc
  curl 'http://127.0.0.1:8083/cache/greetings?limit=10'
  # a slow (400 ms) quote computed once, served by every node: see computedBy
  curl http://127.0.0.1:8081/quotes/ACME
  curl http://127.0.0.1:8083/quotes/ACME
  # membership, mode and cache sizes
  curl http://127.0.0.1:8082/actuator/gossipcache
  # node 3 leaves and works as a local cache, then comes back and reconciles
  curl -X POST -H 'Content-Type: application/json' -d '{"mode":"LOCAL"}' http://127.0.0.1:8083/actuator/gossipcache
  curl -X POST -H 'Content-Type: application/json' -d '{"mode":"CLUSTERED"}' http://127.0.0.1:8083/actuator/gossipcache
  # this node only
  curl -X PUT -H 'X-Local-Only: true' --data-binary 'mine' http://127.0.0.1:8081/cache/greetings/local
  # evict everywhere; health; Prometheus
  curl -X DELETE http://127.0.0.1:8081/cache/greetings/en
  curl http://127.0.0.1:8081/actuator/health
  curl http://127.0.0.1:8081/actuator/prometheus | grep gossipcache_

Press Ctrl-C to stop all nodes.
TXT

wait "${PIDS[@]}" || true
