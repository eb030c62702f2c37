import Recurrence

/// What a task asks of the network: one regression at the last step, or a class at some or
/// all steps.
public enum TaskTarget: Equatable, Sendable {
    /// Regression at the last step: values (N × outputSize), sample-major; loss MSE.
    case regression([Double])
    /// Classification: labels (T × N, time-major), −1 where no loss is taken; loss
    /// cross-entropy, the mean over labelled positions.
    case classification([Int])
}

/// One batch of a task: the inputs fed to the RNN and what it must produce.
///
/// Legend: T steps (the full input length), N batch, I input size.
/// `inputs[(t · N + n) · I + i]` is input `i` of sample `n` at step `t`.
public struct TaskBatch: Equatable, Sendable {
    /// T, the full sequence length fed to the RNN (e.g. copy: T + 20).
    public let steps: Int
    /// N, the number of sequences.
    public let batch: Int
    /// I, the width of one input vector.
    public let inputSize: Int
    /// (T, N, I) time-major.
    public let inputs: [Double]
    public let target: TaskTarget

    /// - Precondition: `inputs.count == steps · batch · inputSize`; classification labels
    ///   number `steps · batch`.
    public init(steps: Int, batch: Int, inputSize: Int, inputs: [Double], target: TaskTarget) {
        precondition(inputs.count == steps * batch * inputSize, "inputs must be (T, N, I)")
        if case .classification(let labels) = target {
            precondition(labels.count == steps * batch, "labels must be (T, N)")
        }
        self.steps = steps
        self.batch = batch
        self.inputSize = inputSize
        self.inputs = inputs
        self.target = target
    }
}

/// A synthetic long-term-dependency task generated from a seed. A new task plugs in by
/// implementing this protocol and adding one entry to `TaskCatalog`.
///
/// The baseline is the loss of the best *input-blind* predictor: one that knows the step
/// index but ignores the inputs (adding: always 1; copy: blank, then uniform over the
/// symbols; classification: the class marginal at each labelled step). A network that has
/// not learned the dependency stays at this loss.
public protocol SequenceTask: Sendable {
    /// The catalog name: "adding", "copy", "recall", "temporal-order", "delayed-recall".
    var name: String { get }
    /// The T the user sets (`sequence_length`): the span the network must bridge.
    var dependencyLength: Int { get }
    /// The full input length (e.g. copy: T + 20).
    var steps: Int { get }
    var inputSize: Int { get }
    /// The readout width: 1 for adding, the number of classes otherwise.
    var outputSize: Int { get }
    /// The loss of the best memoryless (input-blind) predictor, the reference for success.
    var baselineLoss: Double { get }
    /// Chance accuracy for classification tasks (nil for regression): the accuracy of the
    /// best input-blind predictor over labelled positions (1/K for a single uniform label).
    var chanceAccuracy: Double? { get }
    /// Every parameter of the task with its resolved value, defaults included (for the
    /// resolved config); `TaskCatalog.make` with these gives back the same task.
    var parameters: [String: TaskParameter] { get }
    /// A batch of `size` sequences drawn from `generator`; the same generator state gives
    /// the same batch.
    func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch
}
