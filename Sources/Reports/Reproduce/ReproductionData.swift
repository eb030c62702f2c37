import Foundation
import Recurrence
import Sweeps
import Theory

/// The runs of the reproduction suite, read back from the run store, and the numbers the
/// report and figures are made of. Everything here is computed from the stored runs.
struct ReproductionData {
    /// Distances (steps back from the last step) over which decay rates are fitted: past the
    /// first steps, where the gradient's direction settles, and before the spectral radius
    /// of the one W_hh reused at every step takes over (RESEARCH.md).
    static let fitWindow = 10...50

    struct DecayVariant {
        let name: String
        let nonlinearity: Nonlinearity
        /// Per seed: fitted slope of ln‖∂L/∂h_t‖ (nats per step), Lyapunov λ₁, σ_max(W_hh).
        var slopes: [Double] = []
        var lyapunov: [Double] = []
        var sigmaMax: [Double] = []
        /// Per seed: ln‖∂L/∂h‖ against distance 0, 1, ….
        var curves: [[Double]] = []
        /// The mean-field prediction where the init has i.i.d. Gaussian-like entries.
        var theory: Double?
    }

    struct ScalePoint {
        let nonlinearity: Nonlinearity
        let sigmaW: Double
        var slopes: [Double] = []
        var theory: Double
    }

    struct LengthPoint {
        let task: String
        let variant: String
        let length: Int
        var successes: [Bool] = []
        var lossRatios: [Double] = []

        var successCount: Int { successes.filter { $0 }.count }
        var successRate: Double { Double(successCount) / Double(successes.count) }
        /// The 95 % Wilson interval of the success rate.
        var successInterval: WilsonInterval { WilsonInterval(successes: successCount, trials: successes.count) }
    }

    var decay: [DecayVariant] = []
    var scale: [ScalePoint] = []
    var learnability: [LengthPoint] = []
    var runCount = 0
    /// The runs' own compute time, summed.
    var computeSeconds = 0.0
    /// The decay suite's H and sequence length, as its runs have them.
    var decaySetting = (hiddenSize: 128, steps: 200)
    /// The weight-scale sweep's H, input size and input variance, for the theory curve.
    var scaleSetting = (hiddenSize: 512, inputSize: 4, inputVariance: 1.0)

    /// The numbers of the decay, weight-scale and learnability roles, from the stored runs
    /// of the configs the manifest names for them.
    /// - Throws: `AnalysisError` when a role has no readable run.
    init(_ manifest: SuiteManifest, _ runs: SuiteRuns) throws {
        let decayRuns = runs[manifest[.decay]]
        let scaleRuns = runs[manifest[.weightScale]]
        let learnRuns = runs[manifest[.learnability]]
        runCount = decayRuns.count + scaleRuns.count + learnRuns.count
        for (role, roleRuns) in [(ReproductionRole.decay, decayRuns), (.weightScale, scaleRuns), (.learnability, learnRuns)]
        where roleRuns.isEmpty {
            throw AnalysisError("\(manifest.path): \(role.rawValue): no readable runs of "
                                + manifest[role].experiments.joined(separator: ", "))
        }
        computeSeconds = (decayRuns + scaleRuns + learnRuns).map(\.summary.wallSeconds).reduce(0, +)
        for run in decayRuns { try addDecay(run) }
        for run in scaleRuns { try addScale(run) }
        learnability = Self.lengthPoints(learnRuns)
        scale.sort { ($0.nonlinearity.rawValue, $0.sigmaW) < ($1.nonlinearity.rawValue, $1.sigmaW) }
    }

    /// ln‖∂L/∂h_t‖ against distance 0, 1, … from the last step (block 0 at iteration 0).
    static func initialCurve(_ run: StoredRun) -> [Double]? {
        run.initialLogNorms.map { Array($0.reversed()) }
    }

    static func fittedSlope(_ curve: [Double]) -> Double? {
        let window = fitWindow.clamped(to: 0...max(curve.count - 1, 0))
        return DecayFit(logNorms: Array(curve[window]), distances: window.map(Double.init))?.logSlopePerStep
    }

    private mutating func addDecay(_ run: StoredRun) throws {
        let name = run.configuration.variant ?? run.configuration.initializationLabel
        var variant = decay.first { $0.name == name }
            ?? DecayVariant(name: name, nonlinearity: run.configuration.model.nonlinearity)
        if let curve = Self.initialCurve(run), let slope = Self.fittedSlope(curve) {
            variant.curves.append(curve)
            variant.slopes.append(slope)
        }
        if let sigma = run.summary.blocksAtStart.first?.sigmaMax { variant.sigmaMax.append(sigma) }
        decaySetting = (run.configuration.model.hiddenSize, run.configuration.task.sequenceLength)
        let network = try InitialNetwork(run.configuration)
        let estimate = try Lyapunov.topExponent(rnn: network.rnn, input: network.probeInput, vectors: 1,
                                                discard: Self.fitWindow.lowerBound, seed: run.configuration.seed)
        variant.lyapunov.append(estimate.top)
        variant.theory = Self.theory(run.configuration, inputSize: network.task.inputSize)
        if let index = decay.firstIndex(where: { $0.name == name }) { decay[index] = variant } else { decay.append(variant) }
    }

