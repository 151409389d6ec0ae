#!/usr/bin/env bash
# Test servers on loopback for ArrayMorph's store and integration tests.
#   .ci/servers.sh install   npm-install Azurite and fetch the S3Proxy jar into .ci/tools/
#   .ci/servers.sh start     start both on 127.0.0.1, wait until they answer, write .ci/tools/servers.env
#   .ci/servers.sh stop      stop both by their recorded PIDs
# After `start`, `source .ci/tools/servers.env` exports ARRAYMORPH_TEST_S3_* and
# ARRAYMORPH_TEST_AZURE_CONNECTION_STRING, which the tests' S3ProxyServer/AzuriteServer use instead of
# starting their own servers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.ci/tools"
S3PROXY_VERSION=4.1.0
AZURITE_VERSION=3.37.0
S3PROXY_JAR="$TOOLS/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
AZURITE_BIN="$TOOLS/node_modules/.bin/azurite-blob"
ENV_FILE="$TOOLS/servers.env"
# Azurite's well-known development account key (public, not a secret).
DEV_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

install() {
  mkdir -p "$TOOLS"
  if [ ! -x "$AZURITE_BIN" ]; then
    [ -f "$TOOLS/package.json" ] || echo '{"name":"arraymorph-ci-tools","private":true}' > "$TOOLS/package.json"
    (cd "$TOOLS" && npm install --no-audit --no-fund "azurite@$AZURITE_VERSION")
  fi
  if [ ! -f "$S3PROXY_JAR" ]; then
    (cd "$ROOT" && mvn -B -q -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
      "-DoutputDirectory=$TOOLS")
  fi
}

# Waits until a line matching $2 appears in log $1 and prints the port (group after 127.0.0.1:).
wait_for_port() {
  local log="$1" pattern="$2" pid="$3" i
  for i in $(seq 1 600); do
    if grep -Eo "$pattern" "$log" >/dev/null 2>&1; then
      grep -Eo "$pattern" "$log" | head -1 | grep -Eo '[0-9]+$'
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server $pid exited; log $log:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "no port in $log after 60 s" >&2
  return 1
}

# Waits until an HTTP request to $1 gets any answer.
wait_http() {
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null --max-time 2 "$1"; then return 0; fi
    sleep 0.1
  done
  echo "no answer from $1" >&2
  return 1
}

start() {
  [ -f "$S3PROXY_JAR" ] && [ -x "$AZURITE_BIN" ] || { echo "run .ci/servers.sh install first" >&2; exit 1; }
  stop >/dev/null 2>&1 || true
  local dir="$TOOLS/run"
  rm -rf "$dir" && mkdir -p "$dir"
  local access="arraymorph" secret="arraymorph-secret-$RANDOM$RANDOM"
  cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:0
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access
s3proxy.credential=$secret
jclouds.provider=transient
jclouds.identity=$access
jclouds.credential=$secret
PROPS
  java -Xmx512m -jar "$S3PROXY_JAR" --properties "$dir/s3proxy.properties" > "$dir/s3proxy.log" 2>&1 &
  local s3_pid=$!
  "$AZURITE_BIN" --blobHost 127.0.0.1 --blobPort 0 --loose --skipApiVersionCheck --disableTelemetry \
    --inMemoryPersistence --extentMemoryLimit 1024 > "$dir/azurite.log" 2>&1 &
  local az_pid=$!
  echo "S3PROXY_PID=$s3_pid" > "$ENV_FILE"
  echo "AZURITE_PID=$az_pid" >> "$ENV_FILE"
  local s3_port az_port
  s3_port=$(wait_for_port "$dir/s3proxy.log" 'Started .*\{127\.0\.0\.1:[0-9]+' "$s3_pid")
  az_port=$(wait_for_port "$dir/azurite.log" 'listens on http://127\.0\.0\.1:[0-9]+' "$az_pid")
  wait_http "http://127.0.0.1:$s3_port/"
  wait_http "http://127.0.0.1:$az_port/"
  cat > "$ENV_FILE" <<ENV
S3PROXY_PID=$s3_pid
AZURITE_PID=$az_pid
export ARRAYMORPH_TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port
export ARRAYMORPH_TEST_S3_ACCESS_KEY=$access
export ARRAYMORPH_TEST_S3_SECRET_KEY=$secret
export ARRAYMORPH_TEST_AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$DEV_KEY;BlobEndpoint=http://127.0.0.1:$az_port/devstoreaccount1;'
ENV
  echo "S3Proxy on 127.0.0.1:$s3_port (pid $s3_pid), Azurite on 127.0.0.1:$az_port (pid $az_pid); see $ENV_FILE"
}

stop() {
  [ -f "$ENV_FILE" ] || return 0
  local pid
  for pid in $(grep -E '^(S3PROXY|AZURITE)_PID=' "$ENV_FILE" | cut -d= -f2); do
    kill "$pid" 2>/dev/null || true
  done
  rm -f "$ENV_FILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
