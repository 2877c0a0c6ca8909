#!/usr/bin/env bash
# Fuzzes one Breachline parser with AFL++ and SharpFuzz for some minutes and prints the figures.
#
#   fuzz/run.sh TARGET [MINUTES]      (default 10 minutes; targets: fuzz/run.sh --list)
#   fuzz/run.sh TARGET --replay FILE  (runs one saved input outside the fuzzer, e.g. a crash)
#
# Needs: the .NET SDK and AFL++ (Debian: apt-get install -y afl++). Installs the SharpFuzz instrumenter
# (dotnet tool SharpFuzz.CommandLine) into fuzz/.tools on first use. Everything it writes goes to
# fuzz/work/ (ignored by git): the instrumented build, seed corpora made from `breachline sample`,
# and AFL++'s findings (fuzz/work/TARGET/findings/default/{crashes,hangs,queue}).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
work="$here/work"
targets="elf-csv audit-trail rtem-json gateway-jsonl metadata-xml soql bundle record-csv data-yaml"

if [[ "${1:-}" == "--list" || -z "${1:-}" ]]; then
  echo "targets: $targets"; exit 0
fi
target="$1"
[[ " $targets " == *" $target "* ]] || { echo "unknown target '$target'; targets: $targets" >&2; exit 2; }

# One instrumented build per state of the sources, so a rebuild never replaces the files a running target uses.
stamp="$(cd "$repo" && find src/Breachline fuzz -path '*/bin' -prune -o -path '*/obj' -prune -o -path fuzz/work -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.yaml' \) -print | sort | xargs cat | sha256sum | cut -c1-12)"
build="$work/build-$stamp"
mkdir -p "$work"
exec 9>"$work/.build.lock"
flock 9  # two targets started together must not build into the same obj/ at once
if [[ ! -f "$build/.instrumented" ]]; then
  dotnet build "$here/Breachline.Fuzz.csproj" -c Release -o "$build" -v quiet -nologo
  tool="$here/.tools/sharpfuzz"
  [[ -x "$tool" ]] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$here/.tools" >/dev/null
  # The engine and the two parsing libraries it hands untrusted text to; the BCL's JSON and XML readers
  # cannot be instrumented and are reached through the engine's own code.
  for dll in Breachline.Engine.dll Sep.dll YamlDotNet.dll; do
    "$tool" "$build/$dll"
  done
  touch "$build/.instrumented"
fi

if [[ "${2:-}" == "--replay" ]]; then
  # Instrumented code needs AFL++'s shared memory, so inputs are replayed on a plain build: real stack traces.
  replay="$work/replay-$stamp"
  [[ -f "$replay/Breachline.Fuzz.dll" ]] || dotnet build "$here/Breachline.Fuzz.csproj" -c Release -o "$replay" -v quiet -nologo >/dev/null
  shift 2
  flock -u 9
  exec dotnet "$replay/Breachline.Fuzz.dll" "$target" "$@"
fi
flock -u 9
minutes="${2:-10}"

# Seeds: small pieces of a generated sample org, so every target starts from the real formats.
org="$work/sample-org"
if [[ ! -f "$org/org.yaml" ]]; then
  rm -rf "$org"
  dotnet run --project "$repo/src/Breachline.Cli" -c Release -- sample --out "$org" --students 30 --days 5 --seed 12 >/dev/null
