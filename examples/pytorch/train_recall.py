"""Train a small nn.RNN on vanish's recall task, and save it for `vanish analyze`.

The task is the one in vanish's Sources/Sweeps/Tasks/RecallTask.swift: step 0 shows one of K
classes as a one-hot vector, steps 1..T carry Gaussian noise of variance 0.2 on every input
and no information, and the network names the class at the last step through a linear
readout (cross-entropy; chance 1/K, the memoryless baseline ln K).

    python train_recall.py [--out recall-model] [--length 20] [--hidden 32] [--iterations 300]

writes into --out:
    model.pt            the nn.RNN's state_dict, saved with torch.save
    model.safetensors   the same state_dict, saved with safetensors (what vanish analyze reads)
    readout.pt          the nn.Linear readout's state_dict, saved with torch.save
    input.npy           a fresh batch, (T + 1, N, K) float32, time-major as nn.RNN takes it
    targets.npy         its classes, (N,) int64
    grad_output.npy     dL/d(output) of the cross-entropy on that batch, (T + 1, N, H)
and prints the vanish analyze commands to run on them.
"""
import argparse
import math
import pathlib

import numpy as np
import torch
from safetensors.torch import save_file

NOISE = math.sqrt(0.2)


def recall_batch(size, length, classes, generator):
    """Inputs (length + 1, size, classes) and the class of each sequence (size,)."""
    labels = torch.randint(classes, (size,), generator=generator)
    inputs = torch.zeros(length + 1, size, classes)
    inputs[0, torch.arange(size), labels] = 1.0
    inputs[1:] = NOISE * torch.randn(length, size, classes, generator=generator)
    return inputs, labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="recall-model", help="output directory")
    parser.add_argument("--length", type=int, default=20, help="T, the noisy steps after the class")
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--nonlinearity", choices=["tanh", "relu"], default="tanh")
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    model = torch.nn.RNN(args.classes, args.hidden, nonlinearity=args.nonlinearity)
    readout = torch.nn.Linear(args.hidden, args.classes)
    optimizer = torch.optim.Adam([*model.parameters(), *readout.parameters()], lr=args.lr)
    for iteration in range(1, args.iterations + 1):
        inputs, labels = recall_batch(args.batch, args.length, args.classes, generator)
        output, _ = model(inputs)
        loss = torch.nn.functional.cross_entropy(readout(output[-1]), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([*model.parameters(), *readout.parameters()], 1.0)
        optimizer.step()
        if iteration % 100 == 0 or iteration == args.iterations:
            print(f"iteration {iteration}: loss {loss.item():.4f} (baseline ln K = {math.log(args.classes):.4f})")

    # A fresh batch, and the gradient of the same loss with respect to the RNN's output: with
    # --grad-output, vanish analyze takes L = sum(G * output), whose gradient through the RNN
    # is then this loss's.
    inputs, labels = recall_batch(args.batch, args.length, args.classes, generator)
    output, _ = model(inputs)
    logits = readout(output[-1])
    loss = torch.nn.functional.cross_entropy(logits, labels)
    (grad_output,) = torch.autograd.grad(loss, output)
    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    print(f"held-out batch: loss {loss.item():.4f}, accuracy {accuracy:.2f} (chance {1 / args.classes:.2f})")

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "model.pt")
    save_file(model.state_dict(), out / "model.safetensors")
    torch.save(readout.state_dict(), out / "readout.pt")
    np.save(out / "input.npy", inputs.numpy())
    np.save(out / "targets.npy", labels.numpy())
    np.save(out / "grad_output.npy", grad_output.detach().numpy())

    relu = " --nonlinearity relu" if args.nonlinearity == "relu" else ""
    command = f"vanish analyze {out / 'model.safetensors'} {out / 'input.npy'}{relu} --out {out / 'result'}"
    print(f"wrote {out}/: model.pt, model.safetensors, readout.pt, input.npy, targets.npy, grad_output.npy")
    print("measure how the gradient vanishes (L = the output's sum at the last step, vanish's default):")
    print(f"  {command}")
    print("or for the gradient of this cross-entropy:")
    print(f"  {command} --grad-output {out / 'grad_output.npy'}")


if __name__ == "__main__":
    main()
