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
    private let stateSize: Int
    private let stateColumns: [Range<Int>]
    private let preactivationColumns: [Range<Int>]
    private let recurrentColumns: Int
    private var rowNorms: [Double]
    private var trueDz: [Double] = []
    private var previousState: [Double] = []

    /// A recorder for T steps of N samples whose states are `stateSize` wide. dz rows hold the
    /// gates' pre-activation gradients in `preactivationColumns`, and the hidden side that
    /// dW_hh reads in their first `recurrentColumns`.
    init(_ options: ProbeOptions, layer: Int, direction: Int, steps: Int, batch: Int, stateSize: Int,
         preactivationColumns: [Range<Int>], recurrentColumns: Int) {
        self.options = options
        self.batch = batch
        self.stateSize = stateSize
        stateColumns = [0..<stateSize]
        self.preactivationColumns = preactivationColumns
        self.recurrentColumns = recurrentColumns
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
            trueDz = Array(repeating: 0, count: batch * recurrentColumns)
            previousState = Array(repeating: 0, count: batch * stateSize)
        }
        if options.contains(.logGradientNorms) {
            record.logGradientNorm = Array(repeating: 0, count: steps)
        }
    }

    /// Reads step t's dh = ∂L/∂h_t (N, state size) and dz, the gradient of its gates (see
    /// `init`), both in scaled rows, and the state the step read, `previous` (N, state size).
    func record(time t: Int, dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>) {
        if !options.isDisjoint(with: [.gradientNorms, .logGradientNorms]) {
            let batchNorm = norms(of: dh, columns: stateColumns)
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
            let batchNorm = norms(of: dz, columns: preactivationColumns)
            record.preactivationGradientNorm[t] = Double(sign: .plus, exponent: batchNorm.exponent,
                                                         significand: batchNorm.significand)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm[t] = outerProductNorm(dz: dz, previous: previous)
        }
    }

    private static var ln2: Double { 0.693_147_180_559_945_3 }

    /// The norms of N scaled rows over the given columns: each row's own, unscaled, in
    /// `rowNorms`, and the batch's as significand · 2^exponent. The rows' squares are summed
    /// in Double without scaling first: RowScaling keeps a row's largest magnitude within
    /// 2^±32, far inside Double's range.
    private func norms(of rows: ScaledRows<Scalar>, columns: [Range<Int>]) -> (significand: Double, exponent: Int) {
        var common = Int.min
        for n in 0..<batch {
            var squares = 0.0
            for span in columns {
                squares += Scalar.scaledSquareSum(rows.row(n) + span.lowerBound, count: span.count, scale: 1)
            }
            rowNorms[n] = squares.squareRoot()
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

    /// ‖Σ_n dz[n] hPrev[n]ᵀ‖_F, dz's hidden side, without forming the matrix: with Gram
    /// matrices G = dz dzᵀ and K = hPrev hPrevᵀ (N×N), the squared norm is Σ_nm G_nm K_nm.
    /// dz's rows are brought to the largest row exponent and to its largest magnitude first,
    /// so that nothing underflows; that scale is put back at the end.
    private func outerProductNorm(dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>) -> Double {
        var common = dz.exponent(ofRow: 0)
        for n in 1..<batch { common = max(common, dz.exponent(ofRow: n)) }
        var largest = 0.0
        for n in 0..<batch {
            let row = dz.row(n)
            for j in 0..<recurrentColumns {
                let i = n * recurrentColumns + j
                trueDz[i] = Double(sign: .plus, exponent: dz.exponent(ofRow: n) - common, significand: Double(row[j]))
                largest = trueDz[i].magnitude > largest || trueDz[i].isNaN ? trueDz[i].magnitude : largest
            }
        }
        for i in 0..<batch * stateSize { previousState[i] = Double(previous[i]) }
        guard largest > 0, largest.isFinite else { return largest }
        var sum = 0.0
        for n in 0..<batch {
            for m in n..<batch {
                var g = 0.0, k = 0.0
                for j in 0..<recurrentColumns {
                    g += trueDz[n * recurrentColumns + j] / largest * (trueDz[m * recurrentColumns + j] / largest)
                }
                for j in 0..<stateSize {
                    k += previousState[n * stateSize + j] * previousState[m * stateSize + j]
                }
                sum += (n == m ? 1 : 2) * g * k
            }
        }
        return Double(sign: .plus, exponent: common, significand: largest * max(sum, 0).squareRoot())
    }
}
