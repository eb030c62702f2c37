import Foundation
import Recurrence
import Sweeps
import TensorIO
import Theory

/// `summary.json` of `vanish analyze`: the architecture it inferred, what it ran, and the
/// numbers of record per layer and direction. Non-finite numbers are written as null.
public struct AnalysisSummary: Codable, Equatable, Sendable {
    public struct Model: Codable, Equatable, Sendable {
        public let path: String
        public let dtype: String
        public let inputSize: Int
        public let hiddenSize: Int
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

    public struct Block: Codable, Equatable, Sendable {
        public let layer: Int
        public let direction: String
        /// Row of h_n (and of grad_norms.npy): layer · D + direction.
        public let row: Int
        public let sigmaMax: Double?
        public let spectralRadius: Double?
        /// Pascanu et al.: with |φ′| ≤ γ (γ = 1 for tanh and relu), σ_max(W_hh) < 1/γ suffices
        /// for the gradient to vanish.
        public let sigmaMaxBelowVanishingBound: Bool?
        /// ln‖∂L/∂h_t‖ at t = T−1 and at t = 0 (from the log-domain probe).
        public let logGradNormLastStep: Double?
        public let logGradNormFirstStep: Double?
        /// Steps whose ln‖∂L/∂h_t‖ is not finite (an exactly zero gradient, or NaN from the data);
        /// the fit leaves them out.
        public let nonFiniteSteps: Int
        /// ln‖∂L/∂h_t‖ against T−1−t, the steps back from the last time step.
        public let decayFit: DecayFit?
    }

    public let tool: String
    public let version: String
    public let model: Model
    public let input: Input
    public let loss: String
    public let blocks: [Block]

    init(request: ModelAnalysis.Request, configuration: RNNConfiguration, dtype: DType, inputArray: TypedArray,
         shape: SequenceShape, probes: [GradientProbe], spectra: [WeightSpectrum], defaultLoss: Bool) {
        tool = "vanish"
        version = ToolVersion.current
        model = Model(path: request.model.path, dtype: "\(dtype)", inputSize: configuration.inputSize,
                      hiddenSize: configuration.hiddenSize, numLayers: configuration.numLayers,
                      nonlinearity: configuration.nonlinearity.rawValue, bias: configuration.bias,
                      bidirectional: configuration.bidirectional, batchFirst: configuration.batchFirst)
        input = Input(path: request.input.path, shape: inputArray.shape, dtype: "\(inputArray.dtype)",
                      sequenceLength: shape.steps, batchSize: shape.batch, unbatched: shape.isUnbatched)
        loss = defaultLoss
            ? "L = sum(G * output), G = 1 at the last time step, 0 elsewhere"
            : "L = sum(G * output), G from \(request.gradOutput?.path ?? "")"
        let steps = shape.steps
        // Distance is counted back from the last time step, where the default loss sits, for
        // every block: a reverse block's gradient also vanishes away from there (through the
        // layers above), so one convention reads the same for both directions.
        let distances = (0..<steps).map { Double(steps - 1 - $0) }
        blocks = zip(probes, spectra).enumerated().map { row, pair in
            let (probe, spectrum) = pair
            let logs = probe.logGradientNorm
            return Block(
                layer: probe.layer, direction: probe.direction == 1 ? "reverse" : "forward", row: row,
                sigmaMax: finite(spectrum.largestSingularValue), spectralRadius: finite(spectrum.spectralRadius),
                sigmaMaxBelowVanishingBound: spectrum.largestSingularValue.isFinite ? spectrum.largestSingularValue < 1 : nil,
                logGradNormLastStep: finite(logs.last!), logGradNormFirstStep: finite(logs.first!),
                nonFiniteSteps: logs.filter { !$0.isFinite }.count,
                decayFit: DecayFit(logNorms: logs, distances: distances))
        }
    }

    /// Pretty-printed JSON with sorted, snake_case keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

private func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
