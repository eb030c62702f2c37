import RealModule
import Recurrence

/// Recall / latching, after Bengio, Simard & Frasconi (1994).
///
/// Step 0 carries the class as a clean one-hot over K inputs; steps 1…T carry Gaussian
/// noise N(0, noise²) on every input and no information. The class is to be named at the
/// last step (label there only, −1 elsewhere); steps = T + 1; cross-entropy.
/// Baseline ln K, chance 1/K.
///
/// The default noise, √0.2 ≈ 0.447 (variance 0.2), is the noise of the latch problem as
/// used by Bengio et al. and by Hochreiter & Schmidhuber's re-examination of it.
public struct RecallTask: SequenceTask {
    /// The default noise standard deviation, √0.2.
    public static let defaultNoise = 0.2.squareRoot()

    public let dependencyLength: Int
    /// K, the number of classes (≥ 2; default 4).
    public let classes: Int
    /// The standard deviation of the noise on steps 1…T (finite, ≥ 0; default √0.2).
    public let noise: Double

    /// - Parameters:
    ///   - sequenceLength: T ≥ 1, the noisy steps after the class.
    ///   - classes: K ≥ 2.
    ///   - noise: the noise standard deviation, finite and ≥ 0.
    public init(
        sequenceLength: Int, classes: Int = 4, noise: Double = RecallTask.defaultNoise
    ) throws(TaskError) {
        try TaskError.check(sequenceLength, atLeast: 1, task: "recall", parameter: "sequence_length")
        try TaskError.check(classes, atLeast: 2, task: "recall", parameter: "classes")
        try TaskError.check(noise, atLeast: 0, task: "recall", parameter: "noise")
        dependencyLength = sequenceLength
        self.classes = classes
        self.noise = noise
    }

    public var name: String { "recall" }
    public var steps: Int { dependencyLength + 1 }
    public var inputSize: Int { classes }
    public var outputSize: Int { classes }
    public var baselineLoss: Double { Double.log(Double(classes)) }
    public var chanceAccuracy: Double? { 1 / Double(classes) }
    public var parameters: [String: TaskParameter] {
        ["classes": .int(classes), "noise": .double(noise)]
    }

    /// Per sample: the class, then (when noise > 0) T·K normal draws, step by step.
    public func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch {
        let (T, N, I) = (steps, size, inputSize)
        var inputs = [Double](repeating: 0, count: T * N * I)
        var labels = [Int](repeating: -1, count: T * N)
        for n in 0..<N {
            let label = generator.nextIndex(below: classes)
            inputs[n * I + label] = 1
            labels[(T - 1) * N + n] = label
            guard noise > 0 else { continue }
            for t in 1..<T {
                for i in 0..<I {
                    inputs[(t * N + n) * I + i] = noise * generator.normal()
                }
            }
        }
        return TaskBatch(
            steps: T, batch: N, inputSize: I, inputs: inputs, target: .classification(labels))
    }
}
