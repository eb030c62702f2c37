import RealModule

/// ∂L/∂h_t of one layer and direction carried as exp(logScale) · v with ‖v‖ = 1, so that its
/// logarithm stays exact where the gradient itself underflows (a tanh RNN at PyTorch's default
/// initialization loses about 0.55 nats a step: Float's range is gone after ~150 steps).
///
/// While the directly computed ‖dh‖ is well inside the scalar's range the probe simply takes
/// its logarithm, at no extra cost. Once it falls below √(least normal) the probe continues
/// on its own: each step it propagates v through the transposed Jacobian, v ← (φ′ ⊙ v) W_hh
/// (one extra N×H×H product), renormalizes, and adds the gradient that reaches h_t directly
/// (from the output or the layer above) with the matching weight. Exact for the top layer;
/// a lower layer receives the layer above's gradient as computed in the scalar type.
struct LogDomainGradient<Scalar: RNNScalar> {
    private let batch: Int
    private let hiddenSize: Int
    private let weightHH: UnsafePointer<Scalar>
    private let states: UnsafePointer<Scalar>
    private let dOutput: UnsafePointer<Scalar>
    private let dOutputRowStride: Int
    private let nonlinearity: Nonlinearity
    private let reverse: Bool
    /// Below this direct norm the probe switches to its own scaled propagation.
    private let threshold = Double(Scalar.leastNormalMagnitude).squareRoot()

    private var direction: [Scalar]  // v, (N, H)
    private var propagated: [Scalar]  // (φ′ ⊙ v) and then (φ′ ⊙ v) W_hh, (N, H)
    private var injected: [Scalar]  // the direct gradient at this step, (N, H)
    private var logScale = 0.0
    private var isScaled = false
    private var previousTime = 0

    init(batch: Int, hiddenSize: Int, weightHH: UnsafePointer<Scalar>, states: UnsafePointer<Scalar>,
         dOutput: UnsafePointer<Scalar>, dOutputRowStride: Int, nonlinearity: Nonlinearity, reverse: Bool) {
        self.batch = batch
        self.hiddenSize = hiddenSize
        self.weightHH = weightHH
        self.states = states
        self.dOutput = dOutput
        self.dOutputRowStride = dOutputRowStride
        self.nonlinearity = nonlinearity
        self.reverse = reverse
        direction = Array(repeating: 0, count: batch * hiddenSize)
        propagated = direction
        injected = direction
    }

    /// ln‖∂L/∂h_t‖ for the step the backward pass is at; `dh` is its directly computed value.
    /// Steps must come in backward processing order.
    mutating func advance(time t: Int, dh: UnsafePointer<Scalar>) -> Double {
        defer { previousTime = t }
        let count = batch * hiddenSize
        guard isScaled else {
            let norm = Norm.of(dh, count: count)
            if norm >= threshold || norm == 0 || !norm.isFinite { return Double.log(norm) }
            for i in 0..<count { direction[i] = dh[i] / Scalar(norm) }
            logScale = Double.log(norm)
            isScaled = true
            return logScale
        }
        propagateThroughStep(previousTime)
        let propagatedNorm = propagated.withUnsafeBufferPointer { Norm.of($0.baseAddress!, count: count) }
        let recurrentLog = logScale + Double.log(propagatedNorm)
        for n in 0..<batch {
            for j in 0..<hiddenSize {
                injected[n * hiddenSize + j] = dOutput[t * batch * dOutputRowStride + n * dOutputRowStride + j]
            }
        }
        let injectedNorm = injected.withUnsafeBufferPointer { Norm.of($0.baseAddress!, count: count) }
        let injectedLog = Double.log(injectedNorm)
        let largest = max(recurrentLog, injectedLog)
        guard largest > -.infinity else {
            logScale = -.infinity
            return logScale
        }
        // v = e^(a−m) u/‖u‖ + e^(c−m) g/‖g‖, each weight ≤ 1, then renormalized.
        let recurrentWeight = propagatedNorm > 0 ? Double.exp(recurrentLog - largest) / propagatedNorm : 0
        let injectedWeight = injectedNorm > 0 ? Double.exp(injectedLog - largest) / injectedNorm : 0
        for i in 0..<count {
            direction[i] = Scalar(recurrentWeight) * propagated[i] + Scalar(injectedWeight) * injected[i]
        }
        let norm = direction.withUnsafeBufferPointer { Norm.of($0.baseAddress!, count: count) }
        for i in 0..<count { direction[i] /= Scalar(norm) }
        logScale = largest + Double.log(norm)
        return logScale
    }

    /// propagated = (φ′(z_s) ⊙ v) W_hh for the step s processed just before: the part of
    /// ∂L/∂h that arrives through the recurrence, in the units of v.
    private mutating func propagateThroughStep(_ s: Int) {
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
}
