#!/usr/bin/env bash
# RNN benchmark: vanish against PyTorch (fused nn.RNN, nn.LSTM, nn.GRU and the instrumented
# cell loop) on the same configurations, one thread each, interleaved in one run; prints one
# table.
#   bench/rnn.sh [PYTHON [PATTERN]]    PYTHON: an interpreter with torch (default python3);
#   PATTERN: an extended regular expression choosing configurations (e.g. 'lstm|gru 16'),
#   to rerun rows measured in a disturbed moment; the memory line only with all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
PATTERN=${2:-}
swift build -c release --product vanish-bench >/dev/null
BENCH=$(swift build -c release --show-bin-path)/vanish-bench
have_torch=1
"$PYTHON" -c "import torch" 2>/dev/null || have_torch=0
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p"; }
# One CPU for both tools, when taskset exists: no migrations between the cores.
PIN=$(command -v taskset >/dev/null && echo "taskset -c 1" || true)
sgemm=$($PIN "$BENCH" sgemm)
printf 'single-thread SGEMM, 2048³, at the start: OpenBLAS %.1f GFLOP/s, vanish %.1f GFLOP/s; peak = the faster\n\n' \
    "$(echo "$sgemm" | field openblas_gflops)" "$(echo "$sgemm" | field vanish_gflops)"
printf '%-44s %10s %10s %10s %10s %10s %10s %8s %8s %8s %8s %8s %8s\n' config vanish "+probes" "+probes-∂x" torch "torch+∂x" "torch-instr" \
    "×fused" "×fused∂x" "×instr" GFLOP/s SGEMM "%peak"
# Each configuration alternates between the tools for ROUNDS rounds of 3 runs after a warm-up,
# so that both see the same machine state even when it changes; each column is the median of
# the rounds' medians. Each round also measures the SGEMM peak, which "% peak" is against: on a
# shared machine the peak of another moment says little.
ROUNDS=3
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
while read -r cell shape extra; do
    [ -z "$cell" ] && continue
    [ -n "$PATTERN" ] && ! echo "$cell $shape $extra" | grep -Eq -- "$PATTERN" && continue
    label="$cell $shape $extra"
    extra="--cell $cell $extra"
    vs=""; ts=""; ps=""
    for _ in $(seq $ROUNDS); do
        ps+="$($PIN "$BENCH" sgemm)"$'\n'
        vs+="$($PIN "$BENCH" rnn --shape "$shape" $extra --repeat 3)"$'\n'
        if [ $have_torch = 1 ]; then
            ts+="$($PIN "$PYTHON" bench/torch_rnn.py --shape "$shape" $extra --repeat 3)"$'\n'
        fi
    done
    vm=$(echo "$vs" | field ms | median); vp=$(echo "$vs" | field ms_probes | median)
    vn=$(echo "$vs" | field ms_probes_no_dx | median)
    pk=$(echo "$ps" | field gflops | median)
    # GFLOP/s from the median time: every round counts the same FLOPs.
    first=$(echo "$vs" | head -1)
    gf=$(awk -v g="$(echo "$first" | field gflops)" -v t="$(echo "$first" | field ms)" -v m="$vm" 'BEGIN { print g * t / m }')
    if [ $have_torch = 1 ]; then
        tf=$(echo "$ts" | grep '"fused"' | field ms | median); tx=$(echo "$ts" | grep '"fused_dx"' | field ms | median)
        ti=$(echo "$ts" | grep instrumented | field ms | median)
    else
        tf=nan; tx=nan; ti=nan
    fi
    awk -v c="$label" -v vm="$vm" -v vp="$vp" -v vn="$vn" -v tf="$tf" -v tx="$tx" -v ti="$ti" -v gf="$gf" -v pk="$pk" '
    function ms(t) { return t == "nan" ? "–" : sprintf("%.1f", t) }
    function ratio(t, v) { return t == "nan" ? "–" : sprintf("%.2f", t / v) }
    BEGIN {
        printf "%-44s %10.1f %10.1f %10.1f %10s %10s %10s %8s %8s %8s %8.1f %8.1f %7.0f%%\n", c, vm, vp, vn, ms(tf),
            ms(tx), ms(ti), ratio(tf, vn), ratio(tx, vp), ratio(ti, vn), gf, pk, 100 * gf / pk }'
done <<'CONFIGS'
rnn 32,100,32,64
rnn 32,1000,32,128
rnn 64,200,128,512
rnn 16,100,1024,1024
rnn 32,100,32,128 --layers 2 --bidirectional
rnn 32,100,32,128 --double
lstm 32,100,32,128
lstm 32,1000,32,128
lstm 16,100,1024,1024
gru 32,100,32,128
gru 32,1000,32,128
gru 16,100,1024,1024
CONFIGS
echo
echo "ms: milliseconds per forward+backward (median of $ROUNDS alternating rounds of 3 runs each); vanish and"
echo "+probes compute ∂L/∂x, +probes-∂x does not (backward(inputGradient: false))."
echo "torch: the fused module, input without requires_grad; torch+∂x: with it, so that PyTorch also computes"
echo "∂L/∂x; torch-instr: the cell loop with retain_grad on every h_t (and c_t), input without requires_grad."
echo "×: PyTorch's time over vanish's with probes and the same work: ×fused and ×instr against +probes-∂x,"
echo "×fused∂x against +probes."
echo "GFLOP/s: 6·G·N·H·(I+H)·T per layer and direction over vanish's time without probes, G = 1 (RNN), 4 (LSTM), 3 (GRU);"
echo "SGEMM: the single-thread 2048³ peak (the faster of OpenBLAS and vanish) measured in the same rounds; % peak against it."
[ -n "$PATTERN" ] && exit 0
echo
m=$("$BENCH" memory --shape 32,10000,32,128)
awk -v a="$(echo "$m" | field activation_bytes)" -v p="$(echo "$m" | field peak_bytes)" 'BEGIN {
    printf "memory, T = 10000, N = 32, I = 32, H = 128, probes on: peak RSS %.1f MB for %.1f MB of stored activations (%.2f×)\n", p / 1e6, a / 1e6, p / a }'
