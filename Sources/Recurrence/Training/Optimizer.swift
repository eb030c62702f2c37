/// A first-order optimizer on one flat parameter buffer, with `torch.optim`'s update rules
/// and defaults.
///
/// Its state (momentum, moment estimates) is allocated once for a buffer of `count`
/// elements. The update is elementwise, so a model kept in several buffers (an RNN's
/// parameters and its readout's) takes one optimizer per buffer with the same numbers as
/// PyTorch's single optimizer over all of them.
public protocol Optimizer<Scalar> {
    associatedtype Scalar: RNNScalar

    /// The step size; may be changed between steps (a schedule).
    var learningRate: Double { get set }

    /// The number of parameters the state is for.
    var count: Int { get }

    /// Updates `parameters` in place from their gradients (the state advances one step).
    /// Invariant: both buffers hold `count` elements.
    mutating func step(_ parameters: inout [Scalar], _ gradients: [Scalar])
}

extension Optimizer {
    func checkCounts(_ parameters: [Scalar], _ gradients: [Scalar]) {
        precondition(parameters.count == count && gradients.count == count,
                     "\(Self.self) holds state for \(count) parameters; got \(parameters.count) parameters and \(gradients.count) gradients")
    }
}

/// The hyperparameter checks PyTorch's optimizers make, as `RNNError`s naming the optimizer.
enum OptimizerCheck {
    static func count(_ count: Int, _ optimizer: String) throws(RNNError) {
        guard count >= 0 else { throw RNNError("\(optimizer): parameter count must be at least 0, got \(count)") }
    }

    static func atLeastZero(_ value: Double, _ name: String, _ optimizer: String) throws(RNNError) {
        guard value.isFinite, value >= 0 else {
            throw RNNError("\(optimizer): \(name) must be a finite number at least 0, got \(value)")
        }
    }

    static func belowOne(_ value: Double, _ name: String, _ optimizer: String) throws(RNNError) {
        guard value >= 0, value < 1 else {
            throw RNNError("\(optimizer): \(name) must be in [0, 1), got \(value)")
        }
    }
}
