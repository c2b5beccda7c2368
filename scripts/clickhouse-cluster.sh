#!/usr/bin/env bash
# A local 2-shard ClickHouse cluster for Cloak's engine tests and benchmarks: two plain `clickhouse-server` processes on
# loopback ports, each with its own config, data, tmp and log folders under one directory, stopped by their pids.
#
#   scripts/clickhouse-cluster.sh start [DIR] [BASE_PORT]   (default DIR test-artifacts/clickhouse, BASE_PORT 18120)
#   scripts/clickhouse-cluster.sh stop  [DIR]
#
# Node i (1, 2) listens on HTTP BASE_PORT+i-1, native TCP BASE_PORT+10+i-1 and interserver BASE_PORT+20+i-1. Both
# know the cluster `cloak` (one shard per node). Users: `default` without a password, and `cloak_test` with the
# password `cloak-test-password` (for the credential tests; a test cluster only). `start` returns once both answer
# /ping; it prints "http ports: P1 P2". ON CLUSTER DDL needs ZooKeeper, so tables are created on each node.
set -euo pipefail

command=${1:-}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$root/test-artifacts/clickhouse}
base=${3:-18120}

server_binary() {
  for candidate in clickhouse-server /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do
    if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
  done
  echo "clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client)" >&2
  return 1
}

write_node_config() {
  local node=$1 http=$2 tcp=$3 interserver=$4 tcp1=$5 tcp2=$6
  local folder=$dir/node$node
  mkdir -p "$folder/data" "$folder/tmp" "$folder/log" "$folder/user_files" "$folder/format_schemas"
  cat >"$folder/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$folder/log/server.log</log>
    <errorlog>$folder/log/error.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$interserver</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>128</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$folder/data/</path>
  <tmp_path>$folder/tmp/</tmp_path>
  <user_files_path>$folder/user_files/</user_files_path>
  <format_schema_path>$folder/format_schemas/</format_schema_path>
  <users_config>$folder/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
  <remote_servers>
    <cloak>
      <shard><replica><host>127.0.0.1</host><port>$tcp1</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$tcp2</port></replica></shard>
    </cloak>
  </remote_servers>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
EOF
  cat >"$folder/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
    <readonly><readonly>1</readonly></readonly>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <cloak_test>
      <password>cloak-test-password</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </cloak_test>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
}

ping() {
  local port=$1
  if command -v curl >/dev/null 2>&1; then curl -sf "http://127.0.0.1:$port/ping" >/dev/null 2>&1; return; fi
  node -e "require('http').get('http://127.0.0.1:$port/ping', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"
}

start() {
  local binary
  binary=$(server_binary)
  if [ -f "$dir/node1/pid" ] || [ -f "$dir/node2/pid" ]; then stop; fi
  local tcp1=$((base + 10)) tcp2=$((base + 11))
  for node in 1 2; do
    local http=$((base + node - 1)) tcp=$((base + 9 + node)) interserver=$((base + 19 + node))
    write_node_config "$node" "$http" "$tcp" "$interserver" "$tcp1" "$tcp2"
    (cd "$dir/node$node" && exec "$binary" --config-file="$dir/node$node/config.xml" >"$dir/node$node/log/stdout.log" 2>&1) &
    echo $! >"$dir/node$node/pid"
  done
  for node in 1 2; do
    local http=$((base + node - 1)) tries=0
    until ping "$http"; do
      tries=$((tries + 1))
      if ! kill -0 "$(cat "$dir/node$node/pid")" 2>/dev/null || [ $tries -gt 300 ]; then
        echo "clickhouse node $node did not start; its log:" >&2
        tail -n 20 "$dir/node$node/log/error.log" "$dir/node$node/log/stdout.log" >&2 2>/dev/null || true
        stop
        return 1
      fi
      sleep 0.1
    done
  done
  echo "http ports: $base $((base + 1))"
}

stop() {
  for node in 1 2; do
    local file=$dir/node$node/pid
    [ -f "$file" ] || continue
    local pid
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

case "$command" in
  start) mkdir -p "$dir"; start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR] [BASE_PORT]" >&2; exit 2 ;;
esac
