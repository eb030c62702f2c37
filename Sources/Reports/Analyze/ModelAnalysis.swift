import AtomicIO
import Foundation
import Recurrence
import Sweeps
import TensorIO

/// `vanish analyze`: loads the recurrent module of a PyTorch model's state_dict (safetensors or
/// torch.save) and an input, runs forward and backpropagation through time with the probes on
/// for Σ G ⊙ output or the model's own loss through its readout, and collects every result as
/// files (shapes exactly PyTorch's), ready to be published together.
public struct ModelAnalysis {
    /// What to analyse.
    public struct Request: Sendable {
        /// A .safetensors file or a torch.save archive (.pt, .pth, .bin), a training checkpoint included.
        public var model: URL
        /// The key of a training checkpoint's state_dict; nil to look under the conventional ones.
        public var key: String?
        /// The recurrent module's name in the state_dict (`rnn`); nil to take the only one.
        public var module: String?
        public var input: URL
        /// h0 as .npy; zeros when nil.
        public var initialState: URL?
        /// c0 of an LSTM as .npy; zeros when nil.
        public var initialCell: URL?
        /// G in L = Σ G ⊙ output, as .npy shaped like the output; ones at the last step when
        /// nil and there is no `loss`.
        public var gradOutput: URL?
        /// The model's own loss through its readout; excludes `gradOutput`.
        public var loss: LossSettings?
        /// The cell, when the caller names it; else read from the state_dict's shapes.
        public var cell: RecurrentCellKind?
        public var nonlinearity: Nonlinearity
        public var batchFirst: Bool
        /// Also draw grad_norms.png.
        public var plot: Bool

        public init(model: URL, input: URL, key: String? = nil, module: String? = nil, initialState: URL? = nil,
                    initialCell: URL? = nil, gradOutput: URL? = nil, loss: LossSettings? = nil,
                    cell: RecurrentCellKind? = nil, nonlinearity: Nonlinearity = .tanh, batchFirst: Bool = false,
                    plot: Bool = false) {
            self.key = key
            self.module = module
            self.loss = loss
            self.initialCell = initialCell
            self.cell = cell
            self.model = model
            self.input = input
            self.initialState = initialState
            self.gradOutput = gradOutput
            self.nonlinearity = nonlinearity
            self.batchFirst = batchFirst
            self.plot = plot
        }

        /// The settings that decide the numbers, one `key: value` line each in a fixed order:
        /// what summary.json's config hash is of (the plot is not a setting).
        var canonicalText: String {
            let lines: [(String, String?)] = [
                ("model", model.path), ("key", key), ("module", module), ("input", input.path), ("h0", initialState?.path),
                ("c0", initialCell?.path), ("grad_output", gradOutput?.path), ("readout", loss?.readout),
                ("targets", loss?.targets.path), ("loss", loss?.function.rawValue), ("loss_steps", loss?.steps.rawValue),
                ("cell", cell?.rawValue), ("nonlinearity", nonlinearity.rawValue), ("batch_first", String(batchFirst)),
            ]
            return lines.map { "\($0.0): \($0.1 ?? "null")\n" }.joined()
        }
    }

    public let summary: AnalysisSummary
    /// The files to write, by name.
    public let files: [(name: String, data: Data)]

    /// Every file an analysis may write; `summary.json` marks a directory as one.
    public static let resultFiles: Set<String> = [
        "output.npy", "h_n.npy", "grad_input.npy", "grad_h0.npy", "grads.safetensors", "grad_norms.npy",
        "grad_norms_per_sample.npy", "grad_log_norms.npy", "hidden.npy", "summary.json", "grad_norms.png",
        "c_n.npy", "grad_c0.npy", "cell_grad_norms.npy", "cell_grad_log_norms.npy", "cell.npy",
        "gate_mean.npy", "gate_saturated_high.npy", "gate_saturated_low.npy",
    ]

    /// Checks that `destination` may receive (or be replaced by) the results of `request`.
    public static func checkDestination(_ destination: URL, for request: Request) throws(FileFormatError) {
        let inputs = [request.model, request.input]
            + [request.initialState, request.initialCell, request.gradOutput, request.loss?.targets].compactMap { $0 }
        try ResultDirectory.checkReplaceable(destination, inputs: inputs, knownFiles: resultFiles, marker: "summary.json")
    }

