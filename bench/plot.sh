#!/usr/bin/env bash
# Plotting benchmark: vanish's renderer against matplotlib on the same figure, interleaved
# in one run (three rounds each), then the ratio of the medians.
#   bench/plot.sh [PYTHON]    PYTHON: an interpreter with matplotlib (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
swift build -c release --product vanish-bench >/dev/null
BENCH=$(swift build -c release --show-bin-path)/vanish-bench
have_matplotlib=1
"$PYTHON" -c "import matplotlib" 2>/dev/null || have_matplotlib=0
ours=(); theirs=()
for round in 1 2 3; do
    ours+=("$("$BENCH" plot --repeat 20 | sed 's/.*"median_ms": \([0-9.]*\).*/\1/')")
    if [ $have_matplotlib = 1 ]; then
        theirs+=("$("$PYTHON" bench/plot_matplotlib.py --repeat 20 | sed 's/.*"median_ms": \([0-9.]*\).*/\1/')")
    fi
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
v=$(median "${ours[@]}")
echo "6 series × 1000 points, log y, PNG at 150 dpi (median of 3 rounds of 20 runs)"
printf '  vanish      %8.1f ms\n' "$v"
if [ $have_matplotlib = 1 ]; then
    m=$(median "${theirs[@]}")
    printf '  matplotlib  %8.1f ms\n' "$m"
    awk -v v="$v" -v m="$m" 'BEGIN { printf "  vanish is %.2f× the speed of matplotlib\n", m / v }'
else
    echo "  matplotlib: not installed for $PYTHON (pip install matplotlib), skipped"
fi
