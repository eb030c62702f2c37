"""The PyTorch side of the RNN benchmark: the same configurations as `vanish-bench rnn`,
on the CPU with one thread, loss = sum of the last output.

  fused:        nn.RNN, nn.LSTM or nn.GRU forward + backward (no per-step gradients), the
                input without requires_grad, as a researcher would run it
  fused_dx:     the same with requires_grad on the input, so that PyTorch computes dL/dx as
                vanish always does: the same work
  instrumented: the same network unrolled one cell step at a time with retain_grad on every
                h_t, which is how PyTorch users record dL/dh_t per step: the nn.RNNCell
                computation written out, or nn.LSTMCell / nn.GRUCell sharing the fused
                module's parameters. For the LSTM, retain_grad on every c_t as well, since
                vanish's probes record dL/dc_t too.

Prints one JSON line per measurement (median of --repeat runs after a warm-up)."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--shape", default="32,100,32,64", help="N,T,I,H")
parser.add_argument("--cell", default="rnn", choices=["rnn", "lstm", "gru"])
parser.add_argument("--layers", type=int, default=1)
parser.add_argument("--bidirectional", action="store_true")
parser.add_argument("--double", action="store_true")
parser.add_argument("--repeat", type=int, default=10)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
dtype = torch.float64 if args.double else torch.float32
N, T, I, H = (int(v) for v in args.shape.split(","))
module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[args.cell]
rnn = module(I, H, num_layers=args.layers, bidirectional=args.bidirectional).to(dtype)
x = torch.randn(T, N, I, dtype=dtype)
x_dx = x.clone().requires_grad_()


def fused(input=x):
    rnn.zero_grad(set_to_none=True)
    input.grad = None
    out, _ = rnn(input)
    out[-1].sum().backward()


def step_function(w_ih, w_hh, b_ih, b_hh):
    """One step of the cell on the given parameters: (x_t, state) -> state, the state being
    h_t, or (h_t, c_t) for the LSTM."""
    if args.cell == "rnn":
        return lambda x_t, h: torch.tanh(x_t @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
    cell = (torch.nn.LSTMCell if args.cell == "lstm" else torch.nn.GRUCell)(w_ih.shape[1], H).to(dtype)
    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = w_ih, w_hh, b_ih, b_hh
    return cell


D = 2 if args.bidirectional else 1
# Built once, outside the timed runs: steps[layer][d].
steps = [[step_function(*(getattr(rnn, name + f"_l{layer}" + ("_reverse" if d == 1 else ""))
                          for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
          for d in range(D)] for layer in range(args.layers)]


def instrumented():
    """Layer by layer, direction by direction, one cell step at a time, keeping every h_t's
    grad (and every c_t's for the LSTM)."""
    rnn.zero_grad(set_to_none=True)
    layer_input = x
    kept = []
    for layer in range(args.layers):
        outs = []
        for d in range(D):
            step = steps[layer][d]
            h = torch.zeros(N, H, dtype=dtype)
            state = (h, torch.zeros(N, H, dtype=dtype)) if args.cell == "lstm" else h
            states = [None] * T
            for t in (range(T - 1, -1, -1) if d == 1 else range(T)):
                state = step(layer_input[t], state)
                for kept_tensor in (state if args.cell == "lstm" else (state,)):
                    kept_tensor.retain_grad()
                    kept.append(kept_tensor)
                states[t] = state[0] if args.cell == "lstm" else state
            outs.append(torch.stack(states))
        layer_input = torch.cat(outs, dim=-1)
    layer_input[-1].sum().backward()
    return [kept_tensor.grad.norm() for kept_tensor in kept]


def measure(fn):
    fn()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


shape = f"{N},{T},{I},{H}"
for mode, fn in [("fused", fused), ("fused_dx", lambda: fused(x_dx)), ("instrumented", instrumented)]:
    print(json.dumps({"benchmark": "rnn", "tool": "torch " + torch.__version__, "cell": args.cell, "mode": mode,
                      "shape": shape, "layers": args.layers, "bidirectional": args.bidirectional,
                      "dtype": "float64" if args.double else "float32", "ms": measure(fn)}))
