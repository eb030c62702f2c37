import RealModule
import Recurrence

/// BPTT's backward dynamics along one forward trajectory of layer 0's forward direction: per
/// step t the linear map J_tᵀ that takes the gradient of the state at step t to the gradient
/// of the state at step t − 1 where no loss enters in between, for every sample.
///
/// The backward state is ∂L/∂h_t (H wide) for nn.RNN and nn.GRU and (∂L/∂h_t, ∂L/∂c_t)
/// (S + H wide, S = P with proj_size, else H) for nn.LSTM, because an LSTM's gradient
/// travels back through h and c together: the cell's own path c_{t−1} → c_t scales by f,
/// and the path c_{t−1} → c_t → h_t → gates → c_{t+1} feeds back into it, so the forget-gate
/// product alone does not give the decay rate. `Lyapunov.topExponent(of:)` takes its
/// exponents; `meanLogMemoryGate` gives the naive rate to compare with.
public struct BackwardDynamics: Sendable {
    /// The module the maps are of.
    public let cell: RecurrentCellKind
    /// T, the steps of the trajectory; J_t exists for t = 0..<T (J_0 maps to h0, c0).
    public let steps: Int
    /// N, the samples, each with its own maps.
    public let batch: Int

    let map: StepMap

    /// Runs `rnn.forward` on `input` (replacing the pass a pending `backward` would use;
    /// `rnn.probes` is restored afterwards) and builds layer 0's forward-direction maps from it
    /// in Double (for a gated cell from gates recomputed from the recorded states, the input
    /// and the weights).
    /// - Parameters:
    ///   - input: (T, N, I), (N, T, I) batch-first or (T, I) unbatched, as for `forward`.
    ///   - initialState: h0; zeros when nil.
    ///   - initialCell: an LSTM's c0; zeros when nil.
    /// - Throws: `RNNError` if the input or the initial states do not fit the network.
    public init<S: RNNScalar>(rnn: RNN<S>, input: Tensor<S>, initialState: Tensor<S>? = nil,
                              initialCell: Tensor<S>? = nil) throws {
        let trajectory = try ForwardTrajectory(rnn: rnn, input: input, initialState: initialState, initialCell: initialCell)
        cell = rnn.configuration.cell
        steps = trajectory.steps
        batch = trajectory.batch
        map = switch cell {
        case .rnn: .elman(ElmanStepMap(rnn: rnn, trajectory: trajectory))
        case .lstm: .lstm(LSTMStepMap(rnn: rnn, trajectory: trajectory))
        case .gru: .gru(GRUStepMap(rnn: rnn, trajectory: trajectory))
        }
    }

    /// The width of the backward state: H for nn.RNN and nn.GRU, S + H for nn.LSTM.
    public var dimension: Int { map.dimension }

    /// J_tᵀ applied to one backward state per sample: (∂L/∂h_t) or, for an LSTM,
    /// (∂L/∂h_t, ∂L/∂c_t) with ∂L/∂c_t the partial derivative at fixed h_t (the path through
    /// c_{t+1}; at the last step ∂L/∂c_n), to ∂L/∂h_{t−1} (and ∂L/∂c_{t−1}), exactly as
    /// BPTT carries them when no loss acts on step t − 1.
    /// - Parameters:
    ///   - gradient: (N, dimension) row-major, sample n's state in row n.
    ///   - t: the step, 0..<T.
    /// - Returns: (N, dimension).
    /// - Throws: `TheoryError` for a step out of range or a gradient of the wrong size.
    public func pullBack(_ gradient: [Double], step t: Int) throws -> [Double] {
        guard (0..<steps).contains(t) else { throw TheoryError("pullBack: step must be in 0..<\(steps), got \(t)") }
        guard gradient.count == batch * dimension else {
            throw TheoryError("pullBack: expected N·dimension = \(batch)·\(dimension) values, got \(gradient.count)")
        }
        var vectors = gradient
        var scratch = [Double](repeating: 0, count: map.scratchCount(rows: batch))
        map.apply(step: t, &vectors, perSample: 1, scratch: &scratch)
        return vectors
    }

    /// E[ln g] over the steps t = 1 … T − 1 − `discard` (the Jacobians `Lyapunov.topExponent`
    /// with the same `discard` averages over), the H units and the N samples, of the gate
    /// that carries the past: an LSTM's forget gate f = σ(z_f), a GRU's update gate z
    /// (PyTorch's h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}). It is the rate, in nats per step, at which
    /// the cell's own path alone would shrink a typical unit's gradient: the naive estimate
    /// that λ₁ departs from.
    /// - Throws: `TheoryError` for nn.RNN, which has no such gate, or a `discard` that leaves
    ///   no step.
    public func meanLogMemoryGate(discard: Int = 0) throws -> Double {
        let perUnit = try meanLogMemoryGatePerUnit(discard: discard)
        return perUnit.reduce(0, +) / Double(perUnit.count)
    }

    /// `meanLogMemoryGate` of each unit j = 0..<H, averaged over the same steps and the
    /// samples. Its spread is part of why λ₁ is not the mean: on the cell's own path alone the
    /// gradient would decay at the slowest unit's rate, the largest of these, not their mean.
    /// - Throws: as `meanLogMemoryGate`.
    public func meanLogMemoryGatePerUnit(discard: Int = 0) throws -> [Double] {
        guard discard >= 0, discard < steps - 1 else {
            throw TheoryError("meanLogMemoryGate: discard must be in 0..<\(steps - 1) (one less than the \(steps) steps), got \(discard)")
        }
        let gate: (Int, Int) -> ArraySlice<Double>
        switch map {
        case .elman: throw TheoryError("meanLogMemoryGate: nn.RNN has no gate that carries the past")
        case .lstm(let lstm): gate = lstm.forgetGate
        case .gru(let gru): gate = gru.updateGate
        }
        let lastStep = steps - 1 - discard
        var sums = [Double](repeating: 0, count: gate(lastStep, 0).count)
        for t in 1...lastStep {
            for n in 0..<batch {
                for (j, value) in gate(t, n).enumerated() { sums[j] += Double.log(value) }
            }
        }
        return sums.map { $0 / Double(lastStep * batch) }
    }
}

/// The per-cell map J_tᵀ, one case per module.
enum StepMap: Sendable {
    case elman(ElmanStepMap)
    case lstm(LSTMStepMap)
    case gru(GRUStepMap)

    var dimension: Int {
        switch self {
        case .elman(let map): map.dimension
        case .lstm(let map): map.dimension
        case .gru(let map): map.dimension
        }
    }

    func scratchCount(rows: Int) -> Int {
        switch self {
        case .elman(let map): map.scratchCount(rows: rows)
        case .lstm(let map): map.scratchCount(rows: rows)
        case .gru(let map): map.scratchCount(rows: rows)
        }
    }

    /// Applies J_tᵀ to the N·k rows of `vectors` (sample n's k rows from row n·k on).
    func apply(step t: Int, _ vectors: inout [Double], perSample k: Int, scratch: inout [Double]) {
        switch self {
        case .elman(let map): map.apply(step: t, &vectors, perSample: k, scratch: &scratch)
        case .lstm(let map): map.apply(step: t, &vectors, perSample: k, scratch: &scratch)
        case .gru(let map): map.apply(step: t, &vectors, perSample: k, scratch: &scratch)
        }
    }
}

/// σ(x) = 1/(1 + e^(−x)), for the gates the maps recompute.
func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }
