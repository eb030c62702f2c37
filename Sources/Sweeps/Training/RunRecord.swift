import Foundation
import Recurrence
import TensorIO

/// Everything a finished run produced, before it is written to the store.
public struct RunRecord {
    public let configuration: RunConfiguration
    let taskName: String
    let baselineLoss: Double
    let chanceAccuracy: Double?
    var metrics: [MetricRow] = []
    /// The iteration at which the run diverged, if it did.
    public internal(set) var divergedAt: Int?
    var finalEvalLoss: Double?
    var finalEvalAccuracy: Double?
    var spectraStart: [WeightSpectrum] = []
    var spectraEnd: [WeightSpectrum] = []
    /// A gated cell's per-gate spectra of every W_hh, at the start and the end.
    var gatesStart: [[GateSpectrum]] = []
    var gatesEnd: [[GateSpectrum]] = []
    var wallSeconds = 0.0
    /// Probe arrays by file name, and the log norms of the first and last snapshot per block.
    private(set) var probeFiles: [(name: String, data: Data)] = []
    private var weightFiles: [(name: String, data: Data)] = []
    private var firstLogNorms: [[Double]]?
    private var lastLogNorms: [[Double]]?
    private var blockNames: [(layer: Int, direction: Int)] = []

    init(configuration: RunConfiguration, task: any SequenceTask) {
        self.configuration = configuration
        taskName = task.name
        baselineLoss = task.baselineLoss
        chanceAccuracy = task.chanceAccuracy
    }

    /// Success as the config defines it: held-out loss ≤ fraction × baseline, or (for
    /// classification) accuracy ≥ chance + gap × (1 − chance). A diverged run never succeeds.
    public var success: Bool {
        guard divergedAt == nil, let loss = finalEvalLoss else { return false }
        let training = configuration.training
        if loss <= training.successLossFraction * baselineLoss { return true }
        if let accuracy = finalEvalAccuracy, let chance = chanceAccuracy {
            return accuracy >= chance + training.successAccuracyGap * (1 - chance)
        }
        return false
    }

    mutating func addProbe<S: RNNScalar>(iteration: Int, _ snapshot: ProbeSnapshot<S>) throws {
        let probes = snapshot.probes
        let steps = probes.first?.gradientNorm.count ?? 0
        let norms = TypedArray(shape: [probes.count, steps], storage: .float64(probes.flatMap(\.gradientNorm)))
        let logs = TypedArray(shape: [probes.count, steps], storage: .float64(probes.flatMap(\.logGradientNorm)))
        probeFiles.append((RunFiles.gradientNorms(iteration: iteration), Npy.encode(norms)))
        probeFiles.append((RunFiles.logGradientNorms(iteration: iteration), Npy.encode(logs)))
        if probes.first?.cellLogGradientNorm.isEmpty == false {  // an LSTM's cell state
            let cellNorms = TypedArray(shape: [probes.count, steps], storage: .float64(probes.flatMap(\.cellGradientNorm)))
            let cellLogs = TypedArray(shape: [probes.count, steps], storage: .float64(probes.flatMap(\.cellLogGradientNorm)))
            probeFiles.append((RunFiles.cellGradientNorms(iteration: iteration), Npy.encode(cellNorms)))
            probeFiles.append((RunFiles.cellLogGradientNorms(iteration: iteration), Npy.encode(cellLogs)))
        }
        if let hidden = snapshot.hidden {
            probeFiles.append((RunFiles.hiddenStates(iteration: iteration), Npy.encode(hidden.typedArray)))
        }
        let logNorms = probes.map(\.logGradientNorm)
        if firstLogNorms == nil { firstLogNorms = logNorms }
        lastLogNorms = logNorms
        blockNames = probes.map { ($0.layer, $0.direction) }
    }

    /// The trained weights: model.safetensors loads into `nn.RNN` (PyTorch's names),
    /// readout.safetensors into the `nn.Linear` readout.
    mutating func addWeights<S: RNNScalar>(rnn parameters: ParameterSet<S>, readout: Linear<S>) {
        var model = Safetensors(metadata: ["format": "pt", "producer": "vanish \(ToolVersion.current)"])
        for (name, tensor) in parameters.namedTensors { model.tensors[name] = tensor.typedArray }
        let head = Safetensors(tensors: ["weight": readout.weight.typedArray, "bias": readout.bias.typedArray],
                               metadata: ["format": "pt", "producer": "vanish \(ToolVersion.current)"])
        weightFiles = [(RunFiles.weights, model.encode()), (RunFiles.readout, head.encode())]
    }

    /// config.yaml, metrics.csv, the probe arrays and the weights.
    var files: [(name: String, data: Data)] {
        [(RunFiles.config, Data(configuration.resolvedYAML.utf8)), (RunFiles.metrics, Data(MetricRow.csv(metrics).utf8))]
            + probeFiles + weightFiles
    }

    func summary(checksums: [RunSummary.FileChecksum]) -> RunSummary {
        func blocks(_ spectra: [WeightSpectrum], _ gates: [[GateSpectrum]], _ logNorms: [[Double]]?) -> [BlockDiagnostics] {
            blockNames.indices.map { b in
                BlockDiagnostics(layer: blockNames[b].layer, direction: .init(index: blockNames[b].direction),
                                 spectrum: spectra[safe: b], logNorms: logNorms?[b], gates: gates[safe: b] ?? [])
            }
        }
        return RunSummary(
            tool: "vanish", version: ToolVersion.current, sourceRevision: SourceRevision.current,
            kernelPath: KernelPath.current, cpu: ToolProvenance.cpuModel,
            configHash: ToolProvenance.configHash(configuration.resolvedYAML),
            runID: configuration.id, experiment: configuration.experiment, variant: configuration.variant,
            seed: configuration.seed, task: taskName, sequenceLength: configuration.task.sequenceLength,
            iterations: metrics.count, divergedAt: divergedAt, finalEvalLoss: finalEvalLoss?.finiteOrNil,
            finalEvalAccuracy: finalEvalAccuracy, baselineLoss: baselineLoss, chanceAccuracy: chanceAccuracy,
            success: success, blocksAtStart: blocks(spectraStart, gatesStart, firstLogNorms),
            blocksAtEnd: blocks(spectraEnd, gatesEnd, lastLogNorms),
            wallSeconds: wallSeconds, checksums: checksums)
    }
}
