import Foundation
import Plot

/// Benchmarks, not tests: each prints one JSON line of timings so that a driver can run it
/// interleaved with its PyTorch or matplotlib counterpart and report ratios from one run.
///
///     vanish-bench plot --repeat 20 --out /tmp/bench.png
let arguments = CommandLine.arguments.dropFirst()
guard let command = arguments.first else {
    FileHandle.standardError.write(Data("usage: vanish-bench plot [--repeat N] [--out FILE]\n".utf8))
    exit(2)
}

func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex else { return value }
    return arguments[arguments.index(after: index)]
}

/// Milliseconds of each of `count` runs of `body`.
func timings(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
    try (0..<count).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

switch command {
case "plot":
    // The figure of bench/plot_matplotlib.py: 6 decaying series × 1000 points, log y, legend,
    // labels, grid, 6.4×4.8 in at 150 dpi, written as PNG.
    let repeats = Int(option("--repeat", default: "20")) ?? 20
    let url = URL(fileURLWithPath: option("--out", default: "/tmp/vanish-bench-plot.png"))
    let x = (0..<1000).map(Double.init)
    let times = try timings(repeats + 1) {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        for series in 0..<6 {
            let rate = 0.01 + 0.02 * Double(series)
            axes.line(x, x.map { exp(-rate * $0) * (1 + 0.1 * sin($0 * 0.37 + Double(series))) }, label: "series \(series)")
        }
        axes.xLabel = "t"
        axes.yLabel = "‖∂L/∂hₜ‖"
        axes.title = "6 series × 1000 points"
        axes.grid = true
        try figure.write(to: url, provenance: Provenance(software: "vanish-bench"))
    }.dropFirst()  // the first run warms caches and loads fonts
    print(#"{"benchmark": "plot", "tool": "vanish", "median_ms": \#(median(Array(times))), "runs": \#(times.count)}"#)
default:
    FileHandle.standardError.write(Data("vanish-bench: unknown benchmark '\(command)'; expected: plot\n".utf8))
    exit(2)
}
