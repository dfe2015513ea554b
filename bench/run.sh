#!/usr/bin/env bash
# srmlint's scale benchmark: `srmlint check` over fleets of 1, 1,000 and 10,000
# controls files, in JSON and human format, against the floor (walking the same tree,
# reading every file and parsing it with the same TOML parser, nothing else), plus
# one 0.8 MB file with 10,000 findings for the human renderer, and the Terraform check:
# the largest fleet again with a Terraform folder of ten resources beside every
# controls file (against the same fleet without it), the same with that folder written
# as real modules are (variables, tfvars, locals, count, for_each, a module), and one
# root module of 2,000
# resources in 200 `.tf` files. Prints mean wall time, the ratio to the floor (or to
# the run without Terraform), CPU time (user + system) and peak memory. See
# docs/performance.md.
#
# Usage: bench/run.sh            (from anywhere in the repository)
#        RUNS=20 bench/run.sh    (more runs per command; default 10)
#        SIZES="1 1000" bench/run.sh
#        BEFORE=/path/to/older/srmlint bench/run.sh
#                                (also measures an older build on the same fleets, side by
#                                 side, for a before/after comparison on one machine)
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"
SIZES="${SIZES:-1 1000 10000}"
TODAY="2026-11-28"
OUT="target/bench-fleet"
SRMLINT="target/release/srmlint"
GEN="target/release/examples/gen_fleet"
FLOOR="target/release/examples/parse_floor"

if ! command -v hyperfine >/dev/null; then
    echo "bench/run.sh needs hyperfine: apt-get install hyperfine (Debian/Ubuntu)," >&2
    echo "brew install hyperfine, or cargo install hyperfine" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench/run.sh needs GNU time for peak memory: apt-get install time" >&2
    exit 2
fi

echo "== building (release)"
cargo build --release --quiet --bin srmlint --example gen_fleet --example parse_floor

echo "== generating fleets under $OUT (seed 2026)"
for size in $SIZES; do
    rm -rf "${OUT:?}/$size"
    "$GEN" "$OUT/$size" "$size"
done
# The largest fleet with Terraform beside every file, and one large root module.
largest="${SIZES##* }"
rm -rf "${OUT:?}/terraform-$largest" "${OUT:?}/evaluated-$largest" "${OUT:?}/module-2000"
"$GEN" "$OUT/terraform-$largest" "$largest" --terraform
# The same fleet with Terraform written as real modules are (variables, tfvars,
# locals, count, for_each, a module): what evaluating it costs.
"$GEN" "$OUT/evaluated-$largest" "$largest" --evaluated
"$GEN" --module "$OUT/module-2000"
# One large file with 10,000 findings (unknown controls): the case where a renderer
# that rescans the file for every finding is quadratic.
stress="$OUT/stress-10000-findings"
rm -rf "$stress" && mkdir -p "$stress"
awk 'BEGIN {
    print "[deployment]\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n"
    for (i = 0; i < 10000; i++)
        printf "[controls.backup-restore-%d]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n\n", i
}' >"$stress/controls.toml"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# mean_ms CSV: the mean wall time in ms of the single command in a hyperfine CSV.
mean_ms() { awk -F, 'NR == 2 { printf "%.1f", $2 * 1000 }' "$1"; }
stddev_ms() { awk -F, 'NR == 2 { printf "%.1f", $3 * 1000 }' "$1"; }
# cpu_ms CSV: mean user + system time in ms: steadier than wall time on a shared machine.
cpu_ms() { awk -F, 'NR == 2 { printf "%.1f", ($5 + $6) * 1000 }' "$1"; }
# peak_mb CMD...: the maximum resident set size of one run, in MB.
peak_mb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null |
        awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }'
}
# measure NAME CMD...: hyperfine over one command, exit codes ignored (findings exit 1).
measure() {
    local name="$1"
    shift
    # Warnings about the exit code go to a log; a real failure shows it and stops.
    if ! hyperfine --style none --shell=none --ignore-failure --warmup 1 --runs "$RUNS" \
        --export-csv "$results/$name.csv" -- "$*" >"$results/$name.log" 2>&1; then
        cat "$results/$name.log" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\t%s\n' "$(mean_ms "$results/$name.csv")" \
        "$(stddev_ms "$results/$name.csv")" "$(peak_mb "$@")" \
        "$(cpu_ms "$results/$name.csv")" >"$results/$name.row"
}

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo "== machine: $(nproc) cores, ${cpu:-unknown CPU}, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "== measuring ($RUNS runs each)"
rows=()
for size in $SIZES; do
    fleet="$OUT/$size"
    if [ "$size" = 1 ]; then
        # A pre-commit hook checks one file by name, process start included.
        target="$(find "$fleet" -name '*controls.toml' | head -n 1)"
    else
        target="$fleet"
    fi
    measure "floor-$size" "$FLOOR" "$fleet"
    measure "floor1-$size" "$FLOOR" "$fleet" --threads 1
    measure "json-$size" "$SRMLINT" check "$target" --format json --today "$TODAY"
    measure "human-$size" "$SRMLINT" check "$target" --format human --today "$TODAY"
    if [ -n "${BEFORE:-}" ]; then
        measure "before-json-$size" "$BEFORE" check "$target" --format json --today "$TODAY"
    fi
    rows+=("$size")
