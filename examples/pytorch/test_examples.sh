#!/usr/bin/env bash
# Runs the examples of this directory end to end: train_recall.py, the vanish analyze commands
# it prints on the model.pt it saved (with the script's own cross-entropy and without), checked
# against PyTorch, and load_run.py on those results and on a small sweep's store.
#
#   examples/pytorch/test_examples.sh [VANISH]     # VANISH: the vanish executable (default: on PATH)
#
# Uses $PYTHON (default python3); without torch there, it says so and exits 0, since the
# Swift tests never need Python.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
# Leaves no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
VANISH="${1:-vanish}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! "$PYTHON" -c "import torch, safetensors, numpy" 2>/dev/null; then
    echo "skipped: torch not installed"
    exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "examples/pytorch: $*" >&2; exit 1; }

# 1. Train a small model; each vanish analyze command it prints must be the one that works.
"$PYTHON" "$HERE/train_recall.py" --out "$WORK/model" --length 8 --hidden 16 --iterations 100 --batch 32 \
    >"$WORK/train.out" || fail "train_recall.py failed: $(cat "$WORK/train.out")"
commands=0
while read -r command; do
    read -r -a arguments <<<"$command"
    "$VANISH" "${arguments[@]}" >"$WORK/analyze.out" || fail "vanish ${arguments[*]} failed: $(cat "$WORK/analyze.out")"
    commands=$((commands + 1))
done < <(sed -n 's/^  vanish analyze /analyze /p' "$WORK/train.out")
[[ $commands == 2 ]] || fail "train_recall.py printed $commands vanish analyze commands, expected 2: $(cat "$WORK/train.out")"
[[ -f $WORK/model/result/summary.json && -f $WORK/model/result-loss/summary.json ]] \
    || fail "the printed commands wrote no result/ and result-loss/"

# 2. A sweep of two tiny runs, for load_sweep.
cat >"$WORK/tiny.yaml" <<'YAML'
name: tiny
seeds: 2
model: {hidden_size: 8}
task: {name: recall, sequence_length: 3, classes: 2}
training: {iterations: 10, eval_interval: 5, eval_size: 16, batch_size: 8}
probes: {batch_size: 4}
YAML
"$VANISH" sweep "$WORK/tiny.yaml" --store "$WORK/runs" --quiet >/dev/null || fail "vanish sweep failed"

# 3. The files read back in Python agree with PyTorch and with the store.
"$PYTHON" - "$HERE" "$WORK" <<'PY' || fail "the checks in Python failed (above)"
import sys

import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, sys.argv[1])
from load_run import load_run, load_sweep

work = sys.argv[2]
model = f"{work}/model"

# vanish runs the saved model's RNN as PyTorch does, and its loss is the script's own:
# F.cross_entropy(fc(output[-1]), targets), with the same value and the same gradients.
state = torch.load(f"{model}/model.pt", weights_only=True)
rnn = torch.nn.RNN(state["rnn.weight_ih_l0"].shape[1], state["rnn.weight_hh_l0"].shape[0])
fc = torch.nn.Linear(state["fc.weight"].shape[1], state["fc.weight"].shape[0])
rnn.load_state_dict({k[len("rnn."):]: v for k, v in state.items() if k.startswith("rnn.")})
fc.load_state_dict({k[len("fc."):]: v for k, v in state.items() if k.startswith("fc.")})
inputs = torch.from_numpy(np.load(f"{model}/input.npy"))
targets = torch.from_numpy(np.load(f"{model}/targets.npy"))
output, h_n = rnn(inputs)
loss = torch.nn.functional.cross_entropy(fc(output[-1]), targets)
loss.backward()

result = load_run(f"{model}/result")
assert np.allclose(result["output"], output.detach().numpy(), rtol=1e-4, atol=1e-6), "vanish's output differs from PyTorch's"
assert np.allclose(result["h_n"], h_n.detach().numpy(), rtol=1e-4, atol=1e-6)
steps = inputs.shape[0]
assert result["grad_log_norms"].shape == (1, steps) and result["summary"]["input"]["sequence_length"] == steps
assert result["summary"]["blocks"][0]["direction"] == "forward"
assert result["summary"]["loss"] is None and result["summary"]["model"]["other_tensors"] == ["fc.weight", "fc.bias"]

with_loss = load_run(f"{model}/result-loss")
summary = with_loss["summary"]
assert abs(summary["loss"] - loss.item()) <= 1e-5 * abs(loss.item()), (summary["loss"], loss.item())
assert summary["loss_settings"]["function"] == "cross-entropy" and summary["model"]["module"] == "rnn"
grads = load_file(f"{model}/result-loss/grads.safetensors")
assert grads.keys() == state.keys(), "grads.safetensors maps one to one onto the state_dict"
for name, parameter in [*(("rnn." + k, p) for k, p in rnn.named_parameters()), *(("fc." + k, p) for k, p in fc.named_parameters())]:
    scale = parameter.grad.abs().max().item()
    assert (grads[name] - parameter.grad).abs().max().item() <= 2e-4 * scale, name

# runs.csv through pandas when it is there, and through the csv module.
def rows_without_pandas():
    saved = sys.modules.get("pandas")
    sys.modules["pandas"] = None  # makes `import pandas` raise ImportError
    try:
        return load_sweep(f"{work}/runs/tiny")
    finally:
        if saved is None:
            del sys.modules["pandas"]
        else:
            sys.modules["pandas"] = saved

rows = rows_without_pandas()
assert len(rows) == 2 and all(row["status"] == "done" and isinstance(row["seed"], int) for row in rows), rows
for row in rows:
    run = load_run(f"{work}/runs/tiny/{row['run_id']}")
    assert run["summary"]["run_id"] == row["run_id"] and run["summary"]["success"] == row["success"]
    fit = run["summary"]["blocks_at_start"][0]["decay_fit"]
    assert fit is None and row["decay_factor_start"] is None or fit["factor_per_step"] == row["decay_factor_start"]
    assert run["grad_log_norms_step0"].shape == (1, 4)
try:
    import pandas
except ImportError:
    print("pandas not installed: load_sweep checked through the csv module only")
else:
    frame = load_sweep(f"{work}/runs/tiny")
    assert list(frame["run_id"]) == [row["run_id"] for row in rows]
    assert np.allclose(frame["sigma_max_end"], [row["sigma_max_end"] for row in rows], rtol=0, atol=0)
PY
echo "examples/pytorch: train_recall.py, vanish analyze and load_run.py agree"
