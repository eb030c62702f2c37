"""The matplotlib side of the plotting benchmark: the same figure as `vanish-bench plot`
(6 decaying series x 1000 points, log y, legend, labels, grid, 6.4x4.8 in at 150 dpi) saved
with savefig as PNG. Prints one JSON line with the median time of the runs after a warm-up."""
import argparse
import json
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--repeat", type=int, default=20)
parser.add_argument("--out", default="/tmp/matplotlib-bench-plot.png")
args = parser.parse_args()

x = np.arange(1000, dtype=float)
times = []
for _ in range(args.repeat + 1):
    start = time.perf_counter()
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for series in range(6):
        rate = 0.01 + 0.02 * series
        ax.plot(x, np.exp(-rate * x) * (1 + 0.1 * np.sin(x * 0.37 + series)), label=f"series {series}")
    ax.set_yscale("log")
    ax.set_xlabel("t")
    ax.set_ylabel("‖∂L/∂hₜ‖")
    ax.set_title("6 series × 1000 points")
    ax.grid(True)
    ax.legend()
    fig.savefig(args.out, dpi=150)
    plt.close(fig)
    times.append((time.perf_counter() - start) * 1000)
times = times[1:]
print(json.dumps({"benchmark": "plot", "tool": "matplotlib " + matplotlib.__version__,
                  "median_ms": statistics.median(times), "runs": len(times)}))
