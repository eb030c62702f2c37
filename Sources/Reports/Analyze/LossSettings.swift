import Foundation
import Sweeps

/// `--loss`: the functions PyTorch users train RNN readouts with.
public enum LossFunction: String, Codable, Sendable, CaseIterable {
    /// `F.cross_entropy`: log-softmax, then the mean negative log-likelihood over the targets
    /// that are not -100 (PyTorch's reduction='mean', ignore_index=-100).
    case crossEntropy = "cross-entropy"
    /// `F.mse_loss`: the mean of the squared differences over all elements.
    case mse
}

/// `--loss-steps`: which of the output's time steps the loss scores.
public enum LossSteps: String, Codable, Sendable, CaseIterable {
    /// `output[-1]` (`output[:, -1]` batch-first): the last step, as a sequence classifier scores.
    case last
    /// Every step, as a sequence labeller scores: `fc(output).reshape(-1, K)`.
    case all
}

/// The real loss of a model: L = loss(readout(output), targets), where the readout is an
/// `nn.Linear` of the same file. Its gradient with respect to the output is what backpropagation
/// through time then carries, so that every gradient analyze reports is this loss's.
public struct LossSettings: Equatable, Sendable {
    /// The readout's name in the state_dict: `fc` for `fc.weight` and `fc.bias`.
    public var readout: String
    /// The targets as .npy: class indices for cross-entropy, values for mse.
    public var targets: URL
    public var function: LossFunction
    public var steps: LossSteps

    public init(readout: String, targets: URL, function: LossFunction, steps: LossSteps = .last) {
        self.readout = readout
        self.targets = targets
        self.function = function
        self.steps = steps
    }

    /// The settings from the command's options, which go together: none of them, or
    /// --readout, --targets and --loss (with --loss-steps optional); never beside --grad-output,
    /// which gives ∂L/∂output itself.
    /// - Returns: nil when no loss option is given.
    /// - Throws: `AnalysisError` in one line naming the options that are missing or exclude each other.
    public static func options(
        readout: String?, targets: URL?, function: LossFunction?, steps: LossSteps?, gradOutput: URL?
    ) throws(AnalysisError) -> LossSettings? {
        let given = [readout.map { _ in "--readout" }, targets.map { _ in "--targets" }, function.map { _ in "--loss" },
                     steps.map { _ in "--loss-steps" }].compactMap { $0 }
        guard !given.isEmpty else { return nil }
        if let gradOutput { throw conflict(gradOutput: gradOutput, lossOptions: given) }
        let missing = [readout == nil ? "--readout PREFIX (the nn.Linear on the output, e.g. fc)" : nil,
                       targets == nil ? "--targets Y.npy" : nil,
                       function == nil ? "--loss cross-entropy|mse" : nil].compactMap { $0 }
        guard let readout, let targets, let function else {
            throw AnalysisError("\(given.joined(separator: ", ")) define the loss together with the other options; "
                                + "missing \(missing.joined(separator: ", "))")
        }
        guard !readout.isEmpty else { throw AnalysisError("--readout must name the nn.Linear's prefix, e.g. fc for fc.weight") }
        return LossSettings(readout: readout, targets: targets, function: function, steps: steps ?? .last)
    }

    /// The error for --grad-output given beside the loss options.
    static func conflict(gradOutput: URL, lossOptions: [String]) -> AnalysisError {
        AnalysisError("--grad-output \(gradOutput.path) gives ∂L/∂output itself, and \(lossOptions.joined(separator: ", ")) "
                      + "define a loss instead; use one or the other")
    }
}
