"""The PyTorch side of the RNN benchmark: the same configurations as `vanish-bench rnn`,
on the CPU with one thread, loss = sum of the last output.

  fused:        nn.RNN forward + backward (no per-step gradients)
  instrumented: an unrolled nn.RNNCell loop with retain_grad on every h_t, which is how
                PyTorch users record dL/dh_t per step

Prints one JSON line per measurement (median of --repeat runs after a warm-up)."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--shape", default="32,100,32,64", help="N,T,I,H")
parser.add_argument("--layers", type=int, default=1)
parser.add_argument("--bidirectional", action="store_true")
parser.add_argument("--double", action="store_true")
parser.add_argument("--repeat", type=int, default=10)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
dtype = torch.float64 if args.double else torch.float32
N, T, I, H = (int(v) for v in args.shape.split(","))
rnn = torch.nn.RNN(I, H, num_layers=args.layers, bidirectional=args.bidirectional).to(dtype)
x = torch.randn(T, N, I, dtype=dtype)


def fused():
    rnn.zero_grad(set_to_none=True)
    out, _ = rnn(x)
    out[-1].sum().backward()


def instrumented():
    """Layer by layer, direction by direction, one cell step at a time, keeping every h_t's grad."""
    rnn.zero_grad(set_to_none=True)
    D = 2 if args.bidirectional else 1
    layer_input = x
    kept = []
    for layer in range(args.layers):
        outs = []
        for d in range(D):
            sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
            w_ih, w_hh = getattr(rnn, "weight_ih" + sfx), getattr(rnn, "weight_hh" + sfx)
            b_ih, b_hh = getattr(rnn, "bias_ih" + sfx), getattr(rnn, "bias_hh" + sfx)
            h = torch.zeros(N, H, dtype=dtype)
            states = [None] * T
            for t in (range(T - 1, -1, -1) if d == 1 else range(T)):
                h = torch.tanh(layer_input[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
                h.retain_grad()
                states[t] = h
                kept.append(h)
            outs.append(torch.stack(states))
        layer_input = torch.cat(outs, dim=-1)
    layer_input[-1].sum().backward()
    return [h.grad.norm() for h in kept]


def measure(fn):
    fn()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


shape = f"{N},{T},{I},{H}"
for mode, fn in [("fused", fused), ("instrumented", instrumented)]:
    print(json.dumps({"benchmark": "rnn", "tool": "torch " + torch.__version__, "mode": mode, "shape": shape,
                      "layers": args.layers, "bidirectional": args.bidirectional,
                      "dtype": "float64" if args.double else "float32", "ms": measure(fn)}))
