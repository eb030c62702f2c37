import RealModule

/// Records the backward probes of one layer and direction while `RecurrentLayer.backward`
/// runs. It reads the buffers the backward pass computes anyway (dh and dz of each step, in
/// `RowScaling`'s form) and never writes to them; its own arrays are allocated once, before
/// the time loop. Because the rows never leave the scalar's range, every norm is exact far
/// below and above it: only Double's own range (about 2^±1000) bounds the direct norms, and
/// nothing bounds the logarithms.
final class GradientProbeRecorder<Scalar: RNNScalar> {
    static var backwardProbes: ProbeOptions {
        [.gradientNorms, .preactivationGradientNorms, .recurrentWeightGradientNorms, .logGradientNorms]
    }

    private(set) var record: GradientProbe
    private let options: ProbeOptions
    private let batch: Int
    private let hiddenSize: Int
    private var rowNorms: [Double]
    private var trueDz: [Double] = []
    private var previousState: [Double] = []

    init(_ options: ProbeOptions, layer: Int, direction: Int, steps: Int, batch: Int, hiddenSize: Int) {
        self.options = options
        self.batch = batch
        self.hiddenSize = hiddenSize
        record = GradientProbe(layer: layer, direction: direction)
        rowNorms = Array(repeating: 0, count: batch)
        if options.contains(.gradientNorms) {
            record.gradientNorm = Array(repeating: 0, count: steps)
            record.gradientNormPerSample = Array(repeating: 0, count: steps * batch)
        }
        if options.contains(.preactivationGradientNorms) {
            record.preactivationGradientNorm = Array(repeating: 0, count: steps)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm = Array(repeating: 0, count: steps)
            trueDz = Array(repeating: 0, count: batch * hiddenSize)
            previousState = Array(repeating: 0, count: batch * hiddenSize)
        }
        if options.contains(.logGradientNorms) {
            record.logGradientNorm = Array(repeating: 0, count: steps)
        }
    }

    /// Reads step t's dh = ∂L/∂h_t and dz = ∂L/∂z_t, both (N, H) in scaled rows, and the state
    /// the step read, `previous` (N, H).
    func record(time t: Int, dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>) {
        if !options.isDisjoint(with: [.gradientNorms, .logGradientNorms]) {
            let batchNorm = norms(of: dh)
            if options.contains(.gradientNorms) {
                for n in 0..<batch {
                    record.gradientNormPerSample[t * batch + n] = Double(sign: .plus, exponent: dh.exponent(ofRow: n),
                                                                         significand: rowNorms[n])
                }
                record.gradientNorm[t] = Double(sign: .plus, exponent: batchNorm.exponent, significand: batchNorm.significand)
            }
            if options.contains(.logGradientNorms) {
                record.logGradientNorm[t] = Double.log(batchNorm.significand) + Double(batchNorm.exponent) * Self.ln2
            }
        }
        if options.contains(.preactivationGradientNorms) {
            let batchNorm = norms(of: dz)
            record.preactivationGradientNorm[t] = Double(sign: .plus, exponent: batchNorm.exponent,
                                                         significand: batchNorm.significand)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm[t] = outerProductNorm(dz: dz, previous: previous)
        }
    }

    private static var ln2: Double { 0.693_147_180_559_945_3 }

    /// The norms of N scaled rows of H values: each row's own, unscaled, in `rowNorms`, and the
    /// batch's as significand · 2^exponent. The rows' squares are summed in Double without
    /// scaling first: RowScaling keeps a row's largest magnitude within 2^±32, far inside
    /// Double's range.
    private func norms(of rows: ScaledRows<Scalar>) -> (significand: Double, exponent: Int) {
        var common = Int.min
        for n in 0..<batch {
            rowNorms[n] = Scalar.scaledSquareSum(rows.row(n), count: hiddenSize, scale: 1).squareRoot()
            if !(rowNorms[n] == 0) { common = max(common, rows.exponent(ofRow: n)) }
        }
        guard common > Int.min else { return (0, 0) }
        var sum = 0.0
        for n in 0..<batch {
            let norm = Double(sign: .plus, exponent: rows.exponent(ofRow: n) - common, significand: rowNorms[n])
            sum += norm * norm
        }
        return (sum.squareRoot(), common)
    }

    /// ‖Σ_n dz[n] hPrev[n]ᵀ‖_F without forming the H×H matrix: with Gram matrices
    /// G = dz dzᵀ and K = hPrev hPrevᵀ (N×N), the squared norm is Σ_nm G_nm K_nm.
    /// dz's rows are brought to the largest row exponent and to its largest magnitude first,
    /// so that nothing underflows; that scale is put back at the end.
    private func outerProductNorm(dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>) -> Double {
        var common = dz.exponent(ofRow: 0)
        for n in 1..<batch { common = max(common, dz.exponent(ofRow: n)) }
        var largest = 0.0
        for n in 0..<batch {
            let row = dz.row(n)
            for j in 0..<hiddenSize {
                let i = n * hiddenSize + j
                trueDz[i] = Double(sign: .plus, exponent: dz.exponent(ofRow: n) - common, significand: Double(row[j]))
                previousState[i] = Double(previous[i])
                largest = trueDz[i].magnitude > largest || trueDz[i].isNaN ? trueDz[i].magnitude : largest
            }
        }
        guard largest > 0, largest.isFinite else { return largest }
        var sum = 0.0
        for n in 0..<batch {
            for m in n..<batch {
                var g = 0.0, k = 0.0
                for j in 0..<hiddenSize {
                    g += trueDz[n * hiddenSize + j] / largest * (trueDz[m * hiddenSize + j] / largest)
                    k += previousState[n * hiddenSize + j] * previousState[m * hiddenSize + j]
                }
                sum += (n == m ? 1 : 2) * g * k
            }
        }
        return Double(sign: .plus, exponent: common, significand: largest * max(sum, 0).squareRoot())
    }
}
