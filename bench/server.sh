#!/usr/bin/env bash
# The language server's benchmark: the check behind the diagnostics after a change to
# the largest controls file of the 1,000-file fleet of bench/run.sh (seed 2026), from
# the end of the debounce to the diagnostics on the wire (bench/server.py). Target: a
# median of at most 50 ms. See docs/performance.md.
#
# Usage: bench/server.sh                  (release build; RUNS=30 changes)
#        TERRAFORM=1 bench/server.sh      (the fleet with Terraform beside every file)
#        SRMLINT=target/debug/srmlint GEN=target/debug/examples/gen_fleet bench/server.sh
#                                         (a quick look without a release build)
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${RUNS:-30}"
OUT="target/bench-server"
SRMLINT="${SRMLINT:-target/release/srmlint}"
GEN="${GEN:-target/release/examples/gen_fleet}"

if [ "$SRMLINT" = target/release/srmlint ]; then
    echo "== building (release)"
    cargo build --release --quiet --bin srmlint --example gen_fleet
fi
rm -rf "${OUT:?}"
if [ -n "${TERRAFORM:-}" ]; then
    "$GEN" "$OUT" 1000 --terraform
else
    "$GEN" "$OUT" 1000
fi
largest="$(find "$OUT" -name '*controls.toml' -type f -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)"
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo "== machine: $(nproc) cores, ${cpu:-unknown CPU}, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
python3 bench/server.py "$SRMLINT" "$largest" "$RUNS"
