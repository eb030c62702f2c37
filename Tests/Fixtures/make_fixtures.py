"""Writes the PyTorch reference files that vanish's engine tests compare against.

Run from the repository root with PyTorch >= 2 and safetensors installed:

    python Tests/Fixtures/make_fixtures.py

Each case in Tests/Fixtures/rnn/ is one .safetensors file holding an nn.RNN's parameters
(PyTorch's names), its inputs, the loss weights, and what PyTorch computed: output, h_n,
every parameter gradient, the input and h0 gradients, and the per-timestep total derivatives
dL/dh_t and dL/dz_t of an unrolled cell loop with retain_grad (DESIGN.md's definition).
The loss is L = sum(output * G) + sum(h_n * G_hn) with random G, G_hn, so that every output
element and every row of h_n sends a gradient back. The case's configuration is in the
file's __metadata__.

Tests/Fixtures/analyze/ holds a state_dict saved exactly as a PyTorch user would save it,
with inputs as .npy, for the end-to-end test of `vanish analyze`; examples/ holds the small
model that README's main command analyses.
"""
import itertools
import json
import os

import numpy as np
import torch
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))


def unrolled(rnn, x, h0):
    """Runs rnn as an explicit loop of cells on time-major x (T, N, I) and h0 (L*D, N, H).

    Returns output (T, N, D*H), h_n, and per block the lists of h_t and z_t tensors (time
    order) with retain_grad set, so that after backward their .grad is the total derivative.
    """
    D = 2 if rnn.bidirectional else 1
    act = torch.tanh if rnn.nonlinearity == "tanh" else torch.relu
    T = x.shape[0]
    layer_input = x
    hs, zs, finals = [], [], []
    for layer in range(rnn.num_layers):
        outs = []
        for d in range(D):
            sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
            w_ih = getattr(rnn, "weight_ih" + sfx)
            w_hh = getattr(rnn, "weight_hh" + sfx)
            b_ih = getattr(rnn, "bias_ih" + sfx) if rnn.bias else None
            b_hh = getattr(rnn, "bias_hh" + sfx) if rnn.bias else None
            h = h0[layer * D + d]
            h_by_t, z_by_t = [None] * T, [None] * T
            order = range(T - 1, -1, -1) if d == 1 else range(T)
            for t in order:
                z = layer_input[t] @ w_ih.T + h @ w_hh.T
                if rnn.bias:
                    z = z + b_ih + b_hh
                z.retain_grad()
                h = act(z)
                h.retain_grad()
                h_by_t[t], z_by_t[t] = h, z
            hs.append(h_by_t)
            zs.append(z_by_t)
            finals.append(h)
            outs.append(torch.stack(h_by_t))
        layer_input = torch.cat(outs, dim=-1)
    return layer_input, torch.stack(finals), hs, zs


