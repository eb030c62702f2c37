import RealModule

/// Records the backward probes of one layer and direction while `RecurrentLayer.backward`
/// runs. It reads the buffers the backward pass computes anyway (dh, dz and dc of each step,
/// in `RowScaling`'s form, and the gates forward kept) and never writes to them; its own arrays are allocated once, before
/// the time loop. Because the rows never leave the scalar's range, every norm is exact far
/// below and above it: only Double's own range (about 2^±1000) bounds the direct norms, and
/// nothing bounds the logarithms.
final class GradientProbeRecorder<Scalar: RNNScalar> {
    static var backwardProbes: ProbeOptions {
        [.gradientNorms, .preactivationGradientNorms, .recurrentWeightGradientNorms, .logGradientNorms,
         .gateStatistics]
    }

    /// Where the recorder finds its quantities in the rows backward hands it (S state, H hidden).
    struct Columns {
        /// The width of dh's rows, S.
        let state: Int
        /// The width of dc's rows, H; 0 for a cell without a cell state.
        let cell: Int
        /// The gates' pre-activation gradients in a dz row.
        let preactivations: [Range<Int>]
        /// The hidden side's width in a dz row (its leading columns), which dW_hh reads.
        let recurrent: Int
        /// The activations of the gate the statistics describe in a row of a step's kept
        /// gates, and that row's width; nil for a cell without gates.
        let gate: (columns: Range<Int>, stride: Int)?
    }

    private(set) var record: GradientProbe
    private let options: ProbeOptions
    private let batch: Int
    private let columns: Columns
    private let stateColumns: [Range<Int>]
    private let cellColumns: [Range<Int>]
    private var rowNorms: [Double]
    private var trueDz: [Double] = []
    private var previousState: [Double] = []

    /// A recorder for T steps of N samples whose rows are laid out as `columns` says.
    init(_ options: ProbeOptions, layer: Int, direction: Int, steps: Int, batch: Int, columns: Columns) {
        self.options = options
        self.batch = batch
        self.columns = columns
        stateColumns = [0..<columns.state]
        cellColumns = [0..<columns.cell]
        record = GradientProbe(layer: layer, direction: direction)
        rowNorms = Array(repeating: 0, count: batch)
        let hasCell = columns.cell > 0
        if options.contains(.gradientNorms) {
            record.gradientNorm = Array(repeating: 0, count: steps)
            record.gradientNormPerSample = Array(repeating: 0, count: steps * batch)
            if hasCell { record.cellGradientNorm = Array(repeating: 0, count: steps) }
        }
        if options.contains(.preactivationGradientNorms) {
            record.preactivationGradientNorm = Array(repeating: 0, count: steps)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm = Array(repeating: 0, count: steps)
            trueDz = Array(repeating: 0, count: batch * columns.recurrent)
            previousState = Array(repeating: 0, count: batch * columns.state)
        }
        if options.contains(.logGradientNorms) {
            record.logGradientNorm = Array(repeating: 0, count: steps)
            if hasCell { record.cellLogGradientNorm = Array(repeating: 0, count: steps) }
        }
        if options.contains(.gateStatistics), columns.gate != nil {
            record.gateMean = Array(repeating: 0, count: steps)
            record.gateSaturatedHigh = Array(repeating: 0, count: steps)
            record.gateSaturatedLow = Array(repeating: 0, count: steps)
        }
    }

    /// Reads step t's dh = ∂L/∂h_t (N, S), dz, the gradient of its gates, and for a cell with
    /// a cell state dc = ∂L/∂c_t (N, H), all in scaled rows; the state the step read,
    /// `previous` (N, S); and the gates the step kept, `gates` (N rows of the gate stride).
    func record(time t: Int, dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, dc: ScaledRows<Scalar>,
                previous: UnsafePointer<Scalar>, gates: UnsafePointer<Scalar>) {
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
                record.logGradientNorm[t] = Self.log(batchNorm)
            }
            if columns.cell > 0 {
                let cellNorm = norms(of: dc, columns: cellColumns)
                if options.contains(.gradientNorms) {
                    record.cellGradientNorm[t] = Double(sign: .plus, exponent: cellNorm.exponent,
                                                        significand: cellNorm.significand)
                }
                if options.contains(.logGradientNorms) {
                    record.cellLogGradientNorm[t] = Self.log(cellNorm)
                }
            }
        }
        if options.contains(.preactivationGradientNorms) {
            let batchNorm = norms(of: dz, columns: columns.preactivations)
            record.preactivationGradientNorm[t] = Double(sign: .plus, exponent: batchNorm.exponent,
                                                         significand: batchNorm.significand)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm[t] = outerProductNorm(dz: dz, previous: previous)
        }
        if options.contains(.gateStatistics), let gate = columns.gate {
            recordGateStatistics(time: t, gates, columns: gate.columns, stride: gate.stride)
        }
    }

    /// The mean of the gate's N·H activations, and the fractions above 0.99 and below 0.01.
    private func recordGateStatistics(time t: Int, _ gates: UnsafePointer<Scalar>, columns: Range<Int>, stride: Int) {
        var sum = 0.0, high = 0, low = 0
        for n in 0..<batch {
            let row = gates + n * stride
            for j in columns {
                let value = Double(row[j])
                sum += value
                if value > 0.99 { high += 1 }
                if value < 0.01 { low += 1 }
            }
        }
        let count = Double(batch * columns.count)
        record.gateMean[t] = sum / count
        record.gateSaturatedHigh[t] = Double(high) / count
        record.gateSaturatedLow[t] = Double(low) / count
    }

    /// ln of a norm given as significand · 2^exponent: finite however far the exponent is
    /// outside Double's range.
    private static func log(_ norm: (significand: Double, exponent: Int)) -> Double {
        Double.log(norm.significand) + Double(norm.exponent) * ln2
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
            for j in 0..<columns.recurrent {
                let i = n * columns.recurrent + j
                trueDz[i] = Double(sign: .plus, exponent: dz.exponent(ofRow: n) - common, significand: Double(row[j]))
                largest = trueDz[i].magnitude > largest || trueDz[i].isNaN ? trueDz[i].magnitude : largest
            }
        }
        for i in 0..<batch * columns.state { previousState[i] = Double(previous[i]) }
        guard largest > 0, largest.isFinite else { return largest }
        var sum = 0.0
        for n in 0..<batch {
            for m in n..<batch {
                var g = 0.0, k = 0.0
                for j in 0..<columns.recurrent {
                    g += trueDz[n * columns.recurrent + j] / largest * (trueDz[m * columns.recurrent + j] / largest)
                }
                for j in 0..<columns.state {
                    k += previousState[n * columns.state + j] * previousState[m * columns.state + j]
                }
                sum += (n == m ? 1 : 2) * g * k
            }
        }
        return Double(sign: .plus, exponent: common, significand: largest * max(sum, 0).squareRoot())
    }
}
