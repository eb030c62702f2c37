import CKernels
import COpenBLAS
import Foundation
import Plot
import Recurrence

/// Benchmarks, not tests: each prints one JSON line of timings so that a driver can run it
/// interleaved with its PyTorch or matplotlib counterpart and report ratios from one run.
///
///     vanish-bench plot --repeat 20 --out /tmp/bench.png
///     vanish-bench rnn --shape 32,100,32,64 [--cell rnn|lstm|gru] [--layers 2] [--bidirectional] [--double] --repeat 10
///     vanish-bench sgemm --size 2048
///     vanish-bench memory --shape 32,10000,32,128
///     vanish-bench spectrum --size 1024
let arguments = CommandLine.arguments.dropFirst()
guard let command = arguments.first else {
    FileHandle.standardError.write(Data("usage: vanish-bench plot|rnn|memory|sgemm|spectrum [options]\n".utf8))
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

/// --shape N,T,I,H, or exit with a usage line.
func shapeOption(default value: String) -> (batch: Int, steps: Int, inputSize: Int, hidden: Int) {
    let shape = option("--shape", default: value).split(separator: ",").compactMap { Int($0) }
    guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
        FileHandle.standardError.write(Data("vanish-bench: --shape must be N,T,I,H\n".utf8))
        exit(2)
    }
    return (shape[0], shape[1], shape[2], shape[3])
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
case "rnn":
    // Forward + BPTT of nn.RNN (or nn.LSTM, nn.GRU) with loss = sum of the last output, as
    // bench/torch_rnn.py.
    let (batch, steps, inputSize, hidden) = shapeOption(default: "32,100,32,64")
    let layers = Int(option("--layers", default: "1")) ?? 1
    let bidirectional = arguments.contains("--bidirectional")
    let repeats = Int(option("--repeat", default: "10")) ?? 10
    guard let cell = RecurrentCellKind(rawValue: option("--cell", default: "rnn")) else {
        FileHandle.standardError.write(Data("vanish-bench: --cell must be rnn, lstm or gru\n".utf8))
        exit(2)
    }
    let config = RNNConfiguration(inputSize: inputSize, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional,
                                  cell: cell)
    // Three modes, interleaved run by run so that all see the same machine state: without
    // probes and with them, both computing ∂L/∂x as PyTorch does when the input requires grad,
    // and with probes but without ∂L/∂x, as PyTorch's input without requires_grad.
    func measure<S: RNNScalar>(_: S.Type) throws -> (plain: Double, probed: Double, probedNoInput: Double) {
        let rnn = try RNN<S>(config, seed: 0)
        var generator = SeededGenerator(seed: 1)
        let input = Tensor<S>(shape: [steps, batch, inputSize], scalars: (0..<steps * batch * inputSize).map { _ in S(generator.normal()) })
        let width = config.directions * hidden
        var gradient = Tensor<S>(zeros: [steps, batch, width])
        for i in 0..<batch * width { gradient.scalars[(steps - 1) * batch * width + i] = 1 }
        func iteration(inputGradient: Bool) throws {
            _ = try rnn.forward(input)
            _ = try rnn.backward(gradOutput: gradient, inputGradient: inputGradient)
        }
        var plain: [Double] = [], probed: [Double] = [], probedNoInput: [Double] = []
        try iteration(inputGradient: true)
        for _ in 0..<repeats {
            rnn.probes = []
            plain += try timings(1) { try iteration(inputGradient: true) }
            rnn.probes = [.gradientNorms, .logGradientNorms]
            probed += try timings(1) { try iteration(inputGradient: true) }
            probedNoInput += try timings(1) { try iteration(inputGradient: false) }
        }
        return (median(plain), median(probed), median(probedNoInput))
    }
    let double = arguments.contains("--double")
    let (plain, probed, probedNoInput) = double ? try measure(Double.self) : try measure(Float.self)
    // 6·G·N·H·(I+H)·T per layer and direction, G the cell's gates: forward and backward GEMMs,
    // ∂L/∂x included.
    let gates = ["rnn": 1, "lstm": 4, "gru": 3][cell.rawValue]!
    var flops = 0.0
    for layer in 0..<layers {
        flops += 6 * Double(gates * batch * hidden * (config.layerInputSize(layer) + hidden) * steps * config.directions)
    }
    print(#"{"benchmark": "rnn", "tool": "vanish", "cell": "\#(cell.rawValue)", "dtype": "\#(double ? "float64" : "float32")", "shape": "\#(batch),\#(steps),\#(inputSize),\#(hidden)", "layers": \#(layers), "bidirectional": \#(bidirectional), "ms": \#(plain), "ms_probes": \#(probed), "ms_probes_no_dx": \#(probedNoInput), "gflops": \#(flops / plain / 1e6)}"#)
case "memory":
    // Peak resident memory of one forward + BPTT with probes, beyond what the process held
    // before (input and output gradient included there), against the bytes of what BPTT must
    // keep: every h_t (and h0) and every layer's input.
    let (batch, steps, inputSize, hidden) = shapeOption(default: "32,10000,32,128")
    let config = RNNConfiguration(inputSize: inputSize, hiddenSize: hidden)
    let rnn = try RNN<Float>(config, seed: 0)
    rnn.probes = [.gradientNorms, .logGradientNorms]
    var generator = SeededGenerator(seed: 1)
    let input = Tensor<Float>(shape: [steps, batch, inputSize], scalars: (0..<steps * batch * inputSize).map { _ in Float(generator.normal()) })
    var gradient = Tensor<Float>(zeros: [steps, batch, hidden])
    for i in 0..<batch * hidden { gradient.scalars[(steps - 1) * batch * hidden + i] = 1 }
    let before = ResidentMemory.current()
    ResidentMemory.resetPeak()
    let output = try rnn.forward(input)
    let gradients = try rnn.backward(gradOutput: gradient)
    let peak = ResidentMemory.peak()
    withExtendedLifetime((output, gradients)) {}
    let activations = 4 * ((steps + 1) * batch * hidden + steps * batch * inputSize)
    print(#"{"benchmark": "memory", "shape": "\#(batch),\#(steps),\#(inputSize),\#(hidden)", "activation_bytes": \#(activations), "peak_bytes": \#(peak - before), "ratio": \#(Double(peak - before) / Double(activations))}"#)
case "sgemm":
    // The machine's single-thread SGEMM peak, for the fraction a run reaches: OpenBLAS's (what
    // a BLAS user gets) and vanish's own kernel's, on the same square product.
    openblas_set_num_threads(1)
    let size = Int(option("--size", default: "2048")) ?? 2048
    let a = [Float](repeating: 0.5, count: size * size), b = a
    var c = [Float](repeating: 0, count: size * size)
    let openBLAS = median(timings(5) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(size), blasint(size), blasint(size),
                    1, a, blasint(size), b, blasint(size), 0, &c, blasint(size))
    })
    let own = median(timings(5) {
        vanish_sgemm(false, false, Int32(size), Int32(size), Int32(size), 1, a, Int32(size), b, Int32(size), 0, &c, Int32(size))
    })
    let flops = 2 * pow(Double(size), 3)
    print(#"{"benchmark": "sgemm", "size": \#(size), "openblas_gflops": \#(flops / openBLAS / 1e6), "vanish_gflops": \#(flops / own / 1e6), "gflops": \#(flops / min(openBLAS, own) / 1e6)}"#)
case "spectrum":
    // σ_max and the spectral radius of one size × size Gaussian matrix (a W_hh), as every run
    // summary computes them twice: vanish's own (one fixed order, the same bits everywhere)
    // and LAPACK's dgesvd / dgeev from OpenBLAS, whose kernels depend on the CPU.
    openblas_set_num_threads(1)
    let size = Int(option("--size", default: "1024")) ?? 1024
    var generator = SeededGenerator(seed: 1)
    let matrix = (0..<size * size).map { _ in generator.normal() / Double(size).squareRoot() }
    var own = (sigma: 0.0, radius: 0.0), lapack = (sigma: 0.0, radius: 0.0)
    let ownSigma = median(timings(3) { own.sigma = Spectrum.largestSingularValue(matrix, rows: size, columns: size) })
    let ownRadius = median(timings(3) { own.radius = Spectrum.spectralRadius(matrix, size: size) })
    let lapackSigma = median(timings(3) { lapack.sigma = lapackLargestSingularValue(matrix, size: size) })
    let lapackRadius = median(timings(3) { lapack.radius = lapackSpectralRadius(matrix, size: size) })
    print(#"{"benchmark": "spectrum", "size": \#(size), "sigma_ms": \#(ownSigma), "lapack_sigma_ms": \#(lapackSigma), "radius_ms": \#(ownRadius), "lapack_radius_ms": \#(lapackRadius), "sigma_relative_difference": \#(abs(own.sigma - lapack.sigma) / lapack.sigma), "radius_relative_difference": \#(abs(own.radius - lapack.radius) / lapack.radius)}"#)
default:
    FileHandle.standardError.write(Data("vanish-bench: unknown benchmark '\(command)'; expected: plot, rnn, memory, sgemm, spectrum\n".utf8))
    exit(2)
}

/// LAPACK's σ_max of a square matrix (dgesvd, singular values only), for the spectrum benchmark.
func lapackLargestSingularValue(_ matrix: [Double], size: Int) -> Double {
    var a = matrix, n = Int32(size), one: Int32 = 1, info: Int32 = 0, job = Int8(UInt8(ascii: "N"))
    var singular = [Double](repeating: 0, count: size), left = [0.0], right = [0.0], query = [0.0], workSize: Int32 = -1
    dgesvd_(&job, &job, &n, &n, &a, &n, &singular, &left, &one, &right, &one, &query, &workSize, &info)
    workSize = Int32(query[0])
    var work = [Double](repeating: 0, count: Int(workSize))
    dgesvd_(&job, &job, &n, &n, &a, &n, &singular, &left, &one, &right, &one, &work, &workSize, &info)
    return info == 0 ? singular[0] : .nan
}

/// LAPACK's spectral radius (dgeev, eigenvalues only), for the spectrum benchmark.
func lapackSpectralRadius(_ matrix: [Double], size: Int) -> Double {
    var a = matrix, n = Int32(size), one: Int32 = 1, info: Int32 = 0, job = Int8(UInt8(ascii: "N"))
    var real = [Double](repeating: 0, count: size), imaginary = real, left = [0.0], right = [0.0], query = [0.0], workSize: Int32 = -1
    dgeev_(&job, &job, &n, &a, &n, &real, &imaginary, &left, &one, &right, &one, &query, &workSize, &info)
    workSize = Int32(query[0])
    var work = [Double](repeating: 0, count: Int(workSize))
    dgeev_(&job, &job, &n, &a, &n, &real, &imaginary, &left, &one, &right, &one, &work, &workSize, &info)
    return info == 0 ? zip(real, imaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max()! : .nan
}
