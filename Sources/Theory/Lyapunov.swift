import Recurrence
import RealModule

/// The leading Lyapunov exponents of BPTT's backward dynamics, from `Lyapunov.topExponent`.
///
/// Units: nats per step of ln‖∂L/∂h_t‖ as t moves one step further back from the loss, so
/// negative means vanishing and λ₁ is directly comparable to `DecayFit.logSlopePerStep` of
/// ln‖∂L/∂h_t‖ against the distance T − 1 − t (and to `MeanField.predictedSlope()`).
public struct LyapunovEstimate: Equatable, Sendable, Codable {
    /// λ₁, …, λ_k averaged over the batch's samples. From QR they come out in decreasing order
    /// up to finite-time noise; −∞ for a direction the Jacobians annihilate (dead relu units).
    public let exponents: [Double]
    /// λ₁, …, λ_k of each sample, (N, k).
    public let sampleExponents: [[Double]]
    /// The backward steps (Jacobians) the averages are over, after the discarded transient.
    public let averagedSteps: Int

    public init(exponents: [Double], sampleExponents: [[Double]], averagedSteps: Int) {
        self.exponents = exponents
        self.sampleExponents = sampleExponents
        self.averagedSteps = averagedSteps
    }

    /// λ₁: the rate at which almost every gradient vanishes (< 0) or explodes (> 0).
    public var top: Double { exponents[0] }
    /// e^λ₁: the factor the gradient norm is multiplied by per step back.
    public var factorPerStep: Double { Double.exp(top) }
    /// The standard deviation of λ₁ over the samples (0 for one sample).
    public var topSpread: Double {
        let tops = sampleExponents.map { $0[0] }
        guard tops.count > 1 else { return 0 }
        let mean = tops.reduce(0, +) / Double(tops.count)
        return (tops.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(tops.count - 1)).squareRoot()
    }
}

