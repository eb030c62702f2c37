import Foundation
import Recurrence
import Sweeps
import TensorIO

/// The data of figures 4–6, computed from stored runs: a trained network's hidden states,
/// the gradient-flow matrix of a per-timestep loss, and gradient norms over training.
struct ReproductionExtras {
    /// Figure 4: h_t (units × time) of a trained tanh network for one input (trained at the
    /// shortest recall length it failed), and
    /// ‖h_t(a) − h_t(b)‖ for two inputs that differ only in the first symbol.
    let hidden: (values: [Double], units: Int, steps: Int, trace: [Double], run: String)
    /// Figure 5: ln‖∂L_t/∂h_k‖ for k ≤ t (NaN above the diagonal), steps × steps, row t.
    let flow: (values: [Double], steps: Int, run: String)
    /// Figure 6: ln‖∂L/∂h‖ at a few distances (rows) against the probed iterations; nil when
    /// `dynamicsRun` recorded the gradient at fewer than two iterations.
    let dynamics: (iterations: [Double], distances: [Int], logNorms: [[Double]], run: String)?
    let dynamicsRun: StoredRun

    /// - Throws: `AnalysisError` when a role's variant has no readable run.
    init(_ manifest: SuiteManifest, _ runs: SuiteRuns) throws {
        // A network trained at the shortest length where it failed (the edge of what it can
        // learn), or its longest run if it never failed.
        let trained = try Self.runs(of: .hiddenStates, manifest, runs)
            .sorted { ($0.summary.sequenceLength, $0.summary.seed) < ($1.summary.sequenceLength, $1.summary.seed) }
        hidden = try Self.hiddenTrace(trained.first(where: { !$0.summary.success }) ?? trained.last!)
        flow = try Self.gradientFlow(try Self.runs(of: .gradientFlow, manifest, runs)[0])
        dynamicsRun = try Self.runs(of: .trainingDynamics, manifest, runs)[0]
        dynamics = Self.trainingDynamics(dynamicsRun)
    }

    /// The readable runs of a role's variant (at its sequence length, when it names one), in id order.
    private static func runs(of role: ReproductionRole, _ manifest: SuiteManifest, _ runs: SuiteRuns) throws -> [StoredRun] {
        let source = manifest[role]
        let chosen = runs[source].filter { run in
            run.configuration.variant == source.variant
                && source.sequenceLength.map { $0 == run.summary.sequenceLength } ?? true
        }
        guard !chosen.isEmpty else {
            throw AnalysisError("\(manifest.path): \(role.rawValue): no readable run of variant \(source.variant ?? "-")"
                                + (source.sequenceLength.map { " at T = \($0)" } ?? "") + " in " + source.experiments.joined(separator: ", "))
        }
        return chosen
    }

    /// The trained weights of `run` on a long input: its class symbol at step 0, then
    /// noise for 5·T steps; a twin input differs only in the class.
    static func hiddenTrace(_ run: StoredRun) throws -> (values: [Double], units: Int, steps: Int, trace: [Double], run: String) {
        let weights = try run.trainedWeights()
        let network = try InitialNetwork(run.configuration)
        var parameters = network.rnn.parameters
        for name in parameters.names {
            guard let array = weights.tensors[name], let tensor = Tensor<Double>(array) else {
                throw AnalysisError("run \(run.id): its trained weights have no tensor \(name)")
            }
            try parameters.set(name, tensor)
        }
        let rnn = try RNN<Double>(network.rnn.configuration, parameters: parameters)
        rnn.probes = [.hiddenStates]
        let classes = network.task.inputSize
        let steps = 5 * run.summary.sequenceLength + 1
        var noise = SeededGenerator(seed: 99)
        let noiseLevel = run.configuration.task.parameters["noise"]?.doubleValue ?? 0.2
        var first = [Double](repeating: 0, count: steps * 2 * classes)
        for t in 1..<steps {
            for j in 0..<classes {
                let value = noiseLevel * noise.normal()
                first[(t * 2) * classes + j] = value
                first[(t * 2 + 1) * classes + j] = value
            }
        }
        first[0] = 1  // sample 0: class 0
        first[classes + 1] = 1  // sample 1: class 1, same noise after
        let result = try rnn.forward(Tensor(shape: [steps, 2, classes], scalars: first))
        let states = result.hiddenStates!.scalars  // (1, T, 2, H)
        let units = network.rnn.configuration.hiddenSize
        var values = [Double](repeating: 0, count: units * steps)
        var trace: [Double] = []
        for t in 0..<steps {
            var distance = 0.0
            for j in 0..<units {
                let a = states[(t * 2) * units + j], b = states[(t * 2 + 1) * units + j]
                values[j * steps + t] = a
                distance += (a - b) * (a - b)
            }
            trace.append(distance.squareRoot())
        }
        return (values, units, steps, trace, run.summary.runID)
    }

    /// ‖∂L_t/∂h_k‖ of a per-timestep loss at initialization: one backward pass per t, with
    /// a fixed random unit gradient on the output at t alone.
    static func gradientFlow(_ run: StoredRun) throws -> (values: [Double], steps: Int, run: String) {
        let network = try InitialNetwork(run.configuration)
        let steps = min(60, network.probeInput.shape[0])
        let batch = network.probeInput.shape[1], inputs = network.probeInput.shape[2]
        let input = Tensor(shape: [steps, batch, inputs], scalars: Array(network.probeInput.scalars.prefix(steps * batch * inputs)))
        let rnn = network.rnn
        rnn.probes = [.logGradientNorms]
        let width = rnn.configuration.directions * rnn.configuration.hiddenSize
        var directions = SeededGenerator(seed: 7)
        var values = [Double](repeating: .nan, count: steps * steps)
        _ = try rnn.forward(input)
        for t in 0..<steps {
            var gradient = [Double](repeating: 0, count: steps * batch * width)
            for i in 0..<batch * width { gradient[t * batch * width + i] = directions.normal() }
            let probe = try rnn.backward(gradOutput: Tensor(shape: [steps, batch, width], scalars: gradient),
                                         inputGradient: false).probes[0]
            for k in 0...t { values[t * steps + k] = probe.logGradientNorm[k] }
        }
        return (values, steps, run.summary.runID)
    }

    /// ln‖∂L/∂h‖ at distances 1, 5, 10, 20 from the loss at each probed iteration.
    static func trainingDynamics(_ run: StoredRun) -> (iterations: [Double], distances: [Int], logNorms: [[Double]], run: String)? {
        let probes = run.gradientSnapshots
        var curves: [Int: [Double]] = [:]
        let distances = [1, 5, 10, 20]
        for probe in probes {
            let logs = probe.logNorms[0]
            for d in distances where d < logs.count { curves[d, default: []].append(logs[logs.count - 1 - d]) }
        }
        let kept = distances.filter { curves[$0]?.count == probes.count }
        guard !kept.isEmpty, probes.count > 1 else { return nil }
        return (probes.map { Double($0.iteration) }, kept, kept.map { curves[$0]! }, run.id)
    }
}