    /// Publishes every file into `destination` at once (an earlier result there is replaced).
    /// - Throws: `FileFormatError` naming what could not be written; nothing is left half-written.
    public func write(to destination: URL) throws(FileFormatError) {
        try AtomicDirectory.write(files, to: destination)
    }

    /// Reads and checks every input, then computes.
    /// - Throws: `FileFormatError` for unreadable files, `AnalysisError` for content that does
    ///   not fit (architecture, dtype, shapes), each naming the file.
    public init(_ request: Request) throws {
        if let gradOutput = request.gradOutput, request.loss != nil {
            throw LossSettings.conflict(gradOutput: gradOutput, lossOptions: ["--readout", "--targets", "--loss"])
        }
        let weights = try WeightsFile.read(request.model, key: request.key)
        let module = try RecurrentModule(in: weights, requested: request.module, path: request.model.path)
        let (configuration, dtype) = try StateDictArchitecture.infer(
            module.tensors, module: module.name, path: request.model.path, cell: request.cell,
            nonlinearity: request.nonlinearity, batchFirst: request.batchFirst)
        let readout = try request.loss.map { settings throws(AnalysisError) in
            try ReadoutLoss(settings, in: weights, width: configuration.directions * configuration.stateSize,
                            path: request.model.path)
        }
        let input = try Npy.read(request.input)
        let initialState = try request.initialState.map(Npy.read)
        let initialCell = try request.initialCell.map(Npy.read)
        if request.initialCell != nil, configuration.cell != .lstm {
            throw AnalysisError("\(request.initialCell!.path): --c0 is an LSTM's initial cell state, and "
                                + "\(request.model.path) holds an nn.\(configuration.cell.rawValue.uppercased())")
        }
        let gradOutput = try request.gradOutput.map(Npy.read)
        let targets = try request.loss.map { try Npy.read($0.targets) }
        let arrays = Arrays(source: .init(weights: weights, module: module, readout: readout), input: input,
                            initialState: initialState, initialCell: initialCell, gradOutput: gradOutput, targets: targets)
        switch dtype {
        case .float64: (summary, files) = try Self.analyze(Double.self, request, configuration, arrays)
        default: (summary, files) = try Self.analyze(Float.self, request, configuration, arrays)
        }
    }

    /// The files read, before conversion to the model's scalar type.
    private struct Arrays {
        let source: AnalysisSummary.Source
        let input: TypedArray
        let initialState: TypedArray?
        let initialCell: TypedArray?
        let gradOutput: TypedArray?
        let targets: TypedArray?
    }

