import Foundation
import Recurrence
import Sweeps
import TensorIO
import Theory

/// `summary.json` of `vanish analyze`: the architecture it inferred, what it ran, and the
/// numbers of record per layer and direction. Non-finite numbers are written as null (`ToolJSON`).
public struct AnalysisSummary: Codable, Equatable, Sendable {
    public struct Model: Codable, Equatable, Sendable {
        public let path: String
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
        /// Each gate's block of W_hh (LSTM i, f, g, o; GRU r, z, n); empty for nn.RNN, whose one
        /// matrix `diagnostics` describes.
        public let gates: [GateSpectrum]
        /// An LSTM's ln‖∂L/∂c_t‖ against T−1−t, the cell-state path; null for other cells or
        /// without two finite points.
        public let cellDecayFit: DecayFit?

        private enum CodingKeys: String, CodingKey {
            case row, sigmaMaxBelowVanishingBound, logGradNormLastStep, logGradNormFirstStep, nonFiniteSteps, gates
            case cellDecayFit
        }

        init(diagnostics: BlockDiagnostics, row: Int, logNorms: [Double], gates: [GateSpectrum], cellLogNorms: [Double]) {
            self.diagnostics = diagnostics
            self.row = row
            self.gates = gates
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
            gates = try values.decode([GateSpectrum].self, forKey: .gates)
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
            try values.encode(gates, forKey: .gates)
            try values.encode(cellDecayFit, forKey: .cellDecayFit)
        }
    }

    public let tool: String
    public let version: String
    public let model: Model
    public let input: Input
    public let loss: String
    public let blocks: [Block]

    init(request: ModelAnalysis.Request, configuration: RNNConfiguration, dtype: DType, inputArray: TypedArray,
         shape: SequenceShape, probes: [GradientProbe], spectra: [WeightSpectrum], gates: [[GateSpectrum]],
         defaultLoss: Bool) {
        tool = "vanish"
        version = ToolVersion.current
        model = Model(path: request.model.path, dtype: "\(dtype)", cell: configuration.cell.rawValue,
                      inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize,
                      projSize: configuration.projSize, numLayers: configuration.numLayers,
                      nonlinearity: configuration.nonlinearity.rawValue, bias: configuration.bias,
                      bidirectional: configuration.bidirectional, batchFirst: configuration.batchFirst)
        input = Input(path: request.input.path, shape: inputArray.shape, dtype: "\(inputArray.dtype)",
                      sequenceLength: shape.steps, batchSize: shape.batch, unbatched: shape.isUnbatched)
        loss = defaultLoss
            ? "L = sum(G * output), G = 1 at the last time step, 0 elsewhere"
            : "L = sum(G * output), G from \(request.gradOutput?.path ?? "")"
        // Distance is counted back from the last time step, where the default loss sits, for
        // every block: a reverse block's gradient also vanishes away from there (through the
        // layers above), so one convention reads the same for both directions.
        blocks = zip(probes, spectra).enumerated().map { row, pair in
            let (probe, spectrum) = pair
            let diagnostics = BlockDiagnostics(layer: probe.layer, direction: .init(index: probe.direction), spectrum: spectrum,
                                               logNorms: probe.logGradientNorm)
            return Block(diagnostics: diagnostics, row: row, logNorms: probe.logGradientNorm, gates: gates[row],
                         cellLogNorms: probe.cellLogGradientNorm)
        }
    }

    /// The summary as the tool writes JSON (`ToolJSON`).
    public func json() throws -> Data {
        try ToolJSON.encode(self)
    }
}
