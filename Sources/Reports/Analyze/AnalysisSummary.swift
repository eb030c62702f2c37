import Foundation
import Recurrence
import Sweeps
import TensorIO
import Theory

/// `summary.json` of `vanish analyze`: the architecture it inferred, what it ran, and the
/// numbers of record per layer and direction. Every key is written; a value that does not
/// exist or is not finite is null (`ToolJSON`).
public struct AnalysisSummary: Codable, Equatable, Sendable {
    public struct Model: Codable, Equatable, Sendable {
        public let path: String
        /// safetensors or torch (a `torch.save` archive).
        public let format: String
        /// The training checkpoint's key the state_dict was under; nil for a bare state_dict.
        public let stateDictKey: String?
        /// The recurrent module's name in the state_dict (`rnn`); "" when the file is its state_dict alone.
        public let module: String
        /// The tensors analyze read (the module's and the readout's) that were stored in half
        /// precision and computed with as float32.
        public let upcast: [UpcastTensor]
        /// The state_dict's tensors analyze did not read, in the file's order (by name for
        /// safetensors): the rest of a whole model.
        public let otherTensors: [String]
        public let dtype: String
        /// rnn, lstm or gru: nn.RNN, nn.LSTM or nn.GRU.
        public let cell: String
        public let inputSize: Int
        public let hiddenSize: Int
        /// An LSTM's proj_size; 0 without projection.
        public let projSize: Int
        public let numLayers: Int
        public let nonlinearity: String
        public let bias: Bool
        public let bidirectional: Bool
        public let batchFirst: Bool

        private enum CodingKeys: String, CodingKey {
            case path, format, stateDictKey, module, upcast, otherTensors, dtype, cell, inputSize, hiddenSize, projSize
            case numLayers, nonlinearity, bias, bidirectional, batchFirst
        }

        /// Every key, stateDictKey null when there is none.
        public func encode(to encoder: Encoder) throws {
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(path, forKey: .path)
            try values.encode(format, forKey: .format)
            try values.encode(stateDictKey, forKey: .stateDictKey)
            try values.encode(module, forKey: .module)
            try values.encode(upcast, forKey: .upcast)
            try values.encode(otherTensors, forKey: .otherTensors)
            try values.encode(dtype, forKey: .dtype)
            try values.encode(cell, forKey: .cell)
            try values.encode(inputSize, forKey: .inputSize)
            try values.encode(hiddenSize, forKey: .hiddenSize)
            try values.encode(projSize, forKey: .projSize)
            try values.encode(numLayers, forKey: .numLayers)
            try values.encode(nonlinearity, forKey: .nonlinearity)
            try values.encode(bias, forKey: .bias)
            try values.encode(bidirectional, forKey: .bidirectional)
            try values.encode(batchFirst, forKey: .batchFirst)
        }
    }

    /// A tensor stored as float16 or bfloat16, read as float32 (exactly).
    public struct UpcastTensor: Codable, Equatable, Sendable {
        /// Its state_dict name.
        public let tensor: String
        /// float16 or bfloat16.
        public let storedDtype: String
    }

    /// The loss options, when the loss is the model's own (`--readout`, `--targets`, `--loss`).
    public struct LossSetting: Codable, Equatable, Sendable {
        /// cross-entropy or mse.
        public let function: String
        /// last or all.
        public let steps: String
        /// The readout's name in the state_dict (`fc`), and whether it has a bias.
        public let readout: String
        public let readoutBias: Bool
        /// K: the readout's outputs.
        public let outputs: Int
        public let targets: String
        public let targetsShape: [Int]
        public let targetsDtype: String
        /// The number of terms the mean is over: targets other than -100 for cross-entropy,
        /// elements for mse.
        public let meanOver: Int
    }

    public struct Input: Codable, Equatable, Sendable {
        public let path: String
        public let shape: [Int]
        public let dtype: String
        public let sequenceLength: Int
        public let batchSize: Int
        public let unbatched: Bool
    }

