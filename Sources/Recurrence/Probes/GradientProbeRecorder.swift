/// Records the backward probes of one layer and direction while `layerBackward` runs.
/// It reads the buffers the backward pass computes anyway (dh and dz of each step) and never
/// writes to them; its own arrays are allocated once, before the time loop.
final class GradientProbeRecorder<Scalar: RNNScalar> {
    static var backwardProbes: ProbeOptions {
        [.gradientNorms, .preactivationGradientNorms, .recurrentWeightGradientNorms, .logGradientNorms]
    }

    private(set) var record: GradientProbe
    private let options: ProbeOptions
    private let batch: Int
    private let hiddenSize: Int
    private let previous: UnsafePointer<Scalar>
    private var logDomain: LogDomainGradient<Scalar>?
    private var sampleNorms: [Double]
    private var scaledDz: [Double] = []
    private var previousState: [Double] = []

    /// - Parameters: the block's sizes; `weightHH` (H, H); `states` and `previous` (T·N, H) as
    ///   in the workspace; `injection` the gradient reaching the block's outputs from outside its
    ///   recurrence; `hasLayerBelow` whether to keep ∂L/∂z in scaled form for the layer below.
    init(_ options: ProbeOptions, layer: Int, direction: Int, steps: Int, batch: Int, hiddenSize: Int,
         weightHH: UnsafePointer<Scalar>, states: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>,
         injection: LogDomainGradient<Scalar>.Injection, hasLayerBelow: Bool, nonlinearity: Nonlinearity) {
        self.options = options
        self.batch = batch
        self.hiddenSize = hiddenSize
        self.previous = previous
        record = GradientProbe(layer: layer, direction: direction)
        sampleNorms = Array(repeating: 0, count: batch)
        if options.contains(.gradientNorms) {
            record.gradientNorm = Array(repeating: 0, count: steps)
            record.gradientNormPerSample = Array(repeating: 0, count: steps * batch)
        }
        if options.contains(.preactivationGradientNorms) {
            record.preactivationGradientNorm = Array(repeating: 0, count: steps)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm = Array(repeating: 0, count: steps)
            scaledDz = Array(repeating: 0, count: batch * hiddenSize)
            previousState = Array(repeating: 0, count: batch * hiddenSize)
        }
        if options.contains(.logGradientNorms) {
            record.logGradientNorm = Array(repeating: 0, count: steps)
            logDomain = LogDomainGradient(
                batch: batch, steps: steps, hiddenSize: hiddenSize, weightHH: weightHH, states: states,
                injection: injection, nonlinearity: nonlinearity, recordsPreactivation: hasLayerBelow)
        }
    }

    /// ∂L/∂z of every step in log-domain form, for the layer below (log probe only).
    var scaledPreactivation: ScaledRows<Scalar>? { logDomain?.scaledPreactivation }

    /// Reads step t's dh = ∂L/∂h_t and dz = ∂L/∂z_t, both (N, H).
    func record(time t: Int, dh: UnsafePointer<Scalar>, dz: UnsafePointer<Scalar>) {
        let stepSize = batch * hiddenSize
        if options.contains(.gradientNorms) {
            for n in 0..<batch {
                sampleNorms[n] = Norm.of(dh + n * hiddenSize, count: hiddenSize)
                record.gradientNormPerSample[t * batch + n] = sampleNorms[n]
            }
            record.gradientNorm[t] = sampleNorms.withUnsafeBufferPointer(Norm.combining)
        }
        if options.contains(.preactivationGradientNorms) {
            record.preactivationGradientNorm[t] = Norm.of(dz, count: stepSize)
        }
        if options.contains(.recurrentWeightGradientNorms) {
            record.recurrentWeightGradientNorm[t] = outerProductNorm(dz: dz, previous: previous + t * stepSize)
        }
        if logDomain != nil {
            record.logGradientNorm[t] = logDomain!.advance(time: t, dh: dh, dz: dz)
        }
    }

    /// ‖Σ_n dz[n] hPrev[n]ᵀ‖_F without forming the H×H matrix: with Gram matrices
    /// G = dz dzᵀ and K = hPrev hPrevᵀ (N×N), the squared norm is Σ_nm G_nm K_nm.
    /// dz is scaled by its largest magnitude first so that tiny gradients do not underflow.
    private func outerProductNorm(dz: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>) -> Double {
        let count = batch * hiddenSize
        let scale = Scalar.maxMagnitude(dz, count: count)
        guard scale > 0, scale.isFinite else { return scale }
        for i in 0..<count {
            scaledDz[i] = Double(dz[i]) / scale
            previousState[i] = Double(previous[i])
        }
        var sum = 0.0
        for n in 0..<batch {
            for m in n..<batch {
                var g = 0.0, k = 0.0
                for j in 0..<hiddenSize {
                    g += scaledDz[n * hiddenSize + j] * scaledDz[m * hiddenSize + j]
                    k += previousState[n * hiddenSize + j] * previousState[m * hiddenSize + j]
                }
                sum += (n == m ? 1 : 2) * g * k
            }
        }
        return scale * max(sum, 0).squareRoot()
    }
}