def make_case(name, dtype, layers, bidirectional, nonlinearity, bias, mode, h0_given,
              T=6, N=3, I=4, H=5, seed=0):
    torch.manual_seed(seed)
    rnn = torch.nn.RNN(I, H, num_layers=layers, nonlinearity=nonlinearity, bias=bias,
                       batch_first=(mode == "batch_first"), bidirectional=bidirectional).to(dtype)
    D = 2 if bidirectional else 1
    x_tm = torch.randn(T, N, I, dtype=dtype)
    h0 = torch.randn(layers * D, N, H, dtype=dtype) if h0_given else torch.zeros(layers * D, N, H, dtype=dtype)
    g_out = torch.randn(T, N, D * H, dtype=dtype)
    g_hn = torch.randn(layers * D, N, H, dtype=dtype)

    # Shape everything as the user would pass it to the fused module.
    if mode == "batch_first":
        x_user, g_user = x_tm.transpose(0, 1).contiguous(), g_out.transpose(0, 1).contiguous()
        h0_user, ghn_user = h0, g_hn
    elif mode == "unbatched":
        x_tm, g_out, h0, g_hn = x_tm[:, :1], g_out[:, :1], h0[:, :1], g_hn[:, :1]
        x_user, g_user = x_tm[:, 0].contiguous(), g_out[:, 0].contiguous()
        h0_user, ghn_user = h0[:, 0].contiguous(), g_hn[:, 0].contiguous()
    else:
        x_user, g_user, h0_user, ghn_user = x_tm, g_out, h0, g_hn

    x_user = x_user.clone().requires_grad_(True)
    h0_fused = h0_user.clone().requires_grad_(True) if h0_given else None
    out, hn = rnn(x_user, h0_fused) if h0_given else rnn(x_user)
    loss = (out * g_user).sum() + (hn * ghn_user).sum()
    loss.backward()

    # The same network unrolled, for the per-timestep derivatives (and h0's gradient
    # when h0 was left to its default).
    x_loop = x_tm.clone().requires_grad_(True)
    h0_loop = h0.clone().requires_grad_(True)
    out_loop, hn_loop, hs, zs = unrolled(rnn, x_loop, h0_loop)
    loss_loop = (out_loop * g_out).sum() + (hn_loop * g_hn).sum()
    loss_loop.backward()

    out_tm = out.transpose(0, 1) if mode == "batch_first" else (out.unsqueeze(1) if mode == "unbatched" else out)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert torch.allclose(out_tm, out_loop, atol=tol), name
    assert torch.allclose(hn.reshape(hn_loop.shape), hn_loop, atol=tol), name

    tensors = {k: v.detach().clone() for k, v in rnn.state_dict().items()}
    tensors["input"] = x_user.detach()
    if h0_given:
        tensors["h0"] = h0_user
    tensors["grad_output"] = g_user
    tensors["grad_h_n"] = ghn_user
    tensors["output"] = out.detach()
    tensors["h_n"] = hn.detach()
    # Parameter gradients: recompute from the fused module alone.
    rnn.zero_grad(set_to_none=True)
    x2 = x_user.detach().clone().requires_grad_(True)
    h02 = h0_user.detach().clone().requires_grad_(True) if h0_given else None
    out2, hn2 = rnn(x2, h02) if h0_given else rnn(x2)
    ((out2 * g_user).sum() + (hn2 * ghn_user).sum()).backward()
    for k, p in rnn.named_parameters():
        tensors["grad." + k] = p.grad.detach().clone()
    tensors["grad_input"] = x2.grad.detach().clone()
    g_h0 = h02.grad if h0_given else (h0_loop.grad[:, 0] if mode == "unbatched" else h0_loop.grad)
    tensors["grad_h0"] = g_h0.detach().clone()
    tensors["grad_h"] = torch.stack([torch.stack([h.grad for h in blk]) for blk in hs]).detach()
    tensors["grad_z"] = torch.stack([torch.stack([z.grad for z in blk]) for blk in zs]).detach()
    # Step t's term of dL/dW_hh: sum_n dz_t[n] h_prev[n]^T, with h_prev the state step t read.
    contrib = []
    for b, (blk_h, blk_z) in enumerate(zip(hs, zs)):
        reverse = bidirectional and b % 2 == 1
        row = []
        for t in range(T):
            prev_t = t + 1 if reverse else t - 1
            h_prev = h0[b] if (prev_t < 0 or prev_t >= T) else blk_h[prev_t].detach()
            row.append(torch.linalg.matrix_norm(blk_z[t].grad.T @ h_prev))
        contrib.append(torch.stack(row))
    tensors["whh_contribution_norm"] = torch.stack(contrib).detach()

    meta = dict(input_size=I, hidden_size=H, num_layers=layers, nonlinearity=nonlinearity,
                bias=bias, batch_first=(mode == "batch_first"), bidirectional=bidirectional,
                unbatched=(mode == "unbatched"), h0_given=h0_given,
                dtype=str(dtype).replace("torch.", ""), torch_version=torch.__version__)
    tensors = {k: v.contiguous() for k, v in tensors.items()}
    save_file(tensors, os.path.join(ROOT, "rnn", name + ".safetensors"),
              metadata={k: json.dumps(v) for k, v in meta.items()})
    return meta


def make_engine_cases():
    os.makedirs(os.path.join(ROOT, "rnn"), exist_ok=True)
    modes = ["time_major", "batch_first", "unbatched"]
    seen = set()
    for dtype_index, dtype in enumerate([torch.float32, torch.float64]):
        structures = itertools.product([1, 2, 3], [False, True], ["tanh", "relu"])
        for i, (layers, bidirectional, nonlinearity) in enumerate(structures):
            k = i + dtype_index
            bias = (k // 3) % 2 == 0
            mode = modes[k % 3]
            h0_given = (k // 2) % 2 == 0
            tag = "f32" if dtype == torch.float32 else "f64"
            name = f"{tag}_l{layers}_{'bi' if bidirectional else 'uni'}_{nonlinearity}" \
                   f"_{'bias' if bias else 'nobias'}_{mode}_{'h0' if h0_given else 'noh0'}"
            make_case(name, dtype, layers, bidirectional, nonlinearity, bias, mode, h0_given, seed=100 + i)
            seen.update({("bias", bias), ("mode", mode), ("h0", h0_given), (tag, mode), (tag, bias)})
    assert len(seen) == 2 + 3 + 2 + 6 + 4, seen
    # A longer sequence, so per-timestep norms span many steps of decay.
    make_case("f64_l1_uni_tanh_long", torch.float64, 1, False, "tanh", True, "time_major", False,
              T=60, N=4, I=3, H=16, seed=7)
    make_case("f32_l2_bi_relu_long", torch.float32, 2, True, "relu", True, "batch_first", True,
              T=40, N=2, I=3, H=8, seed=8)
    # A batch so wide that vanish's backward works through the steps in several chunks
    # (4096 rows each: 5 steps here, then 5, then 1), in both directions and two layers.
    make_case("f32_l2_bi_tanh_wide_batch", torch.float32, 2, True, "tanh", True, "time_major", True,
              T=11, N=800, I=1, H=2, seed=9)


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


if __name__ == "__main__":
    make_engine_cases()
    make_analyze_fixture()
    make_example()
    print("fixtures written")