    /// One layer and direction: its `BlockDiagnostics` (written flat, beside the fields here)
    /// and what the log-domain probe saw.
    public struct Block: Codable, Equatable, Sendable {
        public let diagnostics: BlockDiagnostics
        /// Row of h_n (and of grad_norms.npy): layer · D + direction.
        public let row: Int
        /// Pascanu et al.: with |φ′| ≤ γ (γ = 1 for tanh and relu), σ_max(W_hh) < 1/γ suffices
        /// for the gradient to vanish. Null when σ_max is.
        public let sigmaMaxBelowVanishingBound: Bool?
        /// ln‖∂L/∂h_t‖ at t = T−1 and at t = 0 (from the log-domain probe); null when not finite
        /// (`nonFiniteSteps` counts those steps).
        public let logGradNormLastStep: Double?
        public let logGradNormFirstStep: Double?
        /// Steps whose ln‖∂L/∂h_t‖ is not finite (an exactly zero gradient, or NaN from the data);
        /// the fit leaves them out.
        public let nonFiniteSteps: Int
        /// An LSTM's ln‖∂L/∂c_t‖ against T−1−t, the cell-state path; null for other cells or
        /// without two finite points.
        public let cellDecayFit: DecayFit?

        private enum CodingKeys: String, CodingKey {
            case row, sigmaMaxBelowVanishingBound, logGradNormLastStep, logGradNormFirstStep, nonFiniteSteps, cellDecayFit
        }

        init(diagnostics: BlockDiagnostics, row: Int, logNorms: [Double], cellLogNorms: [Double]) {
            self.diagnostics = diagnostics
            self.row = row
            cellDecayFit = DecayFit(backFromLastStep: cellLogNorms)
            sigmaMaxBelowVanishingBound = diagnostics.sigmaMax.map { $0 < 1 }
            logGradNormLastStep = logNorms.last?.finiteOrNil
            logGradNormFirstStep = logNorms.first?.finiteOrNil
            nonFiniteSteps = logNorms.filter { !$0.isFinite }.count
        }

        public init(from decoder: Decoder) throws {
            diagnostics = try BlockDiagnostics(from: decoder)
            let values = try decoder.container(keyedBy: CodingKeys.self)
            row = try values.decode(Int.self, forKey: .row)
            sigmaMaxBelowVanishingBound = try values.decodeIfPresent(Bool.self, forKey: .sigmaMaxBelowVanishingBound)
            logGradNormLastStep = try values.decodeIfPresent(Double.self, forKey: .logGradNormLastStep)
            logGradNormFirstStep = try values.decodeIfPresent(Double.self, forKey: .logGradNormFirstStep)
            nonFiniteSteps = try values.decode(Int.self, forKey: .nonFiniteSteps)
            cellDecayFit = try values.decodeIfPresent(DecayFit.self, forKey: .cellDecayFit)
        }

        public func encode(to encoder: Encoder) throws {
            try diagnostics.encode(to: encoder)
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(row, forKey: .row)
            try values.encode(sigmaMaxBelowVanishingBound, forKey: .sigmaMaxBelowVanishingBound)
            try values.encode(logGradNormLastStep, forKey: .logGradNormLastStep)
            try values.encode(logGradNormFirstStep, forKey: .logGradNormFirstStep)
            try values.encode(nonFiniteSteps, forKey: .nonFiniteSteps)
            try values.encode(cellDecayFit, forKey: .cellDecayFit)
        }
    }

    public let tool: String
    public let version: String
    /// The revision vanish was built from, the kernel path and CPU it ran on
    /// (`ToolProvenance`); nil in summaries written before they were recorded.
    public let sourceRevision: String?
    public let kernelPath: String?
    public let cpu: String?
    /// FNV-1a 64 of the analysis's settings (`ModelAnalysis.Request.canonicalText`).
    public let configHash: String?
    public let model: Model
    public let input: Input
    /// The function whose gradient was taken, in PyTorch's words, and where its parts came from.
    public let objective: String
    /// Its value with --readout, --targets and --loss; null for L = Σ G ⊙ output.
    public let loss: Double?
    public let lossSettings: LossSetting?
    public let blocks: [Block]

    private enum CodingKeys: String, CodingKey {
        case tool, version, sourceRevision, kernelPath, cpu, configHash, model, input, objective, loss, lossSettings, blocks
    }