fi
seeds="$work/$target/seeds"
rm -rf "$seeds"; mkdir -p "$seeds"
fixtures="$repo/tests/Breachline.Tests/Fixtures"
prefixed() { # BYTE FILE OUT: the first byte selects the loader or metadata type in those targets
  { printf "\\x$(printf %02x "$1")"; head -c 16384 "$2"; } > "$3"
}
case "$target" in
  elf-csv)
    for f in "$org"/logs/*.csv; do [[ "$f" == *SetupAuditTrail* ]] || head -n 6 "$f" > "$seeds/$(basename "$f")"; done ;;
  audit-trail)
    head -n 8 "$org/logs/SetupAuditTrail.csv" > "$seeds/sample.csv"
    cp "$fixtures/hunt/org/logs/SetupAuditTrail.csv" "$seeds/fixture.csv" ;;
  rtem-json)
    cp "$fixtures/hunt/org/logs/ApiEvent.json" "$seeds/array.json"
    printf '{"totalSize":1,"done":true,"records":[{"attributes":{"type":"ApiEvent"},"EventDate":"2026-03-14T05:00:00.000+0000","UserId":"0058n0000048uLHAAY","SourceIp":"185.220.101.7","Query":"SELECT Id FROM Contact","RowsProcessed":2000}]}\n' > "$seeds/soql-result.json"
    printf '{"EventDate":"2026-03-14T05:00:00Z","UserId":"0058n0000048uLH","Operation":"Query","RowsProcessed":5}\n{"EventDate":"2026-03-14T05:01:00Z","UserId":"0058n0000048uLH","RowsProcessed":7}\n' > "$seeds/lines.jsonl" ;;
  gateway-jsonl)
    head -n 8 "$org"/gateway/*.jsonl > "$seeds/sample.jsonl"
    cp "$fixtures/hunt/readers/gateway-broken.jsonl" "$seeds/broken.jsonl" ;;
  metadata-xml)
    suffixes=(connectedApp profile permissionset object field sharingRules settings remoteSite namedCredential externalCredential site transactionSecurityPolicy)
    n=0
    while IFS= read -r -d '' f; do
      for i in "${!suffixes[@]}"; do
        if [[ "$f" == *".${suffixes[$i]}-meta.xml" ]]; then prefixed "$i" "$f" "$seeds/$((n++)).xml"; break; fi
      done
    done < <(find "$org/metadata" -name '*-meta.xml' -size -16k -print0 | sort -z) ;;
  soql)
    cp "$here"/seeds/soql/*.soql "$seeds/"
    cut -d'"' -f16 "$org/logs/UniqueQuery.csv" | grep '^SELECT' | sort -u | head -n 20 | split -l 1 - "$seeds/log-" ;;
  bundle)
    mini="$work/bundle-org"; ws="$work/bundle-ws"
    rm -rf "$mini" "$ws"; mkdir -p "$mini/logs"
    cp "$org/org.yaml" "$mini/"; head -n 3 "$org/logs/API.csv" > "$mini/logs/API.csv"
    cli=(dotnet run --project "$repo/src/Breachline.Cli" -c Release --no-build --)
    "${cli[@]}" collect "$mini" --workspace "$ws" --actor fuzz >/dev/null
    "${cli[@]}" evidence export --out "$seeds/bundle.zip" --workspace "$ws" --actor fuzz >/dev/null ;;
  record-csv)
    for f in "$org"/records/*.csv; do head -n 5 "$f" > "$seeds/$(basename "$f")"; done ;;
  data-yaml)
    prefixed 0 "$org/org.yaml" "$seeds/org.yaml"
    prefixed 1 "$fixtures/notify/vendor-org/customers.yaml" "$seeds/customers.yaml"
    prefixed 2 "$repo/src/Breachline/Data/playbook.yaml" "$seeds/playbook.yaml"
    prefixed 3 "$repo/src/Breachline/Data/containment/playbook.yaml" "$seeds/containment.yaml"
    prefixed 4 "$repo/src/Breachline/Data/hunts/secret-soql.yaml" "$seeds/hunt.yaml"
    head -n 60 "$repo/src/Breachline/Data/regimes/federal.yaml" > "$work/regime-head.yaml"
    prefixed 5 "$work/regime-head.yaml" "$seeds/regime.yaml"
    printf 'ips: [185.220.101.0/24, 2001:db8::1]\nusers: [0058n0000048uLH]\nuserAgents: [python-requests]\n' > "$work/iocs.yaml"
    prefixed 6 "$work/iocs.yaml" "$seeds/iocs.yaml" ;;
esac

out="$work/$target/findings"
rm -rf "$out"
echo "fuzzing $target for $minutes min with $(ls "$seeds" | wc -l) seeds; load: $(uptime | sed 's/.*load average: //')"
# -t: the first run of an input includes .NET JIT time; -m none: the CLR reserves far more address space than it uses.
AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
AFL_FORKSRV_INIT_TMOUT=60000 \
  afl-fuzz -i "$seeds" -o "$out" -t 10000 -m none -V $((minutes * 60)) -- dotnet "$build/Breachline.Fuzz.dll" "$target" \
  > "$work/$target/afl.log" 2>&1 || { tail -n 30 "$work/$target/afl.log" >&2; exit 1; }

stats="$out/default/fuzzer_stats"
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
summary="$target: $(get run_time)s, $(get execs_done) execs ($(get execs_per_sec)/s), corpus $(get corpus_count), edges $(get edges_found) ($(get bitmap_cvg)), crashes $(get saved_crashes), hangs $(get saved_hangs); load after: $(uptime | sed 's/.*load average: //')"
echo "$summary" | tee "$work/$target/summary.txt"
