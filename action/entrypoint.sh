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
      echo "::error title=srmlint::input value \"$(command_data "$1")\" is not true or false" >&2
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

# Text for a workflow command's message: `%`, CR and LF escaped as the runner reads
# them, and the legacy `##[` broken up, so nothing quoted can end the command or
# start another.
command_data() {
  local text="$1"
  text="${text//'%'/%25}"
  text="${text//$'\r'/%0D}"
  text="${text//$'\n'/%0A}"
  text="${text//'##['/'##\['}"
  printf '%s' "$text"
}

# The runner's files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY) are appended to only when
# they are regular files, never through a symbolic link.
env_file_ok() {
  if [[ -L "$1" ]] || [[ -e "$1" && ! -f "$1" ]]; then
    echo "::warning title=srmlint::$(command_data "$1") is not a regular file; nothing was written to it"
    return 1
  fi
}

# One output, written with a random heredoc delimiter: a value holding a line break
# (an input can) cannot add outputs of its own.
output() {
  local file="${GITHUB_OUTPUT:-}" delimiter
  if [[ -z "$file" ]] || ! env_file_ok "$file"; then
    return 0
  fi
  delimiter="srmlint_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  if [[ "$2" == *"$delimiter"* ]]; then
    echo "::error title=srmlint::the value of output $1 holds its own delimiter; not written" >&2
    exit 2
  fi
  printf '%s<<%s\n%s\n%s\n' "$1" "$delimiter" "$2" "$delimiter" >>"$file"
}

# --- check ---------------------------------------------------------------------------
# The default SARIF path lies under the runner's temporary folder, outside the
# checkout: a pull request cannot plant a link where it is written.
sarif="${INPUT_SARIF-auto}"
if [[ "$sarif" == auto ]]; then
  sarif="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/srmlint.sarif"
fi
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

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] && env_file_ok "$GITHUB_STEP_SUMMARY"; then
  # The diff is made first so the report, however long, leaves room for it.
  diff_md=""
  base="${SRMLINT_BASE_SHA:-}"
  if is_true "${INPUT_DIFF:-true}" && [[ -n "$base" ]]; then
    if [[ ! "$base" =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]]; then
      echo "::warning title=srmlint::the pull request's base \"$(command_data "$base")\" is not a commit id; no ownership diff"
    else
      # A shallow checkout lacks the base commit: fetch that one commit. When even
      # that fails, say what does help: a full clone.
      fetched=true
      if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
        git fetch --quiet --no-tags --depth=1 origin "$base" || fetched=false
      fi
      if [[ "$fetched" == false ]]; then
        echo "::warning title=srmlint::no ownership diff: the base commit $base is not in this shallow clone and could not be fetched from origin; set \`fetch-depth: 0\` on actions/checkout"
      else
        diff_status=0
        "$srmlint" diff "${common[@]}" --base "$base" --format markdown -- "${paths[@]}" >"$scratch/diff.md" 2>"$scratch/diff.err" || diff_status=$?
        # Exit 1 only says the change adds an error; `check` decides the step.
        if ((diff_status <= 1)); then
          diff_md="$scratch/diff.md"
        else
          echo "::warning title=srmlint::no ownership diff: $(command_data "$(head -n 1 "$scratch/diff.err")")"
        fi
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
      echo "::warning title=srmlint::no posture report: $(command_data "$(head -n 1 "$scratch/report.err")")"
    fi
  fi
  if [[ -n "$diff_md" ]]; then
    printf '\n' >>"$GITHUB_STEP_SUMMARY"
    append_summary "$diff_md" "ownership diff"
  fi
fi

exit "$status"
