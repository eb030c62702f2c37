import Recurrence
import Testing

/// Shared numbers for the training-kit suites (initialization, readout, losses, optimizers,
/// clipping).
enum TrainingKit {
    /// The sample mean and (population) variance, in Double.
    static func moments<S: RNNScalar>(_ values: some Collection<S>) -> (mean: Double, variance: Double) {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance)
    }

    /// Random standard normal values.
    static func normals(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in generator.normal() }
    }

    /// Central finite difference of f at x along coordinate i, in Double.
    static func centralDifference(_ x: [Double], _ i: Int, epsilon: Double = 1e-6, _ f: ([Double]) throws -> Double) rethrows -> Double {
        var plus = x, minus = x
        plus[i] += epsilon
        minus[i] -= epsilon
        return (try f(plus) - f(minus)) / (2 * epsilon)
    }

    /// Row-major (rows × inner) · (inner × columns), in Double.
    static func matmul(_ a: [Double], _ b: [Double], rows: Int, inner: Int, columns: Int) -> [Double] {
        var c = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows { for k in 0..<inner { for j in 0..<columns { c[i * columns + j] += a[i * inner + k] * b[k * columns + j] } } }
        return c
    }

    /// The transpose of a row-major rows × columns matrix.
    static func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        var t = [Double](repeating: 0, count: a.count)
        for i in 0..<rows { for j in 0..<columns { t[j * rows + i] = a[i * columns + j] } }
        return t
    }

    /// The largest |a − b| over two arrays.
    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { ($0 - $1).magnitude }.max() ?? 0
    }

    /// A scaled identity n × n.
    static func identity(_ n: Int, scale: Double = 1) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = scale }
        return m
    }
}
