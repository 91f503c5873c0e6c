#!/usr/bin/env bash
# Where the service's CPU goes at a fixed rate: starts the Release build (embedded Kafka, as the
# harness does), sets a constant rate, starts an unbounded run, waits a warm-up, then samples the
# process with `perf record -g` and prints the share of samples per library (kernel, JIT-compiled
# .NET code, the .NET runtime, libc, librdkafka) and the top symbols.
#
#   dotnet build -c Release
#   bench/profile/profile-service.sh [events-per-second=50000] [seconds=20] [warmup=15] [extra VAR=value ...]
#
# Needs perf (apt-get install linux-perf). Output: a summary on stdout; perf.data under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-50000}; seconds=${2:-20}; warmup=${3:-15}; shift $(( $# < 3 ? $# : 3 )) || true
command -v perf >/dev/null || { echo "perf not installed (apt-get install linux-perf)"; exit 2; }
dll=src/ClickstreamApi/bin/Release/net10.0/ClickstreamApi.dll
[ -f "$dll" ] || { echo "build first: dotnet build -c Release"; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
out=bench/results/profile-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out"
env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ENVIRONMENT=Production Observability__EventLogLinesPerSecond=0 \
    Observability__SummaryIntervalSeconds=0 Serilog__MinimumLevel__Default=Warning Generator__AutoStart=false "$@" \
    dotnet "$dll" --urls "http://127.0.0.1:$port" >"$out/service.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs -X PUT "http://127.0.0.1:$port/api/generator/rate" -H 'Content-Type: application/json' -d "{\"eventsPerSecond\":$rate}" >/dev/null
curl -fs -X POST "http://127.0.0.1:$port/api/generator/start" -H 'Content-Type: application/json' -d '{}' >/dev/null
sleep "$warmup"
before=$(awk '{print $14+$15}' /proc/$pid/stat)
perf record -q -g -F 499 -p "$pid" -o "$out/perf.data" -- sleep "$seconds" 2>/dev/null
after=$(awk '{print $14+$15}' /proc/$pid/stat)
gen=$(curl -fs "http://127.0.0.1:$port/api/generator" | python3 -c 'import json,sys; g=json.load(sys.stdin); print(g["achieved"]["last10Seconds"], g["skippedEvents"])')
echo "rate $rate/s target; achieved (last 10 s) and skipped: $gen; service CPU in the window: $(( (after - before) ))0 ms over ${seconds} s"
echo "## samples by library (self time)"
perf report -i "$out/perf.data" --no-children -g none --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
echo "## top symbols (self time)"
perf report -i "$out/perf.data" --no-children -g none --sort dso,sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
echo "perf.data: $out/perf.data"
