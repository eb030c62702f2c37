import Recurrence
import Sweeps
import Theory

/// The gated-cell part of the reproduction: how ‖∂L/∂h_t‖ (and an LSTM's ‖∂L/∂c_t‖) decay at
/// initialization for the tanh RNN, the LSTM and the GRU under PyTorch's default, forget-bias
/// and chrono inits, and whether the cells learn long dependencies. Computed from the runs of
/// the `gated-decay` and `gated-learnability` roles only.
struct GatedData {
    /// What a variant is: its cell and its init scheme's label (`pytorch-default`,
    /// `forget-bias`, `chrono`, …).
    struct Kind: Equatable {
        let cell: RecurrentCellKind
        let initialization: String

        init(_ configuration: RunConfiguration) {
            cell = configuration.model.cell
            initialization = configuration.model.initialization.name
        }

        /// Tables and legends list nn.RNN, then LSTM, then GRU, each from PyTorch's default init
        /// towards the inits that keep more memory.
        var order: (Int, Int) {
            let cells: [RecurrentCellKind] = [.rnn, .lstm, .gru]
            let inits = ["pytorch-default", "forget-bias", "chrono"]
            return (cells.firstIndex(of: cell) ?? cells.count, inits.firstIndex(of: initialization) ?? inits.count)
        }
    }

    struct DecayVariant {
        let name: String
        let kind: Kind
        var cell: RecurrentCellKind { kind.cell }
        /// Per seed: ln‖∂L/∂h_t‖ against distance 0, 1, …, and its fitted slope.
        var curves: [[Double]] = []
        var slopes: [Double] = []
        /// Per seed, an LSTM's: ln‖∂L/∂c_t‖ against the distance, and its fitted slope.
        var cellCurves: [[Double]] = []
        var cellSlopes: [Double] = []
        /// Per seed: λ₁ of the full backward map (the LSTM's (h, c), the GRU's h) on the run's
        /// probe batch at initialization.
        var lyapunov: [Double] = []
        /// Per seed, a gated cell's E[ln g] of the gate that carries the past (the LSTM's forget
        /// gate, the GRU's update gate) over the steps λ₁ averages: the naive prediction of the
        /// decay rate.
        var memoryGateLogs: [Double] = []

        /// The slope of the path the gradient is carried along: the cell state's for an LSTM,
        /// the hidden state's otherwise.
        var carrierSlopes: [Double] { cell == .lstm ? cellSlopes : slopes }
    }

    var decay: [DecayVariant] = []
    var learnability: [ReproductionData.LengthPoint] = []
    /// The cell and init of every learnability variant, by name.
    var learnabilityKinds: [String: Kind] = [:]
    /// The gated-decay runs' H and sequence length.
    var decaySetting = (hiddenSize: 128, steps: 200)
    var runCount = 0
    var computeSeconds = 0.0

    /// - Throws: `AnalysisError` when a role has no readable run.
    init(_ manifest: SuiteManifest, _ runs: SuiteRuns) throws {
        let decayRuns = runs[manifest[.gatedDecay]]
        let learnRuns = runs[manifest[.gatedLearnability]]
        for (role, roleRuns) in [(ReproductionRole.gatedDecay, decayRuns), (.gatedLearnability, learnRuns)] where roleRuns.isEmpty {
            throw AnalysisError("\(manifest.path): \(role.rawValue): no readable runs of "
                                + manifest[role].experiments.joined(separator: ", "))
        }
        runCount = decayRuns.count + learnRuns.count
        computeSeconds = (decayRuns + learnRuns).map(\.summary.wallSeconds).reduce(0, +)
        for run in decayRuns { try addDecay(run) }
        decay.sort { ($0.kind.order.0, $0.kind.order.1, $0.name) < ($1.kind.order.0, $1.kind.order.1, $1.name) }
        learnability = ReproductionData.lengthPoints(learnRuns)
        for run in learnRuns { learnabilityKinds[run.configuration.variant ?? "-"] = Kind(run.configuration) }
    }

    private mutating func addDecay(_ run: StoredRun) throws {
        let configuration = run.configuration
        let name = configuration.variant ?? "\(configuration.model.cell.rawValue)-\(configuration.initializationLabel)"
        var variant = decay.first { $0.name == name } ?? DecayVariant(name: name, kind: Kind(configuration))
        if let curve = ReproductionData.initialCurve(run), let slope = ReproductionData.fittedSlope(curve) {
            variant.curves.append(curve)
            variant.slopes.append(slope)
        }
        if let logs = run.initialCellLogNorms {
            let curve = Array(logs.reversed())
            if let slope = ReproductionData.fittedSlope(curve) {
                variant.cellCurves.append(curve)
                variant.cellSlopes.append(slope)
            }
        }
        let network = try InitialNetwork(configuration)
        let dynamics = try BackwardDynamics(rnn: network.rnn, input: network.probeInput)
        let discard = ReproductionData.fitWindow.lowerBound
        variant.lyapunov.append(try Lyapunov.topExponent(of: dynamics, vectors: 1, discard: discard, seed: configuration.seed).top)
        if variant.cell != .rnn { variant.memoryGateLogs.append(try dynamics.meanLogMemoryGate(discard: discard)) }
        decaySetting = (configuration.model.hiddenSize, configuration.task.sequenceLength)
        if let index = decay.firstIndex(where: { $0.name == name }) { decay[index] = variant } else { decay.append(variant) }
    }
}