done
measure "terraform-json" "$SRMLINT" check "$OUT/terraform-$largest" --format json --today "$TODAY"
measure "evaluated-json" "$SRMLINT" check "$OUT/evaluated-$largest" --format json --today "$TODAY"
if [ -n "${BEFORE:-}" ]; then
    measure "before-evaluated-json" "$BEFORE" check "$OUT/evaluated-$largest" --format json --today "$TODAY"
fi
measure "module-json" "$SRMLINT" check "$OUT/module-2000" --format json --today "$TODAY"
measure "stress-json" "$SRMLINT" check "$stress/controls.toml" --format json --today "$TODAY"
measure "stress-human" "$SRMLINT" check "$stress/controls.toml" --format human --today "$TODAY"

row() { # row LABEL FILES NAME FLOOR-NAME
    local mean stddev peak cpu floor ratio
    IFS=$'\t' read -r mean stddev peak cpu <"$results/$3.row"
    ratio="-"
    if [ -n "$4" ]; then
        IFS=$'\t' read -r floor _ _ _ <"$results/$4.row"
        ratio="$(awk -v a="$mean" -v b="$floor" 'BEGIN { printf "%.2fx", a / b }')"
    fi
    printf '%-28s %7s %11s %9s %8s %10s %10s\n' "$1" "$2" "$mean" "$stddev" "$ratio" "$cpu" "$peak"
}

echo
printf '%-28s %7s %11s %9s %8s %10s %10s\n' "command" "files" "mean (ms)" "σ (ms)" "/floor" "CPU (ms)" "peak (MB)"
for size in "${rows[@]}"; do
    row "floor (parse only)" "$size" "floor-$size" ""
    row "floor, 1 thread" "$size" "floor1-$size" "floor-$size"
    row "srmlint check --format json" "$size" "json-$size" "floor-$size"
    row "srmlint check --format human" "$size" "human-$size" "floor-$size"
    if [ -n "${BEFORE:-}" ]; then
        row "before: check --format json" "$size" "before-json-$size" "floor-$size"
    fi
done
row "json, with Terraform" "$largest" "terraform-json" "json-$largest"
row "json, evaluated Terraform" "$largest" "evaluated-json" "json-$largest"
if [ -n "${BEFORE:-}" ]; then
    row "before: evaluated Terraform" "$largest" "before-evaluated-json" "before-json-$largest"
fi
row "json, 2,000-resource module" "1" "module-json" ""
row "json, 10,000 findings" "1" "stress-json" ""
row "human, 10,000 findings" "1" "stress-human" ""
