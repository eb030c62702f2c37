#!/usr/bin/env bash
# Sweep benchmark: one experiment config run with --jobs 1 and with --jobs N (default: the
# number of cores) into fresh run stores, in one run; prints both wall times, the speedup,
# and whether the two stores hold the same results, run by run.
#   bench/sweep.sh [CONFIG] [N]    CONFIG default: experiments/examples/adding.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-experiments/examples/adding.yaml}
JOBS=${2:-$(nproc)}
swift build -c release --product vanish >/dev/null
VANISH=$(swift build -c release --show-bin-path)/vanish
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {
    local start end
    start=$(date +%s.%N)
    "$VANISH" sweep "$CONFIG" --jobs "$1" --store "$2" --quiet >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
one=$(seconds 1 "$work/one")
many=$(seconds "$JOBS" "$work/many")

# Same results: every file of every run byte for byte, but summary.json's wall time (and
# the checksum of summary.json that therefore differs).
runs=0 differing=0
for run in "$work"/one/*/*/; do
    [ -f "$run/summary.json" ] || continue
    twin="$work/many/${run#"$work/one/"}"
    runs=$((runs + 1))
    same=1
    for file in "$run"*; do
        name=$(basename "$file")
        case $name in
            summary.fnv1a64) ;;
            summary.json) diff <(grep -v '"wall_seconds"' "$file") <(grep -v '"wall_seconds"' "$twin/$name") >/dev/null || same=0 ;;
            *) cmp -s "$file" "$twin/$name" || same=0 ;;
        esac
    done
    [ $same = 1 ] || differing=$((differing + 1))
done
[ "$runs" -gt 0 ] || { echo "sweep.sh: no runs found in $work/one" >&2; exit 1; }
awk -v c="$CONFIG" -v r="$runs" -v j="$JOBS" -v a="$one" -v b="$many" -v d="$differing" 'BEGIN {
    printf "%s: %d runs; --jobs 1 %.1f s, --jobs %d %.1f s: %.2f× faster; runs with different results: %d\n", c, r, a, j, b, a / b, d }'