/// Lyapunov exponents of the backward dynamics by the Benettin/QR method.
public enum Lyapunov {
    /// Estimates λ₁ … λ_k of layer 0's forward direction along the trajectory `input` drives.
    ///
    /// Runs a forward pass (replacing the one a pending `backward` would use; `rnn.probes` is
    /// restored afterwards), then, per sample, carries k orthonormal row vectors backward
    /// through the transposed step Jacobians, v ← (φ′(z_t) ⊙ v) W_hh (= J_tᵀ v with
    /// J_t = ∂h_t/∂h_{t−1} = diag(φ′(z_t)) W_hh), for t = T−1 down to 1 — exactly the map BPTT
    /// applies to ∂L/∂h_t. Every `reorthonormalizeEvery` steps the vectors are
    /// re-orthonormalized in Double (Gram–Schmidt with reorthogonalization, i.e. a thin QR) and
    /// ln|R_ii| is accumulated; λ_i is the sum over the blocks that start at least `discard`
    /// steps from the loss, divided by the steps those blocks span. Exponents are per sample,
    /// then averaged over the batch. Where the Jacobians annihilate the gradient outright (a
    /// relu IRNN whose every unit has been inactive at some step) λ is −∞, whereas a
    /// `DecayFit` of the probe skips the −∞ points and fits the steps before.
    /// - Parameters:
    ///   - input: (T, N, I), (N, T, I) batch-first or (T, I) unbatched, as for `forward`.
    ///   - initialState: h0 for the forward pass; zeros when nil.
    ///   - k: how many exponents, 1 ≤ k ≤ H (default 4).
    ///   - reorthonormalizeEvery: steps between QRs (default 1). Larger is cheaper but the
    ///     vectors may under- or overflow in between: keep |λ|·m well under 700.
    ///   - discard: backward steps nearest the loss left out of the average while the vectors
    ///     align with the dynamics' leading directions (default 10). Must leave at least one.
    ///   - seed: seeds the random initial vectors.
    /// - Throws: `TheoryError` for k, reorthonormalizeEvery or discard out of range;
    ///   `RNNError` if the input does not fit the network.
    public static func topExponent<S: RNNScalar>(
        rnn: RNN<S>, input: Tensor<S>, initialState: Tensor<S>? = nil, vectors k: Int = 4,
        reorthonormalizeEvery every: Int = 1, discard: Int = 10, seed: UInt64 = 0
    ) throws -> LyapunovEstimate {
        let hiddenSize = rnn.configuration.hiddenSize
        guard (1...hiddenSize).contains(k) else {
            throw TheoryError("Lyapunov: vectors must be in 1...\(hiddenSize) (the hidden size), got \(k)")
        }
        guard every >= 1 else { throw TheoryError("Lyapunov: reorthonormalizeEvery must be at least 1, got \(every)") }

        let savedProbes = rnn.probes
        rnn.probes = [.hiddenStates]
        defer { rnn.probes = savedProbes }
        let states = try rnn.forward(input, initialState: initialState).hiddenStates!
        let steps = states.shape[1]
        let batch = states.rank == 4 ? states.shape[2] : 1
        guard discard >= 0, discard < steps - 1 else {
            throw TheoryError("Lyapunov: discard must be in 0..<\(steps - 1) (one less than the \(steps) steps), got \(discard)")
        }

        // φ′(z_t) of layer 0, forward direction (block 0), from h_t = φ(z_t): (T, N, H).
        let derivatives: [Double] = states.scalars[0..<steps * batch * hiddenSize].map { s in
            let h = Double(s)
            switch rnn.configuration.nonlinearity {
            case .tanh: return 1 - h * h
            case .relu: return h > 0 ? 1 : 0
            }
        }
        let weightHH = rnn.parameters["weight_hh_l0"]!.scalars.map(Double.init)

        // All samples' vectors as (N·k, H) rows; one product with W_hh per step serves them all.
        let rows = batch * k
        var vectors = [Double](repeating: 0, count: rows * hiddenSize)
        var generator = SeededGenerator(seed: seed)
        for i in vectors.indices { vectors[i] = generator.normal() }
        var logs = [Double](repeating: 0, count: k)
        for n in 0..<batch { orthonormalize(&vectors, firstRow: n * k, count: k, width: hiddenSize, logs: &logs) }

        var scaled = vectors
        var sums = [Double](repeating: 0, count: rows)
        var averagedSteps = 0
        var sinceQR = 0
        for s in 0..<steps - 1 {
            let t = steps - 1 - s
            for n in 0..<batch {
                let phi = (t * batch + n) * hiddenSize
                for i in 0..<k {
                    let row = (n * k + i) * hiddenSize
                    for j in 0..<hiddenSize { scaled[row + j] = derivatives[phi + j] * vectors[row + j] }
                }
            }
            scaled.withUnsafeBufferPointer { a in
                weightHH.withUnsafeBufferPointer { b in
                    vectors.withUnsafeMutableBufferPointer { c in
                        Double.gemm(transposeA: false, transposeB: false, m: rows, n: hiddenSize, k: hiddenSize,
                                    alpha: 1, a: a.baseAddress!, lda: hiddenSize, b: b.baseAddress!, ldb: hiddenSize,
                                    beta: 0, c: c.baseAddress!, ldc: hiddenSize)
                    }
                }
            }
            sinceQR += 1
            guard sinceQR == every || s == steps - 2 else { continue }
            let counted = s + 1 - sinceQR >= discard
            for n in 0..<batch {
                orthonormalize(&vectors, firstRow: n * k, count: k, width: hiddenSize, logs: &logs)
                if counted { for i in 0..<k { sums[n * k + i] += logs[i] } }
            }
            if counted { averagedSteps += sinceQR }
            sinceQR = 0
        }
        guard averagedSteps > 0 else {
            throw TheoryError("Lyapunov: no QR block starts after the \(discard) discarded steps of \(steps - 1); lower discard or reorthonormalizeEvery (\(every))")
        }

        let sampleExponents = (0..<batch).map { n in (0..<k).map { sums[n * k + $0] / Double(averagedSteps) } }
        let exponents = (0..<k).map { i in sampleExponents.map { $0[i] }.reduce(0, +) / Double(batch) }
        return LyapunovEstimate(exponents: exponents, sampleExponents: sampleExponents, averagedSteps: averagedSteps)
    }

    /// Thin QR of `count` rows of `matrix` in place, by Gram–Schmidt with one
    /// reorthogonalization pass ("twice is enough"): the rows become orthonormal and `logs[i]`
    /// receives ln R_ii = ln of row i's norm after removing the earlier rows. A row that
    /// vanishes stays zero with ln R_ii = −∞.
    static func orthonormalize(_ matrix: inout [Double], firstRow: Int, count: Int, width: Int, logs: inout [Double]) {
        matrix.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + firstRow * width
            for i in 0..<count {
                let row = base + i * width
                for _ in 0..<2 {
                    for j in 0..<i {
                        let other = base + j * width
                        var dot = 0.0
                        for c in 0..<width { dot += row[c] * other[c] }
                        for c in 0..<width { row[c] -= dot * other[c] }
                    }
                }
                // The norm with scaling, so that rows far outside 1 neither overflow nor underflow.
                var largest = 0.0
                for c in 0..<width { largest = max(largest, row[c].magnitude) }
                guard largest > 0, largest.isFinite else {
                    logs[i] = largest == 0 ? -.infinity : .nan  // zero stays zero; NaN and ∞ stay
                    continue
                }
                var sum = 0.0
                for c in 0..<width { let x = row[c] / largest; sum += x * x }
                let norm = sum.squareRoot()
                logs[i] = Double.log(largest) + Double.log(norm)
                for c in 0..<width { row[c] = row[c] / largest / norm }
            }
        }
    }
}
