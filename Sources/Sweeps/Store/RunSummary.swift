import Foundation

/// `summary.json` of a run: its outcome and the numbers of record. Written last; a run
/// directory without a summary whose checksums match its files is unfinished.
/// Its JSON form, which also reads summaries of earlier versions, is in RunSummary+Coding.swift,
/// and docs/schema/run-summary.schema.json describes it for other readers (a test holds them together).
public struct RunSummary: Equatable, Sendable {
    public let tool: String
    public let version: String
    public let sourceRevision: String?
    /// The kernel path and the CPU model the run was computed on (`ToolProvenance`); nil in
    /// summaries written before they were recorded.
    public let kernelPath: String?
    public let cpu: String?
    /// FNV-1a 64 of the run's resolved config (config.yaml); nil in older summaries.
    public let configHash: String?
    public let runID: String
    public let experiment: String
    public let variant: String?
    public let seed: UInt64
    public let task: String
    public let sequenceLength: Int
    public let iterations: Int
    /// The iteration at which loss or gradient norm stopped being finite; nil if it never did.
    public let divergedAt: Int?
    /// nil when never evaluated or not finite (then `divergedAt` says when it stopped being).
    public let finalEvalLoss: Double?
    /// Accuracy for classification tasks; nil for regression.
    public let finalEvalAccuracy: Double?
    public let baselineLoss: Double
    public let chanceAccuracy: Double?
    public let success: Bool
    /// Per layer and direction (h_n's row order), at initialization: the decay fit on the
    /// probe batch at iteration 0, and W_hh's spectrum before the first update.
    public let blocksAtStart: [BlockDiagnostics]
    /// The same after training (at the last probed iteration).
    public let blocksAtEnd: [BlockDiagnostics]
    public let wallSeconds: Double
    /// FNV-1a 64 of every other file in the run directory: a mismatch marks the run corrupt.
    public let checksums: [FileChecksum]

    public struct FileChecksum: Codable, Equatable, Sendable {
        public let file: String
        public let fnv1a64: String
    }

    // Spelled so that the snake_case strategies map "run_id" both ways.
    enum CodingKeys: String, CodingKey {
        case tool, version, sourceRevision, kernelPath, cpu, configHash, runID = "runId", experiment, variant, seed, task, sequenceLength, iterations
        case divergedAt, finalEvalLoss, finalEvalAccuracy, baselineLoss, chanceAccuracy, success, blocksAtStart, blocksAtEnd
        case wallSeconds, checksums
    }

    func json() throws -> Data {
        try ToolJSON.encode(self)
    }

    static func decode(_ data: Data) throws -> RunSummary {
        try ToolJSON.decode(RunSummary.self, from: data)
    }
}