    private static func analyze<S: RNNScalar>(
        _: S.Type, _ request: Request, _ configuration: RNNConfiguration, _ arrays: Arrays
    ) throws -> (AnalysisSummary, [(name: String, data: Data)]) {
        var parameters = ParameterSet<S>(zerosFor: ParameterLayout(configuration))
        for name in parameters.names {
            try parameters.set(name, Tensor<S>(arrays.source.module.tensors[name]!)!)
        }
        let rnn = try RNN<S>(configuration, parameters: parameters)
        rnn.probes = [.hiddenStates, .gradientNorms, .logGradientNorms, .gateStatistics]

        let input = try floatTensor(arrays.input, S.self, path: request.input.path, role: "input")
        let shape = try SequenceShape(input.shape, configuration, path: request.input.path)
        let blocks = configuration.numLayers * configuration.directions
        let initialState = try arrays.initialState.map { array throws in
            try stateTensor(array, S.self, path: request.initialState!.path, role: "h0", width: configuration.stateSize,
                            blocks: blocks, shape: shape)
        }
        let initialCell = try arrays.initialCell.map { array throws in
            try stateTensor(array, S.self, path: request.initialCell!.path, role: "c0", width: configuration.hiddenSize,
                            blocks: blocks, shape: shape)
        }
        let targets = try arrays.source.readout.map { readout throws(AnalysisError) in
            try LossTargets(arrays.targets!, path: readout.settings.targets.path, function: readout.settings.function,
                            steps: readout.settings.steps, shape: shape, classes: readout.outputCount)
        }
        let result: RNNOutput<S>
        do {
            result = try rnn.forward(input, initialState: initialState, initialCell: initialCell)
        } catch {
            throw AnalysisError("\(request.input.path): \(error.message)")
        }
        let weights: Tensor<S>
        var evaluated: AnalysisSummary.EvaluatedLoss?
        var readoutGradients: [(name: String, array: TypedArray)] = []
        if let array = arrays.gradOutput, let path = request.gradOutput?.path {
            weights = try floatTensor(array, S.self, path: path, role: "grad-output")
            guard weights.shape == result.output.shape else {
                throw AnalysisError("\(path): grad-output has shape \(array.shape), expected the output's \(result.output.shape)")
            }
        } else if let readout = arrays.source.readout, let targets {
            let loss = try readout.evaluate(result.output, targets: targets, shape: shape)
            weights = loss.gradOutput
            readoutGradients = loss.gradients
            evaluated = .init(value: loss.loss, readout: readout, targets: arrays.targets!, meanOver: targets.termCount)
        } else {
            weights = shape.lastStepOnes(result.output.shape)
        }
        // With ∂L/∂input (the default), for grad_input.npy.
        let gradients = try rnn.backward(gradOutput: weights)

        let probes = gradients.probes
        let steps = shape.steps
        var stateDictOut = Safetensors(metadata: ["format": "pt", "producer": "vanish \(ToolVersion.current)"])
        // Named as in the file, so that the gradients map one to one onto model.state_dict().
        for (name, tensor) in gradients.parameters.namedTensors {
            stateDictOut.tensors[arrays.source.module.fullName(name)] = tensor.typedArray
        }
        for (name, array) in readoutGradients { stateDictOut.tensors[name] = array }
        let perSampleShape = [blocks, steps, shape.batch]
        let files: [(name: String, data: Data)] = [
            ("output.npy", Npy.encode(result.output.typedArray)),
            ("h_n.npy", Npy.encode(result.finalState.typedArray)),
            ("grad_input.npy", Npy.encode(gradients.input!.typedArray)),
            ("grad_h0.npy", Npy.encode(gradients.initialState.typedArray)),
            ("grads.safetensors", stateDictOut.encode()),
            ("grad_norms.npy", Npy.encode(TypedArray(shape: [blocks, steps], storage: .float64(probes.flatMap(\.gradientNorm))))),
            ("grad_norms_per_sample.npy", Npy.encode(TypedArray(shape: perSampleShape,
                                                                storage: .float64(probes.flatMap(\.gradientNormPerSample))))),
            ("grad_log_norms.npy", Npy.encode(TypedArray(shape: [blocks, steps], storage: .float64(probes.flatMap(\.logGradientNorm))))),
            ("hidden.npy", Npy.encode(result.hiddenStates!.typedArray)),
        ] + gatedFiles(result, gradients, blocks: blocks, steps: steps)
        let summary = AnalysisSummary(
            request: request, source: arrays.source, configuration: configuration, dtype: DType(S.self),
            inputArray: arrays.input, shape: shape, probes: probes, spectra: rnn.recurrentWeightSpectra(),
            gates: GateSpectrum.all(rnn.parameters, configuration: configuration), loss: evaluated)
        var extra: [(name: String, data: Data)] = [("summary.json", try summary.json())]
        if request.plot {
            let names = probes.map { "layer \($0.layer) \($0.direction == 1 ? "reverse" : "forward")" }
            let cells = probes.filter { !$0.cellLogGradientNorm.isEmpty }
            let figure = GradientNormFigure.make(
                logNorms: probes.map(\.logGradientNorm) + cells.map(\.cellLogGradientNorm),
                labels: names.map { cells.isEmpty ? $0 : "\($0), h" }
                    + cells.map { "layer \($0.layer) \($0.direction == 1 ? "reverse" : "forward"), c" },
                title: request.model.lastPathComponent)
            let command = "vanish analyze \(request.model.path) \(request.input.path)"
            extra.append(("grad_norms.png", try figure.pngData(provenance: .vanish(command))))
        }
        return (summary, files + extra)
    }

