"""Train a small nn.RNN on vanish's recall task, and save it for `vanish analyze`.

The task is the one in vanish's Sources/Sweeps/Tasks/RecallTask.swift: step 0 shows one of K
classes as a one-hot vector, steps 1..T carry Gaussian noise of variance 0.2 on every input
and no information, and the network names the class at the last step through a linear
readout (cross-entropy; chance 1/K, the memoryless baseline ln K).

    python train_recall.py [--out recall-model] [--length 20] [--hidden 32] [--iterations 300]

writes into --out:
    model.pt            the model's state_dict (rnn.*, the nn.RNN; fc.*, its nn.Linear readout),
                        saved with torch.save, as a training script saves one
    input.npy           a fresh batch, (T + 1, N, K) float32, time-major as nn.RNN takes it
    targets.npy         its classes, (N,) int64
and prints the vanish analyze commands to run on them: one for vanish's default loss, one for
this script's own, F.cross_entropy(fc(output[-1]), targets).
"""
import argparse
import math
import pathlib

import numpy as np
import torch

NOISE = math.sqrt(0.2)


def recall_batch(size, length, classes, generator):
    """Inputs (length + 1, size, classes) and the class of each sequence (size,)."""
    labels = torch.randint(classes, (size,), generator=generator)
    inputs = torch.zeros(length + 1, size, classes)
    inputs[0, torch.arange(size), labels] = 1.0
    inputs[1:] = NOISE * torch.randn(length, size, classes, generator=generator)
    return inputs, labels


class RecallModel(torch.nn.Module):
    """An nn.RNN and the linear readout of its last output: what vanish analyze --readout fc reads."""

    def __init__(self, classes, hidden, nonlinearity):
        super().__init__()
        self.rnn = torch.nn.RNN(classes, hidden, nonlinearity=nonlinearity)
        self.fc = torch.nn.Linear(hidden, classes)

    def forward(self, inputs):
        output, _ = self.rnn(inputs)
        return self.fc(output[-1])


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
    model = RecallModel(args.classes, args.hidden, args.nonlinearity)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for iteration in range(1, args.iterations + 1):
        inputs, labels = recall_batch(args.batch, args.length, args.classes, generator)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if iteration % 100 == 0 or iteration == args.iterations:
            print(f"iteration {iteration}: loss {loss.item():.4f} (baseline ln K = {math.log(args.classes):.4f})")

    # A fresh batch to analyse, and the loss vanish analyze will report for it.
    inputs, labels = recall_batch(args.batch, args.length, args.classes, generator)
    with torch.no_grad():
        logits = model(inputs)
    loss = torch.nn.functional.cross_entropy(logits, labels)
    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    print(f"held-out batch: loss {loss.item():.4f}, accuracy {accuracy:.2f} (chance {1 / args.classes:.2f})")

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "model.pt")
    np.save(out / "input.npy", inputs.numpy())
    np.save(out / "targets.npy", labels.numpy())

    relu = " --nonlinearity relu" if args.nonlinearity == "relu" else ""
    command = f"vanish analyze {out / 'model.pt'} {out / 'input.npy'}{relu}"
    print(f"wrote {out}/: model.pt, input.npy, targets.npy")
    print("measure how the gradient of this cross-entropy vanishes (its value should read "
          f"{loss.item():.4f}; fc's gradients are in grads.safetensors):")
    print(f"  {command} --readout fc --targets {out / 'targets.npy'} --loss cross-entropy --out {out / 'result-loss'}")
    print("or with vanish's default loss, L = the sum of the RNN's output at the last step:")
    print(f"  {command} --out {out / 'result'}")


if __name__ == "__main__":
    main()
