import Recurrence
import RealModule

/// The leading Lyapunov exponents of BPTT's backward dynamics, from `Lyapunov.topExponent`.
///
/// Units: nats per step of ln‖∂L/∂h_t‖ as t moves one step further back from the loss, so
/// negative means vanishing and λ₁ is directly comparable to `DecayFit.logSlopePerStep` of
/// ln‖∂L/∂h_t‖ (an LSTM's ln‖∂L/∂c_t‖ alike) against the distance T − 1 − t (and for nn.RNN
/// to `MeanField.predictedSlope()`).
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
    /// Estimates λ₁ … λ_k of layer 0's forward direction along the trajectory `input` drives:
    /// `topExponent(of:)` of the `BackwardDynamics` of one forward pass. For nn.RNN, nn.LSTM
    /// and nn.GRU alike; see there.
    /// - Parameters:
    ///   - input: (T, N, I), (N, T, I) batch-first or (T, I) unbatched, as for `forward`.
    ///   - initialState: h0 for the forward pass; zeros when nil.
    ///   - initialCell: an LSTM's c0; zeros when nil.
    /// - Throws: `TheoryError` for k, reorthonormalizeEvery or discard out of range;
    ///   `RNNError` if the input does not fit the network.
    public static func topExponent<S: RNNScalar>(
        rnn: RNN<S>, input: Tensor<S>, initialState: Tensor<S>? = nil, initialCell: Tensor<S>? = nil,
        vectors k: Int = 4, reorthonormalizeEvery every: Int = 1, discard: Int = 10, seed: UInt64 = 0
    ) throws -> LyapunovEstimate {
        let dynamics = try BackwardDynamics(rnn: rnn, input: input, initialState: initialState, initialCell: initialCell)
        return try topExponent(of: dynamics, vectors: k, reorthonormalizeEvery: every, discard: discard, seed: seed)
    }

    /// Estimates λ₁ … λ_k of the backward dynamics: per sample, carries k orthonormal row
    /// vectors backward through the transposed step Jacobians J_tᵀ for t = T−1 down to 1 —
    /// exactly the map BPTT applies to ∂L/∂h_t (nn.RNN: v ← (φ′(z_t) ⊙ v) W_hh; nn.GRU: through
    /// z's direct path and r, z and n; nn.LSTM: to (∂L/∂h_t, ∂L/∂c_t) together, with the
    /// h → gates → c feedback and W_hr). Every `reorthonormalizeEvery` steps the vectors are
    /// re-orthonormalized in Double (Gram–Schmidt with reorthogonalization, i.e. a thin QR) and
    /// ln|R_ii| is accumulated; λ_i is the sum over the blocks that start at least `discard`
    /// steps from the loss, divided by the steps those blocks span. Exponents are per sample,
    /// then averaged over the batch. Where the Jacobians annihilate the gradient outright (a
    /// relu IRNN whose every unit has been inactive at some step) λ is −∞, whereas a
    /// `DecayFit` of the probe skips the −∞ points and fits the steps before.
    /// - Parameters:
    ///   - k: how many exponents, 1 ≤ k ≤ the state's dimension (default 4).
    ///   - reorthonormalizeEvery: steps between QRs (default 1). Larger is cheaper but the
    ///     vectors may under- or overflow in between: keep |λ|·m well under 700.
    ///   - discard: backward steps nearest the loss left out of the average while the vectors
    ///     align with the dynamics' leading directions (default 10). Must leave at least one.
    ///   - seed: seeds the random initial vectors.
    /// - Throws: `TheoryError` for k, reorthonormalizeEvery or discard out of range.
    public static func topExponent(
        of dynamics: BackwardDynamics, vectors k: Int = 4, reorthonormalizeEvery every: Int = 1, discard: Int = 10,
        seed: UInt64 = 0
    ) throws -> LyapunovEstimate {
        let (dimension, steps, batch) = (dynamics.dimension, dynamics.steps, dynamics.batch)
        guard (1...dimension).contains(k) else {
            throw TheoryError("Lyapunov: vectors must be in 1...\(dimension) (the backward state's dimension), got \(k)")
        }
        guard every >= 1 else { throw TheoryError("Lyapunov: reorthonormalizeEvery must be at least 1, got \(every)") }
        guard discard >= 0, discard < steps - 1 else {
            throw TheoryError("Lyapunov: discard must be in 0..<\(steps - 1) (one less than the \(steps) steps), got \(discard)")
        }

        // All samples' vectors as (N·k, dimension) rows; one map per step serves them all.
        let rows = batch * k
        var vectors = [Double](repeating: 0, count: rows * dimension)
        var generator = SeededGenerator(seed: seed)
        for i in vectors.indices { vectors[i] = generator.normal() }
        var logs = [Double](repeating: 0, count: k)
        for n in 0..<batch { orthonormalize(&vectors, firstRow: n * k, count: k, width: dimension, logs: &logs) }

        var scratch = [Double](repeating: 0, count: dynamics.map.scratchCount(rows: rows))
        var sums = [Double](repeating: 0, count: rows)
        var averagedSteps = 0
        var sinceQR = 0
        for s in 0..<steps - 1 {
            dynamics.map.apply(step: steps - 1 - s, &vectors, perSample: k, scratch: &scratch)
            sinceQR += 1
            guard sinceQR == every || s == steps - 2 else { continue }
            let counted = s + 1 - sinceQR >= discard
            for n in 0..<batch {
                orthonormalize(&vectors, firstRow: n * k, count: k, width: dimension, logs: &logs)
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
