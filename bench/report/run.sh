#!/usr/bin/env bash
# Report time for a 2 GB-log incident, next to a peer in the same run: Python's json module reading
# incident.json and writing it back (the floor: any report must at least read the document it renders).
#
# Usage: bash bench/report/run.sh [DIR] [LOG_SIZE]      (defaults: /tmp/breachline-report-bench, 2GB)
# DIR/org is generated once (breachline sample) and DIR/ws holds the run; later calls reuse both.
set -euo pipefail
dir=${1:-/tmp/breachline-report-bench}
size=${2:-2GB}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release -v q "$root/src/Breachline.Cli" >/dev/null
cli=(dotnet "$root/src/Breachline.Cli/bin/Release/net10.0/breachline.dll")
mkdir -p "$dir"
if [ ! -f "$dir/org/truth.json" ]; then
  "${cli[@]}" sample --out "$dir/org" --scenario token-theft --log-size "$size"
fi
if [ ! -f "$dir/ws/out/incident.json" ]; then
  "${cli[@]}" -w "$dir/ws" run "$dir/org" --title "report bench" --detected-at 2026-03-17T09:12 --aware-at 2026-03-17T15:40 || [ $? -eq 1 ]
fi
logs=$(du -sb "$dir/org/logs" | cut -f1)
echo "logs $(awk "BEGIN{printf \"%.2f\", $logs/1e9}") GB; incident.json $(stat -c %s "$dir/ws/out/incident.json") bytes; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
"${cli[@]}" -w "$dir/ws" report --out "$dir/report" --as-of 2026-03-18T21:40 >/dev/null || [ $? -eq 1 ]
t1=$(ms)
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=2)' "$dir/ws/out/incident.json" "$dir/peer.json"
t2=$(ms)
report=$((t1 - t0)); peer=$((t2 - t1))
echo "breachline report (html + md + json, process start included): ${report} ms; $(stat -c %s "$dir/report/report.html") bytes html, $(stat -c %s "$dir/report/report.md") bytes md"
echo "peer, python json load + dump of incident.json: ${peer} ms"
awk "BEGIN{printf \"ratio report/peer: %.2f\n\", $report/$peer}"
