import Recurrence

/// The adding problem in its modern form (Le, Jaitly & Hinton 2015; Arjovsky et al. 2016).
///
/// Each of the T steps carries two inputs: a value ~ U[0, 1) and a marker ∈ {0, 1}. Exactly
/// one marker is set in the first half (steps 0..<T/2) and one in the second (T/2..<T);
/// the target at the last step is the sum of the two marked values; loss MSE.
/// Baseline: always predicting 1 gives Var(U₁ + U₂) = 1/6.
/// Requires T ≥ 2; no parameters besides the length.
public struct AddingTask: SequenceTask {
    public let dependencyLength: Int

    /// - Parameter sequenceLength: T ≥ 2, the number of steps.
    public init(sequenceLength: Int) throws(TaskError) {
        try TaskError.check(
            sequenceLength, atLeast: 2, task: "adding", parameter: "sequence_length")
        dependencyLength = sequenceLength
    }

    public var name: String { "adding" }
    public var steps: Int { dependencyLength }
    public var inputSize: Int { 2 }
    public var outputSize: Int { 1 }
    public var baselineLoss: Double { 1.0 / 6.0 }
    public var chanceAccuracy: Double? { nil }
    public var parameters: [String: TaskParameter] { [:] }

    /// Per sample, in order: the T values, then the marker in the first half, then the one
    /// in the second half.
    public func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch {
        let (T, N, I) = (steps, size, inputSize)
        let half = T / 2
        var inputs = [Double](repeating: 0, count: T * N * I)
        var targets = [Double](repeating: 0, count: N)
        for n in 0..<N {
            for t in 0..<T {
                inputs[(t * N + n) * I] = generator.nextUnit()
            }
            let first = generator.nextIndex(below: half)
            let second = half + generator.nextIndex(below: T - half)
            for t in [first, second] {
                inputs[(t * N + n) * I + 1] = 1
                targets[n] += inputs[(t * N + n) * I]
            }
        }
        return TaskBatch(
            steps: T, batch: N, inputSize: I, inputs: inputs, target: .regression(targets))
    }
}
