import Foundation
import Recurrence
import Theory

/// `summary.json` of a run: its outcome and the numbers of record. Written last; a run
/// directory without a summary whose checksums match its files is unfinished.
public struct RunSummary: Codable, Equatable, Sendable {
    public struct Block: Codable, Equatable, Sendable {
        public let layer: Int
        public let direction: String
        public let sigmaMaxStart: Double?
        public let sigmaMaxEnd: Double?
        public let spectralRadiusStart: Double?
        public let spectralRadiusEnd: Double?
        /// ln‖∂L/∂h_t‖ against T−1−t on the probe batch, at initialization and after training.
        public let decayFitStart: DecayFit?
        public let decayFitEnd: DecayFit?
    }

    public let tool: String
    public let version: String
    public let sourceRevision: String?
    public let runID: String
    public let experiment: String
    public let variant: String?
    public let seed: UInt64
    public let task: String
    public let sequenceLength: Int
    public let iterations: Int
    /// The iteration at which loss or gradient norm stopped being finite; nil if it never did.
    public let divergedAt: Int?
    public let finalEvalLoss: Double?
    /// Accuracy for classification tasks; nil for regression.
    public let finalEvalAccuracy: Double?
    public let baselineLoss: Double
    public let chanceAccuracy: Double?
    public let success: Bool
    public let blocks: [Block]
    public let wallSeconds: Double
    /// FNV-1a 64 of every other file in the run directory: a mismatch marks the run corrupt.
    public let checksums: [FileChecksum]

    public struct FileChecksum: Codable, Equatable, Sendable {
        public let file: String
        public let fnv1a64: String
    }

    // Spelled so that the snake_case strategies map "run_id" both ways.
    enum CodingKeys: String, CodingKey {
        case tool, version, sourceRevision, runID = "runId", experiment, variant, seed, task, sequenceLength, iterations
        case divergedAt, finalEvalLoss, finalEvalAccuracy, baselineLoss, chanceAccuracy, success, blocks, wallSeconds
        case checksums
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    static func decode(_ data: Data) throws -> RunSummary {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(RunSummary.self, from: data)
    }
}
