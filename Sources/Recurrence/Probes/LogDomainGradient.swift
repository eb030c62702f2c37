import RealModule

/// ∂L/∂h_t of one layer and direction, carried per sample as exp(s_n) · v_n with ‖v_n‖ = 1, so
/// that its logarithm stays exact where the gradient itself underflows or overflows (a tanh
/// RNN at PyTorch's default initialization loses about 0.55 nats a step: Float's range is gone
/// after ~150 steps).
///
/// While every sample's directly computed ‖dh_n‖ is well inside the scalar's range (between
/// √(least normal) and √(greatest finite)) the probe takes its logarithm, at no extra cost.
/// Once one leaves that range the probe continues on its own: each step it propagates the
/// directions through the transposed Jacobian, v ← (φ′ ⊙ v) W_hh (one extra N×H×H product),
/// renormalizes each sample, and adds the gradient that reaches h_t directly with the matching
/// weight. That direct gradient is the loss's own for the top layer, and for a lower layer the
/// layer above's, handed down in the same scaled form (`ScaledRows`), so every layer is exact.
/// Per-sample scales matter: samples can decay at different rates, and the one that dominates
/// the batch's norm late may be negligible early.
struct LogDomainGradient<Scalar: RNNScalar> {
    /// The gradient reaching this block's outputs from outside its recurrence.
    enum Injection {
        /// Read from the output gradient, rows `rowStride` apart (the top layer).
        case direct(UnsafePointer<Scalar>, rowStride: Int)
        /// Handed down from the layer above.
        case scaled(ScaledRows<Scalar>)
    }

    private let batch: Int
    private let hiddenSize: Int
    private let weightHH: UnsafePointer<Scalar>
    private let states: UnsafePointer<Scalar>
    private let injection: Injection
    private let nonlinearity: Nonlinearity
    private let low = Double(Scalar.leastNormalMagnitude).squareRoot()
    private let high = Double(Scalar.greatestFiniteMagnitude).squareRoot()

    private var direction: [Scalar]  // v, (N, H)
    private var propagated: [Scalar]  // (φ′ ⊙ v), then (φ′ ⊙ v) W_hh, (N, H)
    private var injected: [Scalar]  // the direct gradient's unit rows at this step, (N, H)
    private var injectedLog: [Double]
    private var logScale: [Double]  // s, (N)
    private var mixed: [Double]  // one row being combined, in Double, (H)
    private var isScaled = false
    private var previousTime = 0
    /// ∂L/∂z_t of every step in the same scaled form, for the layer below; nil if not needed.
    private(set) var scaledPreactivation: ScaledRows<Scalar>?

    init(batch: Int, steps: Int, hiddenSize: Int, weightHH: UnsafePointer<Scalar>, states: UnsafePointer<Scalar>,
         injection: Injection, nonlinearity: Nonlinearity, recordsPreactivation: Bool) {
        self.batch = batch
        self.hiddenSize = hiddenSize
        self.weightHH = weightHH
        self.states = states
        self.injection = injection
        self.nonlinearity = nonlinearity
        direction = Array(repeating: 0, count: batch * hiddenSize)
        propagated = direction
        injected = direction
        injectedLog = Array(repeating: -.infinity, count: batch)
        logScale = Array(repeating: -.infinity, count: batch)
        mixed = Array(repeating: 0, count: hiddenSize)
        scaledPreactivation = recordsPreactivation ? ScaledRows(rows: steps * batch, width: hiddenSize) : nil
    }

    /// ln‖∂L/∂h_t‖ over the batch for the step the backward pass is at; `dh` and `dz` are its
    /// directly computed values. Steps must come in backward processing order.
    mutating func advance(time t: Int, dh: UnsafePointer<Scalar>, dz: UnsafePointer<Scalar>) -> Double {
        defer { previousTime = t }
        if !isScaled {
            var inRange = true
            for n in 0..<batch {
                let norm = Norm.of(dh + n * hiddenSize, count: hiddenSize)
                logScale[n] = Double.log(norm)
                inRange = inRange && (norm == 0 || (norm >= low && norm <= high))
            }
            if inRange {
                storePreactivation(time: t, dz: dz)
                return Self.batchLog(logScale)
            }
            for n in 0..<batch {
                let row = dh + n * hiddenSize
                let norm = Norm.of(row, count: hiddenSize)
                for j in 0..<hiddenSize { direction[n * hiddenSize + j] = norm > 0 ? Scalar(Double(row[j]) / norm) : 0 }
            }
            isScaled = true
        } else {
            propagate(from: previousTime)
            loadInjection(time: t)
            for n in 0..<batch { combine(sample: n) }
        }
        storeScaledPreactivation(time: t)
        return Self.batchLog(logScale)
    }