    /// An LSTM's c_n, ∂L/∂c0, ‖∂L/∂c_t‖ (direct and log), c_t; and a gated cell's gate
    /// statistics, each (D·L, T) with rows as h_n's. None for nn.RNN.
    private static func gatedFiles<S: RNNScalar>(
        _ result: RNNOutput<S>, _ gradients: RNNGradients<S>, blocks: Int, steps: Int
    ) -> [(name: String, data: Data)] {
        let probes = gradients.probes
        func perStep(_ values: [Double]) -> Data { Npy.encode(TypedArray(shape: [blocks, steps], storage: .float64(values))) }
        var files: [(name: String, data: Data)] = []
        if let finalCell = result.finalCell, let initialCell = gradients.initialCell, let cells = result.cellStates {
            files += [
                ("c_n.npy", Npy.encode(finalCell.typedArray)), ("grad_c0.npy", Npy.encode(initialCell.typedArray)),
                ("cell_grad_norms.npy", perStep(probes.flatMap(\.cellGradientNorm))),
                ("cell_grad_log_norms.npy", perStep(probes.flatMap(\.cellLogGradientNorm))),
                ("cell.npy", Npy.encode(cells.typedArray)),
            ]
        }
        if probes.allSatisfy({ !$0.gateMean.isEmpty }) {
            files += [
                ("gate_mean.npy", perStep(probes.flatMap(\.gateMean))),
                ("gate_saturated_high.npy", perStep(probes.flatMap(\.gateSaturatedHigh))),
                ("gate_saturated_low.npy", perStep(probes.flatMap(\.gateSaturatedLow))),
            ]
        }
        return files
    }

    /// h0 or c0 as the model's scalar type, checked against (D·L, N, width) or (D·L, width)
    /// unbatched.
    private static func stateTensor<S: RNNScalar>(
        _ array: TypedArray, _: S.Type, path: String, role: String, width: Int, blocks: Int, shape: SequenceShape
    ) throws(AnalysisError) -> Tensor<S> {
        let expected = shape.isUnbatched ? [blocks, width] : [blocks, shape.batch, width]
        let tensor = try floatTensor(array, S.self, path: path, role: role)
        guard tensor.shape == expected else {
            throw AnalysisError("\(path): \(role) has shape \(array.shape), expected \(expected) "
                                + "(D·num_layers, N, \(role == "c0" ? "hidden_size" : "state size")) for this model and input")
        }
        return tensor
    }

    /// A float array as the model's scalar type (Float ↔ Double converted); integers refused.
    private static func floatTensor<S: RNNScalar>(
        _ array: TypedArray, _: S.Type, path: String, role: String
    ) throws(AnalysisError) -> Tensor<S> {
        guard let tensor = Tensor<S>(array) else {
            throw AnalysisError("\(path): \(role) must hold float32 or float64 values, got \(array.dtype.npyDescr)")
        }
        return tensor
    }
}

/// T, N and layout of an input for a configuration.
struct SequenceShape {
    let steps: Int
    let batch: Int
    let isUnbatched: Bool
    let batchFirst: Bool

    init(_ shape: [Int], _ configuration: RNNConfiguration, path: String) throws(AnalysisError) {
        guard shape.count == 2 || shape.count == 3 else {
            throw AnalysisError("\(path): input must be 2-D (T, input_size) or 3-D "
                                + "(\(configuration.batchFirst ? "N, T" : "T, N"), input_size), got shape \(shape)")
        }
        isUnbatched = shape.count == 2
        batchFirst = configuration.batchFirst && !isUnbatched
        steps = batchFirst ? shape[1] : shape[0]
        batch = isUnbatched ? 1 : (batchFirst ? shape[0] : shape[1])
    }

    /// The row of sample n's last time step among the output's rows (of D·H_out each).
    func lastStepRow(_ n: Int) -> Int {
        batchFirst ? n * steps + (steps - 1) : (steps - 1) * batch + n
    }

    /// G with ones at the last time step, zeros elsewhere, in the output's layout.
    func lastStepOnes<S: RNNScalar>(_ outputShape: [Int]) -> Tensor<S> {
        var weights = Tensor<S>(zeros: outputShape)
        let width = outputShape.last!
        for n in 0..<batch {
            let row = lastStepRow(n)
            for j in 0..<width { weights.scalars[row * width + j] = 1 }
        }
        return weights
    }
}
