import RealModule

/// Per time step and sample, a vector stored as its logarithmic scale and its direction:
/// row r (= t·N + n) is exp(logScale[r]) · unit[r], with ‖unit[r]‖ = 1 (or 0 with scale −∞).
/// This carries gradients between layers without losing them below the scalar's range.
struct ScaledRows<Scalar: RNNScalar> {
    let rows: Int
    let width: Int
    var unit: [Scalar]
    var logScale: [Double]

    init(rows: Int, width: Int) {
        self.rows = rows
        self.width = width
        unit = Array(repeating: 0, count: rows * width)
        logScale = Array(repeating: -.infinity, count: rows)
    }

    /// Stores `values` (width scalars, in their true scale) at row r.
    mutating func store(row r: Int, values: UnsafePointer<Scalar>) {
        let norm = Norm.of(values, count: width)
        storeScaled(row: r, values: values, logScale: 0, norm: norm)
    }

    /// Stores exp(logScale) · values at row r, where ‖values‖ = norm.
    mutating func storeScaled(row r: Int, values: UnsafePointer<Scalar>, logScale scale: Double, norm: Double) {
        guard norm > 0, norm.isFinite, !scale.isNaN else {
            for j in 0..<width { unit[r * width + j] = 0 }
            logScale[r] = norm.isNaN || scale.isNaN ? .nan : (norm == 0 ? -.infinity : .infinity)
            return
        }
        for j in 0..<width { unit[r * width + j] = Scalar(Double(values[j]) / norm) }
        logScale[r] = scale + Double.log(norm)
    }

    /// The gradient that reaches each lower-layer direction from the layer above: for every
    /// row, Σ_d exp(s_d) (û_d W_ih^(d)) restricted to that direction's columns, times the
    /// dropout mask, combined in the log domain.
    /// - Parameters:
    ///   - above: scaled ∂L/∂z of each direction of the layer above, (T·N, H).
    ///   - weights: W_ih of each direction of the layer above, (H, D·H).
    ///   - mask: the dropout mask between the layers, (T·N, D·H), or nil.
    static func injected(from above: [ScaledRows], weights: [UnsafePointer<Scalar>], mask: UnsafePointer<Scalar>?,
                         hiddenSize: Int) -> [ScaledRows] {
        let directions = above.count
        let rows = above[0].rows
        let width = directions * hiddenSize
        // X̂_d = Û_d W_ih^(d): the unscaled input gradient of each direction above, (T·N, D·H).
        let projected: [[Scalar]] = zip(above, weights).map { scaled, weight in
            var product = [Scalar](repeating: 0, count: rows * width)
            scaled.unit.withUnsafeBufferPointer { unit in
                product.withUnsafeMutableBufferPointer { out in
                    Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: width, k: hiddenSize,
                                alpha: 1, a: unit.baseAddress!, lda: hiddenSize, b: weight, ldb: width,
                                beta: 0, c: out.baseAddress!, ldc: width)
                }
            }
            return product
        }
        var result = (0..<directions).map { _ in ScaledRows(rows: rows, width: hiddenSize) }
        var mixed = [Double](repeating: 0, count: hiddenSize)
        var rounded = [Scalar](repeating: 0, count: hiddenSize)
        for r in 0..<rows {
            let scales = above.map { $0.logScale[r] }
            let largest = scales.max()!
            for target in 0..<directions {
                let columns = r * width + target * hiddenSize
                guard largest > -.infinity, !scales.contains(where: \.isNaN) else {
                    result[target].logScale[r] = scales.contains(where: \.isNaN) ? .nan : -.infinity
                    continue
                }
                for j in 0..<hiddenSize { mixed[j] = 0 }
                for d in 0..<directions where scales[d] > -.infinity {
                    let weight = Double.exp(scales[d] - largest)
                    for j in 0..<hiddenSize {
                        let keep = mask.map { Double($0[columns + j]) } ?? 1
                        mixed[j] += weight * Double(projected[d][columns + j]) * keep
                    }
                }
                let norm = mixed.withUnsafeBufferPointer { Norm.of($0.baseAddress!, count: hiddenSize) }
                for j in 0..<hiddenSize { rounded[j] = Scalar(norm > 0 ? mixed[j] / norm : 0) }
                rounded.withUnsafeBufferPointer {
                    result[target].storeScaled(row: r, values: $0.baseAddress!, logScale: largest + Double.log(max(norm, 0)),
                                               norm: norm > 0 ? 1 : 0)
                }
            }
        }
        return result
    }
}
