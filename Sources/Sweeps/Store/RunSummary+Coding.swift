import Foundation
import Theory

extension RunSummary: Codable {
    /// Every key, a nil optional as null (`ToolJSON`'s policy), so that readers find each
    /// field in every summary.
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(tool, forKey: .tool)
        try values.encode(version, forKey: .version)
        try values.encode(sourceRevision, forKey: .sourceRevision)
        try values.encode(kernelPath, forKey: .kernelPath)
        try values.encode(cpu, forKey: .cpu)
        try values.encode(configHash, forKey: .configHash)
        try values.encode(runID, forKey: .runID)
        try values.encode(experiment, forKey: .experiment)
        try values.encode(variant, forKey: .variant)
        try values.encode(seed, forKey: .seed)
        try values.encode(task, forKey: .task)
        try values.encode(sequenceLength, forKey: .sequenceLength)
        try values.encode(iterations, forKey: .iterations)
        try values.encode(divergedAt, forKey: .divergedAt)
        try values.encode(finalEvalLoss, forKey: .finalEvalLoss)
        try values.encode(finalEvalAccuracy, forKey: .finalEvalAccuracy)
        try values.encode(baselineLoss, forKey: .baselineLoss)
        try values.encode(chanceAccuracy, forKey: .chanceAccuracy)
        try values.encode(success, forKey: .success)
        try values.encode(blocksAtStart, forKey: .blocksAtStart)
        try values.encode(blocksAtEnd, forKey: .blocksAtEnd)
        try values.encode(wallSeconds, forKey: .wallSeconds)
        try values.encode(checksums, forKey: .checksums)
    }

    /// Reads a summary, also one written by vanish 0.1.0, whose `blocks` held each layer and
    /// direction's start and end values side by side (`sigma_max_start`, `decay_fit_end`, …),
    /// so that existing run stores stay valid.
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        tool = try values.decode(String.self, forKey: .tool)
        version = try values.decode(String.self, forKey: .version)
        sourceRevision = try values.decodeIfPresent(String.self, forKey: .sourceRevision)
        kernelPath = try values.decodeIfPresent(String.self, forKey: .kernelPath)
        cpu = try values.decodeIfPresent(String.self, forKey: .cpu)
        configHash = try values.decodeIfPresent(String.self, forKey: .configHash)
        runID = try values.decode(String.self, forKey: .runID)
        experiment = try values.decode(String.self, forKey: .experiment)
        variant = try values.decodeIfPresent(String.self, forKey: .variant)
        seed = try values.decode(UInt64.self, forKey: .seed)
        task = try values.decode(String.self, forKey: .task)
        sequenceLength = try values.decode(Int.self, forKey: .sequenceLength)
        iterations = try values.decode(Int.self, forKey: .iterations)
        divergedAt = try values.decodeIfPresent(Int.self, forKey: .divergedAt)
        // Earlier versions wrote a non-finite loss as a string ("nan"); now it is null.
        finalEvalLoss = try values.decodeIfPresent(Double.self, forKey: .finalEvalLoss)?.finiteOrNil
        finalEvalAccuracy = try values.decodeIfPresent(Double.self, forKey: .finalEvalAccuracy)?.finiteOrNil
        baselineLoss = try values.decode(Double.self, forKey: .baselineLoss)
        chanceAccuracy = try values.decodeIfPresent(Double.self, forKey: .chanceAccuracy)
        success = try values.decode(Bool.self, forKey: .success)
        wallSeconds = try values.decode(Double.self, forKey: .wallSeconds)
        checksums = try values.decode([FileChecksum].self, forKey: .checksums)
        if !values.contains(.blocksAtStart),
           let blocks = try decoder.container(keyedBy: LegacyKeys.self).decodeIfPresent([LegacyBlock].self, forKey: .blocks) {
            blocksAtStart = blocks.map(\.start)
            blocksAtEnd = blocks.map(\.end)
        } else {
            blocksAtStart = try values.decode([BlockDiagnostics].self, forKey: .blocksAtStart)
            blocksAtEnd = try values.decode([BlockDiagnostics].self, forKey: .blocksAtEnd)
        }
    }

    private enum LegacyKeys: String, CodingKey {
        case blocks
    }

    /// A block as vanish 0.1.0 wrote it.
    private struct LegacyBlock: Decodable {
        let layer: Int
        let direction: BlockDiagnostics.Direction
        let sigmaMaxStart: Double?
        let sigmaMaxEnd: Double?
        let spectralRadiusStart: Double?
        let spectralRadiusEnd: Double?
        let decayFitStart: DecayFit?
        let decayFitEnd: DecayFit?

        var start: BlockDiagnostics {
            BlockDiagnostics(layer: layer, direction: direction, sigmaMax: sigmaMaxStart, spectralRadius: spectralRadiusStart,
                             decayFit: decayFitStart, gates: [])
        }

        var end: BlockDiagnostics {
            BlockDiagnostics(layer: layer, direction: direction, sigmaMax: sigmaMaxEnd, spectralRadius: spectralRadiusEnd,
                             decayFit: decayFitEnd, gates: [])
        }
    }
}
