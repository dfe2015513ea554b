#!/usr/bin/env bash
# srmlint diff's benchmark: a git repository of 1,000 generated controls files
# (bench/run.sh's fleet generator, seed 2026) in which 50 files change, in the work tree
# and between two commits; `srmlint diff` is timed against one `srmlint check` of the
# same tree. The target is diff ≤ 3× check. See docs/performance.md.
#
# Usage: bench/diff.sh              (from anywhere in the repository)
#        RUNS=20 bench/diff.sh      (more runs per command; default 10)
#        FILES=10000 CHANGED=500 bench/diff.sh
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"
FILES="${FILES:-1000}"
CHANGED="${CHANGED:-50}"
TODAY="2026-11-28"
REPO="$PWD/target/bench-diff/repo"
SRMLINT="$PWD/target/release/srmlint"
GEN="$PWD/target/release/examples/gen_fleet"

if ! command -v hyperfine >/dev/null; then
    echo "bench/diff.sh needs hyperfine: apt-get install hyperfine" >&2
    exit 2
fi

echo "== building (release)"
cargo build --release --quiet --bin srmlint --example gen_fleet

echo "== a repository of $FILES controls files under $REPO"
rm -rf "$REPO"
"$GEN" "$REPO" "$FILES" >/dev/null
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
git -C "$REPO" init --quiet --initial-branch=main
git -C "$REPO" add --all
git -C "$REPO" commit --quiet -m base
base="$(git -C "$REPO" rev-parse HEAD)"

# The change: in $CHANGED files (every 20th, in path order), one owner word flipped
# and a service added, so each changed file has entry, deployment and finding changes.
mapfile -t files < <(cd "$REPO" && git ls-files '*controls.toml' | awk -v n="$CHANGED" -v total="$FILES" 'NR % int(total / n) == 1' | head -n "$CHANGED")
for file in "${files[@]}"; do
    sed -i -e '0,/owner = "customer"/s//owner = "exoscale"/' \
        -e '0,/^services = \[/s//services = ["dbaas-kafka", /' "$REPO/$file"
done
echo "   changed ${#files[@]} files"

cd "$REPO"
echo "== work tree against HEAD"
hyperfine --shell=none --warmup 1 --runs "$RUNS" --ignore-failure \
    --export-markdown "$REPO/../work-tree.md" \
    -n "check" "$SRMLINT check . --format json --today $TODAY" \
    -n "diff (work tree vs HEAD)" "$SRMLINT diff --format json --today $TODAY"
git add --all
git commit --quiet -m change
echo "== two commits"
hyperfine --shell=none --warmup 1 --runs "$RUNS" --ignore-failure \
    --export-markdown "$REPO/../commits.md" \
    -n "check" "$SRMLINT check . --format json --today $TODAY" \
    -n "diff --base BASE --head HEAD" "$SRMLINT diff --base $base --head HEAD --format json --today $TODAY"
cat "$REPO/../work-tree.md" "$REPO/../commits.md"
