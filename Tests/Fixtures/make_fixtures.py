"""Writes the PyTorch reference files that vanish's engine tests compare against.

Run from the repository root with PyTorch >= 2 and safetensors installed:

    python Tests/Fixtures/make_fixtures.py            # everything below
    python Tests/Fixtures/make_fixtures.py gated      # only lstm/ and gru/
    python Tests/Fixtures/make_fixtures.py rnn lstm   # any of: rnn lstm gru gated analyze example torch model

Each case in Tests/Fixtures/rnn/, lstm/ and gru/ is one .safetensors file holding an nn.RNN's,
nn.LSTM's or nn.GRU's parameters (PyTorch's state_dict names), its inputs as the user passes
them (time-major, batch_first or unbatched 2-D; h0, and c0 for LSTM, only when given), the
loss weights, and what PyTorch computed: output, the final states, every parameter gradient,
the input and initial-state gradients (also when the initial state was left to its default of
zeros), and the per-timestep total derivatives of an unrolled cell loop with retain_grad
(DESIGN.md's definition): dL/dh_t through later steps, the layer above and the output.
The loss is L = sum(output * G) + sum(h_n * G_hn) (+ sum(c_n * G_cn) for LSTM) with random
weights, so that every output element and every row of the final states sends a gradient
back. The case's configuration is in the file's __metadata__, each value JSON-encoded.

Per cell, beyond output, h_n, grad.<param>, grad_input, grad_h0 and grad_h (D*L, T, N, ·):
  rnn/   grad_z (D*L, T, N, H), dL/dz_t of the pre-activation z_t, and whh_contribution_norm
         (D*L, T), the Frobenius norm of step t's term sum_n dz_t[n] h_{t-1}[n]^T of dL/dW_hh.
  lstm/  c0, grad_c_n, c_n, grad_c0, grad_c (D*L, T, N, H) and gates (D*L, T, N, 4H): i, f, g,
         o after their nonlinearities. grad_c is the total dL/dc_t, so it includes the path
         through h_t = o * tanh(c_t) as well as c_{t+1} and c_n. With proj_size P > 0 the state
         h_t is the projected W_hr (o * tanh(c_t)), of size P: it is what the next step and the
         layer above read, so h0, h_n, grad_h0 and grad_h are all (.., P) and grad_h is taken
         after the projection.
  gru/   gates (D*L, T, N, 3H): r, z, n after their nonlinearities, with PyTorch's
         n_t = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and h_t = (1 - z) * n + z * h_{t-1}.
The two wide-batch cases in lstm/ and gru/ leave out `gates` to keep the files small
(their point is the backward pass across chunk edges; gate statistics are in the others).
The *_saturated cases have weights scaled up so that some sigmoid gates pass 0.99 and 0.01.

Tests/Fixtures/analyze/ holds a state_dict saved exactly as a PyTorch user would save it,
with inputs as .npy, for the end-to-end test of `vanish analyze`; examples/ holds the small
model that README's main command analyses.

Tests/Fixtures/torch/ holds checkpoints as torch.save writes them (.pt, .pth, .bin): state_dicts
of nn.RNN, LSTM, GRU and a small model, a training checkpoint with its optimizer, float64,
float16 and bfloat16 weights, views and shared storages, parameters, pickle protocol 4, no
CRC-32s. Beside each, <stem>.safetensors holds what a reader must return: the state_dict's
tensors made contiguous, float16 and bfloat16 upcast to float32, with metadata listing the
names in file order, the upcast ones, the key of a training checkpoint and its other keys.
Tests/Fixtures/model/ holds whole models (a recurrent module beside a readout and an embedding)
saved with torch.save (a state_dict, a float64 training checkpoint, float16 weights, two
recurrent modules) and as safetensors, inputs and targets as .npy (class indices for the last
step, for every step with -100s, unbatched, batch-first; values for mse), and in
expected.safetensors, per case, PyTorch's loss, output, the gradients of every parameter under
its state_dict name, of the input and of h0, and ||dL/dh_t|| per block and step.

torch/bad/ holds files a reader must refuse, each in one line: pickles that would run code
(built byte by byte here, never unpickled), whole pickled models, the legacy format, storages
and views that do not fit, broken pickles and zip structures.
"""
import argparse
import itertools
import json
import os
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from safetensors.torch import save_file

# PyTorch notes on every LSTM with proj_size that oneDNN can't run it and falls back to its
# own implementation, which is the one these files mean to record anyway.
warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))

MODES = ("time_major", "batch_first", "unbatched")
TAGS = {torch.float32: "f32", torch.float64: "f64"}


# One time step of one block (a layer in one direction) of each cell, written out from
# PyTorch's documented equations. Each takes the module (for its options), the block's
# parameters without their _l{k}[_reverse] suffix, x_t (N, ·) and the state tuple, and
# returns the new state tuple and the step's other records.

def rnn_step(module, p, x_t, state):
    """h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh); also retains dL/dz_t."""
    (h,) = state
    z = x_t @ p["weight_ih"].T + h @ p["weight_hh"].T
    if module.bias:
        z = z + p["bias_ih"] + p["bias_hh"]
    z.retain_grad()
    h = (torch.tanh if module.nonlinearity == "tanh" else torch.relu)(z)
    return (h,), {"z": z}


def lstm_step(module, p, x_t, state):
    """Gates i, f, g, o in that order along 4H; c_t = f c_{t-1} + i g; h_t = o tanh(c_t),
    projected by W_hr when proj_size > 0."""
    h, c = state
    pre = x_t @ p["weight_ih"].T + h @ p["weight_hh"].T
    if module.bias:
        pre = pre + p["bias_ih"] + p["bias_hh"]
    i, f, g, o = pre.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g
    h = o * torch.tanh(c)
    if module.proj_size > 0:
        h = h @ p["weight_hr"].T
    return (h, c), {"gates": torch.cat([i, f, g, o], dim=-1).detach()}


