#!/usr/bin/env bash
# The GitHub Action's step (action.yml): builds srmlint from the action's checkout
# (unless SRMLINT_BIN names a binary), runs `srmlint check` with SARIF written,
# appends the posture report and, on pull requests, the ownership diff to the step
# summary, and sets the outputs sarif-file, errors and warnings. It exits with
# `check`'s exit code, so the job fails exactly when `srmlint check` would.
#
# Inputs come as INPUT_* variables (action.yml sets them from `inputs.*`); it runs
# offline in tests with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set to files.
set -euo pipefail

# GitHub rejects a step summary over 1 MiB; stay clear of it with a margin.
readonly SUMMARY_LIMIT=$((1024 * 1024 - 16 * 1024))

action_root="${SRMLINT_ACTION_PATH:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}"
scratch="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/srmlint-action.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT

is_true() {
  case "${1,,}" in
    true | yes | 1 | on) return 0 ;;
    false | no | 0 | off | "") return 1 ;;
    *)
      echo "::error title=srmlint::input value \"$1\" is not true or false" >&2
      exit 2
      ;;
  esac
}

# --- the binary -------------------------------------------------------------------
if [[ -n "${SRMLINT_BIN:-}" ]]; then
  srmlint="$SRMLINT_BIN"
else
  echo "::group::Build srmlint"
  cargo install --locked --quiet --path "$action_root" --root "$scratch/install"
  echo "::endgroup::"
  srmlint="$scratch/install/bin/srmlint"
fi

# --- the arguments shared by check, report and diff --------------------------------
paths=()
while IFS= read -r line; do
  # Trim the blanks around each line; empty lines are ignored.
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [[ -n "$line" ]]; then
    paths+=("$line")
  fi
done <<<"${INPUT_PATHS:-.}"
if ((${#paths[@]} == 0)); then
  paths=(.)
fi
common=()
if [[ -n "${INPUT_TODAY:-}" ]]; then
  common+=(--today "$INPUT_TODAY")
fi
check_flags=()
if is_true "${INPUT_DENY_WARNINGS:-false}"; then
  check_flags+=(--deny-warnings)
fi

output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

# --- check ---------------------------------------------------------------------------
sarif="${INPUT_SARIF-srmlint.sarif}"
status=0
if [[ -n "$sarif" ]]; then
  "$srmlint" check "${common[@]}" "${check_flags[@]}" --format sarif --output "$sarif" --force -- "${paths[@]}" || status=$?
else
  "$srmlint" check "${common[@]}" "${check_flags[@]}" --format concise -- "${paths[@]}" || status=$?
fi
output sarif-file "$sarif"

# The counts come from the JSON summary, the last `"errors": N` and `"warnings": N`
# of the document: strings in JSON escape their quotes, so none can fake them.
counts="$scratch/counts.json"
"$srmlint" check "${common[@]}" --format json --exit-zero -- "${paths[@]}" >"$counts" 2>/dev/null || true
count_of() {
  { grep -o "\"$1\": [0-9][0-9]*" "$counts" || true; } | tail -n 1 | grep -o '[0-9][0-9]*$' || echo 0
}
errors="$(count_of errors)"
warnings="$(count_of warnings)"
output errors "$errors"
output warnings "$warnings"
echo "srmlint: errors=$errors warnings=$warnings exit=$status"

# --- the step summary ----------------------------------------------------------------
# Appends the file $1 to the summary, cut at a line boundary so the summary stays under
# SUMMARY_LIMIT bytes less $3 (room kept for what comes after); says so when it cuts.
append_summary() {
  local file="$1" what="$2" keep="${3:-0}"
  local used=0 room size
  if [[ -f "$GITHUB_STEP_SUMMARY" ]]; then
    used="$(wc -c <"$GITHUB_STEP_SUMMARY")"
  fi
  room=$((SUMMARY_LIMIT - used - keep - 512))
  size="$(wc -c <"$file")"
  if ((room <= 0)); then
    return
  fi
  if ((size <= room)); then
    cat -- "$file" >>"$GITHUB_STEP_SUMMARY"
  else
    # Whole lines only, so no character is cut in two.
    head -c "$room" -- "$file" | sed '$d' >>"$GITHUB_STEP_SUMMARY"
    printf '\n\n*The %s was cut here to fit the step summary (%s bytes in all): run srmlint locally for the rest.*\n' "$what" "$size" >>"$GITHUB_STEP_SUMMARY"
  fi
}

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  # The diff is made first so the report, however long, leaves room for it.
  diff_md=""
  base="${SRMLINT_BASE_SHA:-}"
  if is_true "${INPUT_DIFF:-true}" && [[ -n "$base" ]]; then
    if [[ ! "$base" =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]]; then
      echo "::warning title=srmlint::the pull request's base \"$base\" is not a commit id; no ownership diff"
    else
      # A shallow checkout lacks the base commit: fetch that one commit.
      if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
        git fetch --quiet --no-tags --depth=1 origin "$base" || true
      fi
      diff_status=0
      "$srmlint" diff "${common[@]}" --base "$base" --format markdown -- "${paths[@]}" >"$scratch/diff.md" 2>"$scratch/diff.err" || diff_status=$?
      # Exit 1 only says the change adds an error; `check` decides the step.
      if ((diff_status <= 1)); then
        diff_md="$scratch/diff.md"
      else
        echo "::warning title=srmlint::no ownership diff: $(head -n 1 "$scratch/diff.err")"
      fi
    fi
  fi
  keep=0
  if [[ -n "$diff_md" ]]; then
    keep="$(wc -c <"$diff_md")"
    keep=$((keep < SUMMARY_LIMIT / 2 ? keep : SUMMARY_LIMIT / 2))
  fi
  if is_true "${INPUT_REPORT_SUMMARY:-true}"; then
    report="$scratch/report.md"
    if "$srmlint" report "${common[@]}" --format markdown -- "${paths[@]}" >"$report" 2>"$scratch/report.err"; then
      append_summary "$report" "posture report" "$keep"
    else
      echo "::warning title=srmlint::no posture report: $(head -n 1 "$scratch/report.err")"
    fi
  fi
  if [[ -n "$diff_md" ]]; then
    printf '\n' >>"$GITHUB_STEP_SUMMARY"
    append_summary "$diff_md" "ownership diff"
  fi
fi

exit "$status"