    /// ½ ln Σ_n exp(2 s_n): the log of the batch's Frobenius norm from the samples' log norms.
    static func batchLog(_ logs: [Double]) -> Double {
        if logs.contains(where: \.isNaN) { return .nan }
        guard let largest = logs.max(), largest > -.infinity else { return -.infinity }
        if largest == .infinity { return .infinity }
        return largest + 0.5 * Double.log(logs.reduce(0) { $0 + Double.exp(2 * ($1 - largest)) })
    }

    /// propagated = (φ′(z_s) ⊙ v) W_hh for the step s processed just before: the part of
    /// ∂L/∂h that arrives through the recurrence, in the units of v.
    private mutating func propagate(from s: Int) {
        let count = batch * hiddenSize
        let h = states + s * count
        switch nonlinearity {
        case .tanh:
            for i in 0..<count { injected[i] = direction[i] * (1 - h[i] * h[i]) }
        case .relu:
            for i in 0..<count { injected[i] = h[i] > 0 ? direction[i] : 0 }
        }
        injected.withUnsafeBufferPointer { source in
            propagated.withUnsafeMutableBufferPointer { target in
                Scalar.gemm(transposeA: false, transposeB: false, m: batch, n: hiddenSize, k: hiddenSize,
                            alpha: 1, a: source.baseAddress!, lda: hiddenSize, b: weightHH, ldb: hiddenSize,
                            beta: 0, c: target.baseAddress!, ldc: hiddenSize)
            }
        }
    }

    /// The direct gradient at step t as unit rows and log scales.
    private mutating func loadInjection(time t: Int) {
        switch injection {
        case .direct(let output, let rowStride):
            for n in 0..<batch {
                let row = output + (t * batch + n) * rowStride
                let norm = Norm.of(row, count: hiddenSize)
                injectedLog[n] = Double.log(norm)
                for j in 0..<hiddenSize { injected[n * hiddenSize + j] = norm > 0 ? Scalar(Double(row[j]) / norm) : 0 }
            }
        case .scaled(let rows):
            for n in 0..<batch {
                let r = t * batch + n
                injectedLog[n] = rows.logScale[r]
                for j in 0..<hiddenSize { injected[n * hiddenSize + j] = rows.unit[r * hiddenSize + j] }
            }
        }
    }

    /// v_n ∝ e^(a−m) u/‖u‖ + e^(c−m) g, with a the recurrent part's log norm, c the direct
    /// part's and m the larger; each weight ≤ 1, mixed in Double, then renormalized.
    private mutating func combine(sample n: Int) {
        let offset = n * hiddenSize
        let recurrentNorm = propagated.withUnsafeBufferPointer { Norm.of($0.baseAddress! + offset, count: hiddenSize) }
        let recurrentLog = logScale[n] + Double.log(recurrentNorm)
        let injectedLog = self.injectedLog[n]
        if recurrentLog.isNaN || injectedLog.isNaN {
            logScale[n] = .nan
            return
        }
        let largest = max(recurrentLog, injectedLog)
        guard largest > -.infinity else {
            logScale[n] = -.infinity
            for j in 0..<hiddenSize { direction[offset + j] = 0 }
            return
        }
        let recurrentWeight = recurrentNorm > 0 && recurrentLog > -.infinity ? Double.exp(recurrentLog - largest) / recurrentNorm : 0
        let injectedWeight = injectedLog > -.infinity ? Double.exp(injectedLog - largest) : 0
        for j in 0..<hiddenSize {
            mixed[j] = recurrentWeight * Double(propagated[offset + j]) + injectedWeight * Double(injected[offset + j])
        }
        let norm = mixed.withUnsafeBufferPointer { Norm.of($0.baseAddress!, count: hiddenSize) }
        for j in 0..<hiddenSize { direction[offset + j] = Scalar(norm > 0 ? mixed[j] / norm : 0) }
        logScale[n] = norm > 0 ? largest + Double.log(norm) : -.infinity
    }

    /// Direct mode: ∂L/∂z_t is in range, stored as it is.
    private mutating func storePreactivation(time t: Int, dz: UnsafePointer<Scalar>) {
        guard scaledPreactivation != nil else { return }
        for n in 0..<batch { scaledPreactivation!.store(row: t * batch + n, values: dz + n * hiddenSize) }
    }

    /// Scaled mode: ∂L/∂z_t = exp(s) (φ′(z_t) ⊙ v).
    private mutating func storeScaledPreactivation(time t: Int) {
        guard scaledPreactivation != nil else { return }
        let h = states + t * batch * hiddenSize
        for n in 0..<batch {
            for j in 0..<hiddenSize {
                let i = n * hiddenSize + j
                let derivative: Scalar = switch nonlinearity {
                case .tanh: 1 - h[i] * h[i]
                case .relu: h[i] > 0 ? 1 : 0
                }
                injected[i] = derivative * direction[i]
            }
            injected.withUnsafeBufferPointer { row in
                let start = row.baseAddress! + n * hiddenSize
                scaledPreactivation!.storeScaled(row: t * batch + n, values: start, logScale: logScale[n],
                                                 norm: Norm.of(start, count: hiddenSize))
            }
        }
    }
}