def gru_step(module, p, x_t, state):
    """Gates r, z, n in that order along 3H; h_t = (1 - z) n + z h_{t-1}."""
    (h,) = state
    gi = x_t @ p["weight_ih"].T
    gh = h @ p["weight_hh"].T
    if module.bias:
        gi = gi + p["bias_ih"]
        gh = gh + p["bias_hh"]
    i_r, i_z, i_n = gi.chunk(3, dim=-1)
    h_r, h_z, h_n = gh.chunk(3, dim=-1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    # b_hn sits inside the reset gate's product, as PyTorch (and cuDNN) compute it.
    n = torch.tanh(i_n + r * h_n)
    h = (1 - z) * n + z * h
    return (h,), {"gates": torch.cat([r, z, n], dim=-1).detach()}


def stack_records(blocks, key, grad=False):
    """(D*L, T, ...) from each block's per-step records, blocks in h_n's row order."""
    pick = (lambda r: r[key].grad) if grad else (lambda r: r[key])
    return torch.stack([torch.stack([pick(r) for r in blk]) for blk in blocks]).detach()


def rnn_extras(module, blocks, states0):
    h0 = states0[0]
    # Step t's term of dL/dW_hh: sum_n dz_t[n] h_prev[n]^T, with h_prev the state step t read.
    T = len(blocks[0])
    contrib = []
    for b, blk in enumerate(blocks):
        reverse = module.bidirectional and b % 2 == 1
        row = []
        for t in range(T):
            prev_t = t + 1 if reverse else t - 1
            h_prev = h0[b] if (prev_t < 0 or prev_t >= T) else blk[prev_t]["h"].detach()
            row.append(torch.linalg.matrix_norm(blk[t]["z"].grad.T @ h_prev))
        contrib.append(torch.stack(row))
    return {"grad_z": stack_records(blocks, "z", grad=True),
            "whh_contribution_norm": torch.stack(contrib).detach()}


def gated_extras(module, blocks, states0):
    return {"gates": stack_records(blocks, "gates")}


@dataclass(frozen=True)
class Cell:
    name: str                 # the fixture directory, and metadata "cell"
    module: Callable          # torch.nn.RNN, LSTM or GRU
    states: tuple             # the recurrent states, as named in the files: ("h",) or ("h", "c")
    step: Callable            # one time step, above
    extras: Callable          # the cell's own tensors from the unrolled loop's records
    tag_metadata: bool        # rnn/ predates metadata "cell"; adding it would change those files


RNN = Cell("rnn", torch.nn.RNN, ("h",), rnn_step, rnn_extras, tag_metadata=False)
LSTM = Cell("lstm", torch.nn.LSTM, ("h", "c"), lstm_step, gated_extras, tag_metadata=True)
GRU = Cell("gru", torch.nn.GRU, ("h",), gru_step, gated_extras, tag_metadata=True)


def state_size(module, state):
    """c_t is always H wide; h_t is P wide when LSTM projects it."""
    return module.proj_size if (state == "h" and module.proj_size > 0) else module.hidden_size


def block_parameters(module, layer, direction):
    sfx = f"_l{layer}" + ("_reverse" if direction == 1 else "")
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")
    return {n: getattr(module, n + sfx) for n in names if hasattr(module, n + sfx)}


def unrolled(cell, module, x, states0):
    """Runs module as an explicit loop of cells on time-major x (T, N, I) and the initial
    states (each (L*D, N, ·)).

    Returns output (T, N, D*·), the final states stacked like h_n, and per block (in h_n's
    row order) the per-step records in time order: the states, with retain_grad set so that
    after backward their .grad is the total derivative, and what the cell's step added.
    """
    D = 2 if module.bidirectional else 1
    T = x.shape[0]
    layer_input = x
    blocks, finals = [], []
    for layer in range(module.num_layers):
        outs = []
        for d in range(D):
            p = block_parameters(module, layer, d)
            state = tuple(s[layer * D + d] for s in states0)
            records = [None] * T
            order = range(T - 1, -1, -1) if d == 1 else range(T)
            for t in order:
                state, extra = cell.step(module, p, layer_input[t], state)
                for s in state:
                    s.retain_grad()
                records[t] = dict(zip(cell.states, state), **extra)
            blocks.append(records)
            finals.append(state)
            outs.append(torch.stack([r["h"] for r in records]))
        layer_input = torch.cat(outs, dim=-1)
    return layer_input, tuple(torch.stack(f) for f in zip(*finals)), blocks


def run_fused(module, x, states):
    """The module called as a user calls it; states is the tuple of initial states or None.
    Returns the output and the tuple of final states (h_n,) or (h_n, c_n)."""
    if states is None:
        out, final = module(x)
    else:
        out, final = module(x, states if len(states) > 1 else states[0])
    return out, (final if isinstance(final, tuple) else (final,))


def weighted_loss(output, finals, g_output, g_finals):
    return (output * g_output).sum() + sum((f * g).sum() for f, g in zip(finals, g_finals))


def user_layout(mode, tensor, sequence):
    """A time-major sequence (T, N, ·) or a state (L*D, N, ·) as the user passes it; for
    unbatched cases the tensor already holds the one sample along N."""
    if mode == "unbatched":
        return tensor[:, 0].contiguous()
    if mode == "batch_first" and sequence:
        return tensor.transpose(0, 1).contiguous()
    return tensor


def make_case(cell, name, dtype, layers, bidirectional, bias, mode, h0_given,
              T=6, N=3, I=4, H=5, seed=0, omit=(), weight_scale=1, **options):
    """Writes one case; options are the module's own (nonlinearity, proj_size). `omit`
    names tensors to leave out of the file; weight_scale multiplies PyTorch's initial
    parameters (the file holds the scaled ones)."""
    torch.manual_seed(seed)
    module = cell.module(I, H, num_layers=layers, bias=bias, batch_first=(mode == "batch_first"),
                         bidirectional=bidirectional, **options).to(dtype)
    if weight_scale != 1:
        with torch.no_grad():
            for p in module.parameters():
                p.mul_(weight_scale)
    D = 2 if bidirectional else 1
    sizes = [state_size(module, s) for s in cell.states]
    # Random draws in a fixed order (the rnn/ files depend on it): input, initial states,
    # loss weights of the output, loss weights of the final states.
    x = torch.randn(T, N, I, dtype=dtype)
    states0 = [torch.randn(layers * D, N, S, dtype=dtype) if h0_given else
               torch.zeros(layers * D, N, S, dtype=dtype) for S in sizes]
    g_out = torch.randn(T, N, D * sizes[0], dtype=dtype)
    g_finals = [torch.randn(layers * D, N, S, dtype=dtype) for S in sizes]
    if mode == "unbatched":
        x, g_out = x[:, :1], g_out[:, :1]
        states0, g_finals = [s[:, :1] for s in states0], [g[:, :1] for g in g_finals]

    x_user = user_layout(mode, x, sequence=True)
    g_out_user = user_layout(mode, g_out, sequence=True)
    states0_user = [user_layout(mode, s, sequence=False) for s in states0]
    g_finals_user = [user_layout(mode, g, sequence=False) for g in g_finals]

    # The fused module, as the user runs it.
    x_fused = x_user.clone().requires_grad_(True)
    states0_fused = tuple(s.clone().requires_grad_(True) for s in states0_user) if h0_given else None
    out, finals = run_fused(module, x_fused, states0_fused)
    weighted_loss(out, finals, g_out_user, g_finals_user).backward()
    param_grads = {k: p.grad.detach().clone() for k, p in module.named_parameters()}
    module.zero_grad(set_to_none=True)

    # The same network unrolled, for the per-timestep derivatives (and the initial states'
    # gradients when they were left to their default).
    x_loop = x.clone().requires_grad_(True)
    states0_loop = [s.clone().requires_grad_(True) for s in states0]
    out_loop, finals_loop, blocks = unrolled(cell, module, x_loop, states0_loop)
    weighted_loss(out_loop, finals_loop, g_out, g_finals).backward()

    out_tm = out.transpose(0, 1) if mode == "batch_first" else (out.unsqueeze(1) if mode == "unbatched" else out)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert torch.allclose(out_tm, out_loop, atol=tol), name
    for final, final_loop in zip(finals, finals_loop):
        assert torch.allclose(final.reshape(final_loop.shape), final_loop, atol=tol), name

    tensors = {k: v.detach().clone() for k, v in module.state_dict().items()}
    tensors["input"] = x_user
    tensors["grad_output"] = g_out_user
    tensors["output"] = out.detach()
    tensors.update({"grad." + k: g for k, g in param_grads.items()})
    tensors["grad_input"] = x_fused.grad.detach().clone()
    for i, s in enumerate(cell.states):
        if h0_given:
            tensors[f"{s}0"] = states0_user[i]
        tensors[f"grad_{s}_n"] = g_finals_user[i]
        tensors[f"{s}_n"] = finals[i].detach()
        g0 = states0_fused[i].grad if h0_given else user_layout(mode, states0_loop[i].grad, sequence=False)
        tensors[f"grad_{s}0"] = g0.detach().clone()
        tensors[f"grad_{s}"] = stack_records(blocks, s, grad=True)
    tensors.update(cell.extras(module, blocks, states0))
    for k in omit:
        del tensors[k]

    meta = dict(input_size=I, hidden_size=H, num_layers=layers, **options,
                bias=bias, batch_first=(mode == "batch_first"), bidirectional=bidirectional,
                unbatched=(mode == "unbatched"), h0_given=h0_given,
                dtype=str(dtype).replace("torch.", ""), torch_version=torch.__version__)
    if cell.tag_metadata:
        meta["cell"] = cell.name
    out_dir = os.path.join(ROOT, cell.name)
    os.makedirs(out_dir, exist_ok=True)
    tensors = {k: v.contiguous() for k, v in tensors.items()}
    save_file(tensors, os.path.join(out_dir, name + ".safetensors"),
              metadata={k: json.dumps(v) for k, v in meta.items()})
    return meta


def case_name(dtype, layers, bidirectional, bias, mode, h0_given, nonlinearity=None, proj_size=None):
    parts = [TAGS[dtype], f"l{layers}", "bi" if bidirectional else "uni"]
    if nonlinearity is not None:
        parts.append(nonlinearity)
    if proj_size is not None:
        parts.append(f"proj{proj_size}" if proj_size else "noproj")
    parts += ["bias" if bias else "nobias", mode, "h0" if h0_given else "noh0"]
    return "_".join(parts)


def spread_cases(axes, seed):
    """Every combination of the structural axes (a dict of option -> values), in float32 and
    float64; bias, the input layout and h0 (unless an axis) rotate with the case's index,
    shifted by one between the dtypes, so that each of their values occurs, and each layout
    and bias value with both dtypes, without multiplying the number of cases."""
    for dtype_index, dtype in enumerate(TAGS):
        for i, values in enumerate(itertools.product(*axes.values())):
            k = i + dtype_index
            case = dict(dtype=dtype, bias=(k // 3) % 2 == 0, mode=MODES[k % 3], h0_given=(k // 2) % 2 == 0)
            case.update(zip(axes, values))
            yield case, seed + i


def make_spread_cases(cell, axes, seed):
    cases = []
    for case, case_seed in spread_cases(axes, seed):
        make_case(cell, case_name(**case), seed=case_seed, **case)
        cases.append(case)
    return cases


def assert_coverage(cases, options, pairs):
    """Each option takes every listed value in some case, and each pair of options every
    combination of its values."""
    for option, values in options.items():
        assert {c[option] for c in cases} == set(values), (option, values)
    for a, b in pairs:
        want = set(itertools.product(options[a], options[b]))
        assert {(c[a], c[b]) for c in cases} == want, (a, b)


COMMON = dict(layers=[1, 2, 3], bidirectional=[False, True], bias=[False, True], mode=list(MODES),
              h0_given=[False, True], dtype=list(TAGS))


def make_rnn_cases():
    axes = dict(layers=[1, 2, 3], bidirectional=[False, True], nonlinearity=["tanh", "relu"])
    cases = make_spread_cases(RNN, axes, seed=100)
    assert_coverage(cases, dict(COMMON, nonlinearity=["tanh", "relu"]),
                    pairs=[("dtype", "mode"), ("dtype", "bias")])
    # A longer sequence, so per-timestep norms span many steps of decay.
    make_case(RNN, "f64_l1_uni_tanh_long", torch.float64, 1, False, True, "time_major", False,
              T=60, N=4, I=3, H=16, seed=7, nonlinearity="tanh")
    make_case(RNN, "f32_l2_bi_relu_long", torch.float32, 2, True, True, "batch_first", True,
              T=40, N=2, I=3, H=8, seed=8, nonlinearity="relu")
    # A batch so wide that vanish's backward works through the steps in several chunks
    # (4096 rows each: 5 steps here, then 5, then 1), in both directions and two layers.
    make_case(RNN, "f32_l2_bi_tanh_wide_batch", torch.float32, 2, True, True, "time_major", True,
              T=11, N=800, I=1, H=2, seed=9, nonlinearity="tanh")


def make_saturated_case(cell, name, seed, **options):
    """PyTorch's default init keeps every sigmoid gate within (0.01, 0.99) at these sizes;
    weights six times larger saturate about a tenth of them at each end, so that tests of
    the saturated fractions compare something other than zeros."""
    make_case(cell, name, torch.float64, 2, True, True, "time_major", True, T=12, seed=seed,
              weight_scale=6, **options)


def make_lstm_cases():
    # proj_size as a structural axis crosses it with every depth and both directions.
    axes = dict(layers=[1, 2, 3], bidirectional=[False, True], proj_size=[0, 3])
    cases = make_spread_cases(LSTM, axes, seed=200)
    assert_coverage(cases, dict(COMMON, proj_size=[0, 3]),
                    pairs=[("dtype", "mode"), ("dtype", "bias"), ("proj_size", "layers"),
                           ("proj_size", "bidirectional"), ("proj_size", "h0_given"), ("proj_size", "mode")])
    # A longer sequence, so per-timestep norms span many steps (narrower than rnn/'s: the
    # gates make each step four times the size).
    make_case(LSTM, "f64_l1_uni_noproj_long", torch.float64, 1, False, True, "time_major", False,
              T=60, N=3, I=3, H=8, seed=17, proj_size=0)
    make_saturated_case(LSTM, "f64_l2_bi_noproj_saturated", seed=18, proj_size=0)
    # Same chunking as rnn/'s wide case; gates (4H wide) would double the file, so left out.
    make_case(LSTM, "f32_l2_bi_noproj_wide_batch", torch.float32, 2, True, True, "time_major", True,
              T=11, N=800, I=1, H=2, seed=19, omit=("gates",), proj_size=0)


def make_gru_cases():
    # bias as a structural axis: b_hn enters inside the reset gate's product, so every
    # depth and direction is tried with and without it.
    axes = dict(layers=[1, 2, 3], bidirectional=[False, True], bias=[True, False])
    cases = make_spread_cases(GRU, axes, seed=300)
    assert_coverage(cases, COMMON, pairs=[("dtype", "mode"), ("dtype", "bias"), ("bias", "layers"),
                                          ("bias", "bidirectional"), ("mode", "h0_given")])
    make_case(GRU, "f64_l1_uni_long", torch.float64, 1, False, True, "time_major", False,
              T=60, N=3, I=3, H=8, seed=27)
    make_saturated_case(GRU, "f64_l2_bi_saturated", seed=28)
    # Same chunking as rnn/'s wide case, likewise without gates.
    make_case(GRU, "f32_l2_bi_wide_batch", torch.float32, 2, True, True, "time_major", True,
              T=11, N=800, I=1, H=2, seed=29, omit=("gates",))


def make_analyze_fixture():
    """A model saved the way PyTorch users save one, and what PyTorch computes for it."""
    out_dir = os.path.join(ROOT, "analyze")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(3)
    rnn = torch.nn.RNN(3, 6, num_layers=2, bidirectional=True)
    save_file(rnn.state_dict(), os.path.join(out_dir, "model.safetensors"))
    x = torch.randn(12, 2, 3)
    h0 = torch.randn(4, 2, 6)
    g = torch.randn(12, 2, 12)
    np.save(os.path.join(out_dir, "input.npy"), x.numpy())
    np.save(os.path.join(out_dir, "h0.npy"), h0.numpy())
    np.save(os.path.join(out_dir, "grad_output.npy"), g.numpy())
    expected = {}
    for label, weights in [("default", None), ("given", g)]:
        rnn.zero_grad(set_to_none=True)
        xi = x.clone().requires_grad_(True)
        hi = h0.clone().requires_grad_(True)
        out, hn = rnn(xi, hi)
        if weights is None:  # vanish analyze's default: ones at the last time step
            weights = torch.zeros_like(out)
            weights[-1] = 1
        (out * weights).sum().backward()
        expected[f"{label}.output"] = out.detach()
        expected[f"{label}.h_n"] = hn.detach()
        expected[f"{label}.grad_input"] = xi.grad
        expected[f"{label}.grad_h0"] = hi.grad
        for k, p in rnn.named_parameters():
            expected[f"{label}.grad.{k}"] = p.grad.clone()
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(out_dir, "expected.safetensors"))


def make_example():
    """The small model README's main command analyses: PyTorch's default init, tanh, H = 64."""
    out_dir = os.path.join(REPO, "examples")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    rnn = torch.nn.RNN(8, 64)
    save_file(rnn.state_dict(), os.path.join(out_dir, "rnn_tanh_h64.safetensors"))
    np.save(os.path.join(out_dir, "input_T200.npy"), torch.randn(200, 4, 8).numpy())


# torch/: checkpoints as torch.save writes them, each with what it must read as, and files that
# a reader must refuse. Nothing here ever unpickles the hostile bytes it writes.

TORCH_DIR = os.path.join(ROOT, "torch")
# What the hostile pickles would create if anything ran them; the Swift tests check it never appears.
EXECUTED_MARKER = "/tmp/vanish-torch-fixture-executed"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class Net(torch.nn.Module):
    """A whole model as users define one; its state_dict has dotted names (rnn.weight_ih_l0, fc.bias)."""

    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(3, 4, num_layers=2)
        self.fc = torch.nn.Linear(4, 2)


def half_specials(dtype):
    """Values whose float32 upcast must be exact, as bit patterns: 0, -0, 1, -2.5, the largest
    value, the smallest normal one, a subnormal, infinities, a quiet NaN and a negative
    signalling NaN with a payload."""
    bits = {torch.float16: [0x0000, 0x8000, 0x3C00, 0xC100, 0x7BFF, 0x0400, 0x0100, 0x7C00, 0xFC00, 0x7E00, 0xFD01],
            torch.bfloat16: [0x0000, 0x8000, 0x3F80, 0xC020, 0x7F7F, 0x0080, 0x0020, 0x7F80, 0xFF80, 0x7FC0, 0xFF81]}[dtype]
    return torch.from_numpy(np.array(bits, dtype=np.uint16).view(np.int16)).view(dtype)


def upcast(tensor):
    """float16 or bfloat16 to float32 by IEEE 754's rules, NaN payloads kept (as NumPy does;
    PyTorch's own .float() turns every NaN of a short float16 tensor into 0x7FFFFFFF)."""
    bits = tensor.detach().contiguous().view(torch.int16).numpy().view(np.uint16)
    if tensor.dtype == torch.float16:
        return torch.from_numpy(bits.view(np.float16).astype(np.float32))
    return torch.from_numpy((bits.astype(np.uint32) << 16).view(np.float32))


def save_expected(stem, tensors, key=None, others=()):
    """The .safetensors beside a checkpoint: its state_dict as vanish must read it (contiguous,
    float16 and bfloat16 upcast to float32), with metadata naming the tensors in file order,
    the upcast ones, the key the state_dict was under and the other top-level keys."""
    upcasts = [k for k, v in tensors.items() if v.dtype in (torch.float16, torch.bfloat16)]
    expected = {k: (upcast(v) if k in upcasts else v).detach().clone().contiguous() for k, v in tensors.items()}
    meta = {"order": list(tensors), "upcast": upcasts, "key": key, "others": list(others)}
    save_file(expected, os.path.join(TORCH_DIR, stem + ".safetensors"),
              metadata={k: json.dumps(v) for k, v in meta.items()})


def save_good(name, obj, tensors=None, key=None, **options):
    """torch.save(obj) to torch/<name>, and the state_dict it holds (obj itself, or obj[key])."""
    torch.save(obj, os.path.join(TORCH_DIR, name), **options)
    tensors = obj[key] if tensors is None and key is not None else (obj if tensors is None else tensors)
    others = [k for k in obj if k != key] if key is not None else []
    save_expected(os.path.splitext(name)[0], tensors, key=key, others=others)


def make_good_checkpoints():
    torch.manual_seed(40)
    rnn = torch.nn.RNN(3, 4, num_layers=2, bidirectional=True)
    save_good("rnn_state_dict.pt", rnn.state_dict())

    net = Net()
    save_good("net_state_dict.pth", net.state_dict())

    # A training checkpoint after one Adam step, so the optimizer holds tensors of its own.
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    out, _ = net.rnn(torch.randn(5, 2, 3))
    net.fc(out).sum().backward()
    optimizer.step()
    checkpoint = {"epoch": 3, "model_state_dict": net.state_dict(),
                  "optimizer_state_dict": optimizer.state_dict(), "loss": 0.5}
    save_good("training_checkpoint.pt", checkpoint, key="model_state_dict")
    # The same under a key of the user's own, which the caller names.
    save_good("custom_key.pt", {"step": 7, "weights": net.state_dict(), "note": "best so far"}, key="weights")

    save_good("rnn_float64.pt", torch.nn.RNN(2, 3).double().state_dict())
    for dtype, tag in [(torch.float16, "float16"), (torch.bfloat16, "bfloat16")]:
        state = dict(torch.nn.RNN(2, 3).to(dtype).state_dict(), specials=half_specials(dtype))
        save_good(f"rnn_{tag}.pt", state)

    torch.manual_seed(41)
    save_good("lstm_state_dict.pt", torch.nn.LSTM(3, 4, proj_size=2).state_dict())
    save_good("gru_state_dict.bin", torch.nn.GRU(3, 4, num_layers=2).state_dict())  # as pytorch_model.bin

    # Views: torch.save writes each view's whole storage with its offset and strides.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.5 - 3
    views = {
        "transposed": base.t(),
        "slice_with_offset": base[1:3, 2:5],
        "every_other": base.view(-1)[1::2],
        "column": base[:, 4],
        "expanded": torch.tensor([1.5, -2.0, 0.25]).expand(4, 3),
        "scalar": torch.tensor(-7.25),
        "empty": torch.zeros(0, 3),
        "int64_view": torch.arange(10, dtype=torch.int64)[3:8],
        "int32": torch.tensor([[-3, 2147483647], [5, -2147483648]], dtype=torch.int32),
        "float64_transposed": torch.linspace(-1, 1, 6, dtype=torch.float64).reshape(2, 3).t(),
    }
    assert not views["transposed"].is_contiguous() and views["slice_with_offset"].storage_offset() > 0
    save_good("views.pt", views)

    # Two names for one tensor (pickled once, then by memo) and two halves of one storage.
    weight = torch.randn(4, 3)
    flat = torch.randn(12)
    save_good("shared_storage.pt", {"encoder.weight": weight, "decoder.weight": weight,
                                    "half.a": flat[:6].view(2, 3), "half.b": flat[6:].view(3, 2)})

    # nn.Parameters themselves (torch._utils._rebuild_parameter) rather than a state_dict's tensors.
    save_good("parameters.pt", dict(torch.nn.GRU(2, 2).named_parameters()))
    # Pickle protocol 4: FRAME, SHORT_BINUNICODE, MEMOIZE and STACK_GLOBAL instead of GLOBAL.
    save_good("protocol4.pt", torch.nn.RNN(2, 2).state_dict(), pickle_protocol=4)
    # Without CRC-32s, which torch writes as 0 when told not to compute them.
    torch.serialization.set_crc32_options(False)
    try:
        save_good("no_crc32.pt", torch.nn.RNN(2, 2).state_dict())
    finally:
        torch.serialization.set_crc32_options(True)


# Pickle opcodes written out by hand, for the hostile files: building the bytes never runs them.

def p_str(text):
    data = text.encode()
    return b"X" + len(data).to_bytes(4, "little") + data


def p_int(n):
    if -2**31 <= n < 2**31:
        return b"J" + n.to_bytes(4, "little", signed=True)
    data = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data  # LONG1


def p_global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def p_tuple(*items):
    return b"(" + b"".join(items) + b"t"


def p_dict(pairs):
    return b"}(" + b"".join(k + v for k, v in pairs) + b"u"


def p_tensor(key, numel, offset, size, stride, storage="FloatStorage"):
    """torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())."""
    pid = p_tuple(p_str("storage"), p_global("torch", storage), p_str(key), p_str("cpu"), p_int(numel))
    args = (pid + b"Q" + p_int(offset) + p_tuple(*map(p_int, size)) + p_tuple(*map(p_int, stride))
            + b"\x89" + p_global("collections", "OrderedDict") + b")R")
    return p_global("torch._utils", "_rebuild_tensor_v2") + b"(" + args + b"tR"


def p_call(module, name, *args):
    return p_global(module, name) + p_tuple(*args) + b"R"


def pickle_of(body, protocol=2):
    return b"\x80" + bytes([protocol]) + body + b"."


def write_archive(name, pkl, storages=(), byteorder=b"little", deflate=()):
    """A checkpoint laid out as torch.save lays it out (archive/data.pkl, archive/data/<key>,
    byteorder, version), written by zipfile: entries stored unless named in `deflate`."""
    with zipfile.ZipFile(os.path.join(TORCH_DIR, "bad", name), "w") as archive:
        entries = [("data.pkl", pkl), ("byteorder", byteorder)] + [(f"data/{k}", v) for k, v in storages]
        for entry, data in entries + [("version", b"3\n")]:
            info = zipfile.ZipInfo("archive/" + entry, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if entry in deflate else zipfile.ZIP_STORED
            archive.writestr(info, data)


def floats(*values):
    return b"".join(struct.pack("<f", v) for v in values)


def make_bad_checkpoints():
    """Files that must be refused in one line, and never executed."""
    os.makedirs(os.path.join(TORCH_DIR, "bad"), exist_ok=True)
    twelve = [("0", floats(*range(12)))]
    ok = p_str("ok") + p_tensor("0", 12, 0, (3, 4), (4, 1))

    def state_dict(*pairs):
        return pickle_of(p_global("collections", "OrderedDict") + b")R" + b"(" + b"".join(pairs) + b"u")

    # Code that would run on unpickling: os.system after an ordinary tensor, builtins.eval at the
    # top through STACK_GLOBAL (protocol 4), exec under Python 2's name for builtins.
    command = f"touch {EXECUTED_MARKER}"
    write_archive("os_system.pt", state_dict(ok, p_str("payload") + p_call("os", "system", p_str(command))), twelve)
    eval_call = (b"\x8c\x08builtins\x8c\x04eval\x93" + p_tuple(p_str(f"open({EXECUTED_MARKER!r}, 'w')")) + b"R")
    write_archive("builtins_eval.pt", pickle_of(eval_call, protocol=4))
    write_archive("builtin_exec.pt", pickle_of(p_call("__builtin__", "exec", p_str(f"open({EXECUTED_MARKER!r}, 'w')"))))

    # Whole pickled models: a library module's class and the user's own.
    torch.manual_seed(42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.save(torch.nn.RNN(2, 2), os.path.join(TORCH_DIR, "bad", "whole_rnn.pt"))
        torch.save(Net(), os.path.join(TORCH_DIR, "bad", "whole_net.pt"))
    # The format before PyTorch 1.6: a bare pickle stream with a magic number, no zip.
    torch.save(torch.nn.RNN(2, 2).state_dict(), os.path.join(TORCH_DIR, "bad", "legacy.pt"),
               _use_new_zipfile_serialization=False)

    # Storages and views that do not fit.
    write_archive("missing_storage.pt", state_dict(ok, p_str("lost") + p_tensor("1", 4, 0, (4,), (1,))), twelve)
    write_archive("short_storage.pt", state_dict(ok), [("0", floats(*range(10)))])
    write_archive("view_beyond_storage.pt", state_dict(p_str("rnn.weight_hh_l0") + p_tensor("0", 12, 0, (4, 4), (4, 1))), twelve)
    write_archive("offset_past_end.pt", state_dict(p_str("fc.bias") + p_tensor("0", 12, 100, (2,), (1,))), twelve)
    write_archive("huge_shape.pt", state_dict(p_str("w") + p_tensor("0", 12, 0, (2**40, 2**40), (2**40, 1))), twelve)
    write_archive("negative_stride.pt", state_dict(p_str("w") + p_tensor("0", 12, 11, (3,), (-1,))), twelve)
    write_archive("stride_zero_bomb.pt", state_dict(p_str("w") + p_tensor("0", 12, 0, (2**20, 2**20), (0, 0))), twelve)
    write_archive("unsupported_dtype.pt", state_dict(p_str("mask") + p_tensor("0", 12, 0, (12,), (1,), "BoolStorage")),
                  [("0", bytes(12))])

    # Pickles that break the interpreter's limits or its bookkeeping.
    write_archive("deep_nesting.pt", pickle_of(b"]" * 1000 + b"a" * 999))
    write_archive("memo_out_of_range.pt", pickle_of(b"}q\x00(" + p_str("w") + b"h\x07u"))
    write_archive("string_past_end.pt", pickle_of(b"X\xff\xff\xff\x7f" + b"abc")[:-1])

    # Zip structure: a deflated data.pkl that inflates to 20 MB, a byte order we cannot read,
    # a central directory claiming a 4 GB entry, an archive cut short.
    write_archive("deflate_bomb.pt", state_dict(ok) + bytes(20_000_000), twelve, deflate=("data.pkl",))
    write_archive("big_endian.pt", state_dict(ok), [("0", struct.pack(">12f", *range(12)))], byteorder=b"big")
    good = open(os.path.join(TORCH_DIR, "rnn_state_dict.pt"), "rb").read()
    with open(os.path.join(TORCH_DIR, "bad", "truncated.pt"), "wb") as f:
        f.write(good[:len(good) * 3 // 5])
    huge = bytearray(good)
    directory = huge.index(b"PK\x01\x02")  # the first entry, archive/data.pkl
    huge[directory + 20:directory + 28] = struct.pack("<II", 0xFFFFFF00, 0xFFFFFF00)
    with open(os.path.join(TORCH_DIR, "bad", "huge_entry_size.pt"), "wb") as f:
        f.write(huge)


def make_torch_fixtures():
    os.makedirs(TORCH_DIR, exist_ok=True)
    make_good_checkpoints()
    make_bad_checkpoints()


# model/: whole models as PyTorch users save them (an RNN with a readout and more), with the
# real loss on top and every gradient PyTorch computes for it.

MODEL_DIR = os.path.join(ROOT, "model")


class Classifier(torch.nn.Module):
    """A recurrent module, its readout, and a tensor vanish must leave alone (an embedding that
    a real model would run first; the fixture feeds the RNN directly)."""

    def __init__(self, recurrent, readout, recurrent_name="rnn", readout_name="fc"):
        super().__init__()
        setattr(self, recurrent_name, recurrent)
        setattr(self, readout_name, readout)
        self.embedding = torch.nn.Embedding(5, 3)


def scored_loss(fc, out, y, loss, steps, batch_first):
    """The loss as a training script writes it: F.cross_entropy(fc(out[-1]), y) (out[:, -1]
    batch-first), over all steps F.cross_entropy(fc(out).reshape(-1, K), y.reshape(-1)), or
    F.mse_loss in their place."""
    if steps == "last":
        prediction = fc(out[:, -1] if batch_first else out[-1])
    else:
        prediction = fc(out)
    if loss == "cross-entropy":
        if steps == "all":
            return torch.nn.functional.cross_entropy(prediction.reshape(-1, prediction.shape[-1]), y.reshape(-1))
        return torch.nn.functional.cross_entropy(prediction, y)
    return torch.nn.functional.mse_loss(prediction, y)


def model_expectations(label, model, cell, rnn, fc, x, y, loss, steps, batch_first=False):
    """PyTorch's loss, output and gradients for one analysis of a whole model: every parameter's
    gradient under its state_dict name (those the loss reaches), the input's, h0's (zeros), and
    ||dL/dh_t|| per block and step (Frobenius over the batch) from the unrolled loop."""
    unbatched = x.dim() == 2
    D = 2 if rnn.bidirectional else 1
    sizes = [state_size(rnn, s) for s in cell.states]
    states0 = [torch.zeros(rnn.num_layers * D, 1 if unbatched else x.shape[0 if batch_first else 1], S, dtype=x.dtype)
               for S in sizes]
    model.zero_grad(set_to_none=True)
    x_fused = x.clone().requires_grad_(True)
    states_fused = [(s[:, 0] if unbatched else s).clone().requires_grad_(True) for s in states0]
    out, _ = rnn(x_fused, tuple(states_fused) if len(states_fused) > 1 else states_fused[0])
    value = scored_loss(fc, out, y, loss, steps, batch_first)
    value.backward()
    names = dict(model.named_parameters())
    expected = {f"{label}.loss": value.detach().reshape(1), f"{label}.output": out.detach(),
                f"{label}.grad_input": x_fused.grad, f"{label}.grad_h0": states_fused[0].grad}
    expected.update({f"{label}.grad.{k}": p.grad.clone() for k, p in names.items() if p.grad is not None})
    model.zero_grad(set_to_none=True)

    x_loop = x.unsqueeze(1) if unbatched else (x.transpose(0, 1) if batch_first else x)
    states_loop = [s.clone().requires_grad_(True) for s in states0]
    out_loop, _, blocks = unrolled(cell, rnn, x_loop, states_loop)
    out_user = out_loop[:, 0] if unbatched else (out_loop.transpose(0, 1) if batch_first else out_loop)
    value_loop = scored_loss(fc, out_user, y, loss, steps, batch_first)
    value_loop.backward()
    model.zero_grad(set_to_none=True)
    assert torch.allclose(value_loop, value, rtol=1e-5), label
    grad_h = stack_records(blocks, "h", grad=True)
    expected[f"{label}.grad_norms"] = grad_h.flatten(2).norm(dim=2)
    return {k: v.detach().contiguous() for k, v in expected.items()}


def make_model_fixtures():
    os.makedirs(MODEL_DIR, exist_ok=True)
    expected = {}

    def save_npy(name, tensor):
        np.save(os.path.join(MODEL_DIR, name), tensor.numpy())

    # A bidirectional 2-layer tanh RNN with a classifier, float32: torch.save'd state_dict and the
    # same whole model as safetensors; cross-entropy at the last step and, with ignored targets,
    # at every step; and an unbatched sequence.
    torch.manual_seed(50)
    model = Classifier(torch.nn.RNN(3, 5, num_layers=2, bidirectional=True), torch.nn.Linear(10, 4))
    torch.save(model.state_dict(), os.path.join(MODEL_DIR, "rnn_fc.pt"))
    save_file(model.state_dict(), os.path.join(MODEL_DIR, "rnn_fc.safetensors"))
    x = torch.randn(7, 3, 3)
    y_last = torch.tensor([2, 0, 3])
    y_all = torch.randint(4, (7, 3))
    y_all[1, 2] = y_all[4, 0] = y_all[6, 1] = -100
    save_npy("x.npy", x)
    save_npy("y_last.npy", y_last)
    save_npy("y_all.npy", y_all)
    expected.update(model_expectations("ce_last", model, RNN, model.rnn, model.fc, x, y_last, "cross-entropy", "last"))
    expected.update(model_expectations("ce_all", model, RNN, model.rnn, model.fc, x, y_all, "cross-entropy", "all"))
    x1 = torch.randn(6, 3)
    y1 = torch.tensor([1, -100, 3, 0, 0, 2])
    save_npy("x_unbatched.npy", x1)
    save_npy("y_unbatched.npy", y1)
    expected.update(model_expectations("unbatched", model, RNN, model.rnn, model.fc, x1, y1, "cross-entropy", "all"))

    # A float64 LSTM, batch-first, in a training checkpoint after one Adam step; cross-entropy
    # over every step with ignored targets.
    torch.manual_seed(51)
    model = Classifier(torch.nn.LSTM(3, 4, num_layers=2, batch_first=True), torch.nn.Linear(4, 3),
                       recurrent_name="lstm").double()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    xb = torch.randn(2, 5, 3, dtype=torch.float64)
    scored_loss(model.fc, model.lstm(xb)[0], torch.zeros(2, dtype=torch.int64), "cross-entropy", "last", True).backward()
    optimizer.step()
    model.zero_grad(set_to_none=True)
    torch.save({"epoch": 5, "model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                "loss": 0.7}, os.path.join(MODEL_DIR, "lstm_checkpoint.pt"))
    y_bf = torch.randint(3, (2, 5))
    y_bf[0, 1] = -100
    save_npy("x_batch_first.npy", xb)
    save_npy("y_batch_first.npy", y_bf)
    expected.update(model_expectations("lstm_all", model, LSTM, model.lstm, model.fc, xb, y_bf, "cross-entropy", "all",
                                       batch_first=True))

    # A bidirectional GRU with a readout without bias (the module named head), mse at every step.
    torch.manual_seed(52)
    model = Classifier(torch.nn.GRU(3, 4, bidirectional=True), torch.nn.Linear(8, 2, bias=False),
                       recurrent_name="gru", readout_name="head")
    torch.save(model.state_dict(), os.path.join(MODEL_DIR, "gru_head.pth"))
    y_mse = torch.randn(7, 3, 2)
    save_npy("y_mse.npy", y_mse)
    expected.update(model_expectations("gru_mse", model, GRU, model.gru, model.head, x, y_mse, "mse", "all"))

    # Half precision: read as float32, so PyTorch's float32 run of the same weights is the reference.
    torch.manual_seed(53)
    model = Classifier(torch.nn.RNN(3, 4), torch.nn.Linear(4, 4)).half()
    torch.save(model.state_dict(), os.path.join(MODEL_DIR, "rnn_float16.pt"))
    model = model.float()
    expected.update(model_expectations("float16", model, RNN, model.rnn, model.fc, x, y_last, "cross-entropy", "last"))

    # Two recurrent modules: analyze must be told which.
    torch.manual_seed(54)
    seq2seq = torch.nn.Module()
    seq2seq.encoder = torch.nn.Module()
    seq2seq.encoder.rnn = torch.nn.RNN(3, 4)
    seq2seq.decoder = torch.nn.Module()
    seq2seq.decoder.gru = torch.nn.GRU(4, 3)
    seq2seq.fc = torch.nn.Linear(3, 2)
    torch.save(seq2seq.state_dict(), os.path.join(MODEL_DIR, "two_modules.pt"))

    save_file(expected, os.path.join(MODEL_DIR, "expected.safetensors"),
              metadata={"torch_version": torch.__version__})


GROUPS = {
    "rnn": [make_rnn_cases],
    "lstm": [make_lstm_cases],
    "gru": [make_gru_cases],
    "gated": [make_lstm_cases, make_gru_cases],
    "analyze": [make_analyze_fixture],
    "example": [make_example],
    "torch": [make_torch_fixtures],
    "model": [make_model_fixtures],
}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Writes vanish's PyTorch reference files.")
    parser.add_argument("groups", nargs="*", metavar="GROUP",
                        help="what to write, any of: " + ", ".join(GROUPS) + " (default: all)")
    groups = parser.parse_args().groups or ["rnn", "gated", "analyze", "example", "torch", "model"]
    unknown = [g for g in groups if g not in GROUPS]  # (argparse's choices reject an empty list)
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    for make in dict.fromkeys(f for g in groups for f in GROUPS[g]):  # each once, in order
        make()
    print("fixtures written")
