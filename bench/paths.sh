#!/usr/bin/env bash
# What the shared order of operations costs each kernel path (issue 15): this tree's
# vanish-bench against another build's (e.g. main's, before the change), under
# VANISH_KERNELS=<each path>, interleaved in one run; prints after/before time ratios.
#   bench/paths.sh BEFORE_BENCH [PATHS]   BEFORE_BENCH: the other build's vanish-bench binary
#                                         (it must honour VANISH_KERNELS); PATHS default "avx512 avx2 baseline"
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1
PATHS=${2:-avx512 avx2 baseline}
swift build -c release --product vanish-bench >/dev/null
AFTER=$(swift build -c release --show-bin-path)/vanish-bench
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
PIN=$(command -v taskset >/dev/null && echo "taskset -c 1" || true)
ROUNDS=${ROUNDS:-3}
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
printf '%-9s %-40s %12s %12s %8s\n' path benchmark before after ratio
for path in $PATHS; do
    while read -r label args; do
        [ -z "$label" ] && continue
        before=""; after=""
        for _ in $(seq "$ROUNDS"); do  # alternating, so that both see the same machine state
            before+="$(VANISH_KERNELS=$path $PIN "$BEFORE" $args)"$'\n'
            after+="$(VANISH_KERNELS=$path $PIN "$AFTER" $args)"$'\n'
        done
        if [ "$label" = sgemm ]; then  # GFLOP/s: the ratio is before/after, a time ratio like the others
            b=$(echo "$before" | field vanish_gflops | median); a=$(echo "$after" | field vanish_gflops | median)
            printf '%-9s %-40s %9.1f GF %9.1f GF %8.3f\n' "$path" "SGEMM 1024³" "$b" "$a" "$(echo "$b / $a" | bc -l)"
        else
            b=$(echo "$before" | field ms | median); a=$(echo "$after" | field ms | median)
            printf '%-9s %-40s %9.1f ms %9.1f ms %8.3f\n' "$path" "$label" "$b" "$a" "$(echo "$a / $b" | bc -l)"
        fi
    done <<'ROWS'
sgemm sgemm --size 1024
RNN_32,100,32,128 rnn --cell rnn --shape 32,100,32,128 --repeat 3
LSTM_32,100,32,128 rnn --cell lstm --shape 32,100,32,128 --repeat 3
RNN_32,100,32,128_Double rnn --cell rnn --shape 32,100,32,128 --double --repeat 3
RNN_16,100,1024,1024 rnn --cell rnn --shape 16,100,1024,1024 --repeat 1
LSTM_16,100,1024,1024 rnn --cell lstm --shape 16,100,1024,1024 --repeat 1
ROWS
done