    /// Every key, loss and lossSettings null without a loss of the model's own.
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(tool, forKey: .tool)
        try values.encode(version, forKey: .version)
        try values.encode(sourceRevision, forKey: .sourceRevision)
        try values.encode(kernelPath, forKey: .kernelPath)
        try values.encode(cpu, forKey: .cpu)
        try values.encode(configHash, forKey: .configHash)
        try values.encode(model, forKey: .model)
        try values.encode(input, forKey: .input)
        try values.encode(objective, forKey: .objective)
        try values.encode(loss, forKey: .loss)
        try values.encode(lossSettings, forKey: .lossSettings)
        try values.encode(blocks, forKey: .blocks)
    }

    /// What analyze read from the model's file besides the recurrent module's architecture.
    struct Source {
        let weights: WeightsFile
        let module: RecurrentModule
        let readout: ReadoutLoss?
    }

    /// The loss of the model's own, as evaluated.
    struct EvaluatedLoss {
        let value: Double
        let readout: ReadoutLoss
        let targets: TypedArray
        let meanOver: Int
    }

    init(request: ModelAnalysis.Request, source: Source, configuration: RNNConfiguration, dtype: DType,
         inputArray: TypedArray, shape: SequenceShape, probes: [GradientProbe], spectra: [WeightSpectrum],
         gates: [[GateSpectrum]], loss evaluated: EvaluatedLoss?) {
        tool = "vanish"
        version = ToolVersion.current
        sourceRevision = SourceRevision.current
        kernelPath = KernelPath.current
        cpu = ToolProvenance.cpuModel
        configHash = ToolProvenance.configHash(request.canonicalText)
        let read = Set(source.module.tensors.keys.map(source.module.fullName) + (source.readout?.names ?? []))
        model = Model(path: request.model.path, format: source.weights.format.rawValue,
                      stateDictKey: source.weights.stateDictKey, module: source.module.name,
                      upcast: source.weights.names.filter(read.contains).compactMap { name in
                          source.weights.upcast[name].map { UpcastTensor(tensor: name, storedDtype: $0) }
                      },
                      otherTensors: source.weights.names.filter { !read.contains($0) },
                      dtype: "\(dtype)", cell: configuration.cell.rawValue,
                      inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize,
                      projSize: configuration.projSize, numLayers: configuration.numLayers,
                      nonlinearity: configuration.nonlinearity.rawValue, bias: configuration.bias,
                      bidirectional: configuration.bidirectional, batchFirst: configuration.batchFirst)
        input = Input(path: request.input.path, shape: inputArray.shape, dtype: "\(inputArray.dtype)",
                      sequenceLength: shape.steps, batchSize: shape.batch, unbatched: shape.isUnbatched)
        objective = Self.objective(request, shape: shape, readout: evaluated?.readout)
        loss = evaluated?.value
        lossSettings = evaluated.map { evaluated in
            let settings = evaluated.readout.settings
            return LossSetting(function: settings.function.rawValue, steps: settings.steps.rawValue,
                               readout: settings.readout, readoutBias: evaluated.readout.hasBias,
                               outputs: evaluated.readout.outputCount, targets: settings.targets.path,
                               targetsShape: evaluated.targets.shape, targetsDtype: "\(evaluated.targets.dtype)",
                               meanOver: evaluated.meanOver)
        }
        // Distance is counted back from the last time step, where the default loss sits, for
        // every block: a reverse block's gradient also vanishes away from there (through the
        // layers above), so one convention reads the same for both directions.
        blocks = zip(probes, spectra).enumerated().map { row, pair in
            let (probe, spectrum) = pair
            let diagnostics = BlockDiagnostics(layer: probe.layer, direction: .init(index: probe.direction), spectrum: spectrum,
                                               logNorms: probe.logGradientNorm, gates: gates[row])
            return Block(diagnostics: diagnostics, row: row, logNorms: probe.logGradientNorm, cellLogNorms: probe.cellLogGradientNorm)
        }
    }

    /// L in PyTorch's words: the model's own loss, or Σ G ⊙ output and where G came from.
    private static func objective(_ request: ModelAnalysis.Request, shape: SequenceShape, readout: ReadoutLoss?) -> String {
        guard let readout else {
            return request.gradOutput.map { "L = sum(G * output), G from \($0.path)" }
                ?? "L = sum(G * output), G = 1 at the last time step, 0 elsewhere"
        }
        let settings = readout.settings
        let fc = settings.readout
        let scored = switch settings.steps {
        case .last: "\(fc)(output[\(shape.batchFirst ? ":, " : "")-1])"
        case .all: settings.function == .crossEntropy ? "\(fc)(output).reshape(-1, \(readout.outputCount))" : "\(fc)(output)"
        }
        let targets = settings.steps == .all && settings.function == .crossEntropy ? "y.reshape(-1)" : "y"
        let function = settings.function == .crossEntropy ? "F.cross_entropy" : "F.mse_loss"
        return "L = \(function)(\(scored), \(targets)), y from \(settings.targets.path)"
            + (settings.function == .crossEntropy ? " (mean over targets other than -100)" : "")
    }

    /// The summary as the tool writes JSON (`ToolJSON`).
    public func json() throws -> Data {
        try ToolJSON.encode(self)
    }
}