    private mutating func addScale(_ run: StoredRun) throws {
        guard case .gaussian(let gain) = run.configuration.model.initialization else { return }
        let nonlinearity = run.configuration.model.nonlinearity
        let network = try InitialNetwork(run.configuration)
        scaleSetting = (run.configuration.model.hiddenSize, network.task.inputSize, Self.inputVariance(run.configuration))
        let theory = MeanField.forDefaultInputWeights(
            hiddenSize: run.configuration.model.hiddenSize, inputSize: network.task.inputSize, inputVariance: Self.inputVariance(run.configuration),
            sigmaW: gain, nonlinearity: nonlinearity, bias: run.configuration.model.bias).predictedSlope()
        var point = scale.first { $0.nonlinearity == nonlinearity && $0.sigmaW == gain }
            ?? ScalePoint(nonlinearity: nonlinearity, sigmaW: gain, theory: theory)
        if let curve = Self.initialCurve(run), let slope = Self.fittedSlope(curve) { point.slopes.append(slope) }
        if let index = scale.firstIndex(where: { $0.nonlinearity == nonlinearity && $0.sigmaW == gain }) {
            scale[index] = point
        } else {
            scale.append(point)
        }
    }

    /// Success and final loss per task, variant and sequence length, over the seeds, sorted.
    static func lengthPoints(_ runs: [StoredRun]) -> [LengthPoint] {
        var points: [String: LengthPoint] = [:]
        for run in runs {
            let task = run.summary.task, variant = run.configuration.variant ?? "-", length = run.summary.sequenceLength
            let key = "\(task)\u{0}\(variant)\u{0}\(length)"
            var point = points[key] ?? LengthPoint(task: task, variant: variant, length: length)
            point.successes.append(run.summary.success)
            if let loss = run.summary.finalEvalLoss { point.lossRatios.append(loss / run.summary.baselineLoss) }
            points[key] = point
        }
        return points.values.sorted { ($0.task, $0.variant, $0.length) < ($1.task, $1.variant, $1.length) }
    }

    /// The verdict's clause: per task and variant, the longest T before the success rate first
    /// falls below 50 %.
    static func holdingOn(_ learnability: [LengthPoint]) -> String {
        var parts: [String] = []
        for task in Array(Set(learnability.map(\.task))).sorted(by: >) {
            let points = learnability.filter { $0.task == task }
            let held = Array(Set(points.map(\.variant))).sorted().map { variant in
                let mine = points.filter { $0.variant == variant }.sorted { $0.length < $1.length }
                let longest = mine.firstIndex { $0.successRate < 0.5 }.map { $0 > 0 ? "up to T = \(mine[$0 - 1].length)" : "at no T tried" }
                    ?? "at every T tried (up to \(mine.last!.length))"
                return "\(variant) \(longest)"
            }
            parts.append("\(task): " + held.joined(separator: ", "))
        }
        return parts.isEmpty ? "" : " Success stays at or above 50 % — " + parts.joined(separator: "; ") + "."
    }

    /// The recall task's inputs are noise of standard deviation `noise` on every component.
    static func inputVariance(_ configuration: RunConfiguration) -> Double {
        configuration.task.parameters["noise"]?.doubleValue.map { $0 * $0 } ?? 1
    }

    /// ½ ln χ where mean field applies: PyTorch's default (entries U(±1/√H), σ_w² = 1/3) and
    /// Gaussian inits. Orthogonal and identity matrices are not i.i.d.: no prediction.
    static func theory(_ configuration: RunConfiguration, inputSize: Int) -> Double? {
        let model = configuration.model
        switch model.initialization {
        case .pytorchDefault:
            return MeanField.pytorchDefault(hiddenSize: model.hiddenSize, inputSize: inputSize,
                                            inputVariance: inputVariance(configuration), nonlinearity: model.nonlinearity,
                                            bias: model.bias).predictedSlope()
        case .gaussian(let gain):
            return MeanField.forDefaultInputWeights(hiddenSize: model.hiddenSize, inputSize: inputSize,
                                                    inputVariance: inputVariance(configuration), sigmaW: gain,
                                                    nonlinearity: model.nonlinearity, bias: model.bias).predictedSlope()
        default:
            return nil
        }
    }
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
    var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        return (map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(count - 1)).squareRoot()
    }
}
