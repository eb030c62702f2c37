import RealModule
import Recurrence

/// Temporal order (Hochreiter & Schmidhuber 1997, task 6a; Pascanu et al. 2013).
///
/// Six symbols, one-hot: distractors a, b, c, d (indices 0–3) and the relevant X, Y (4, 5).
/// Every step carries a random distractor except two: a relevant symbol at t₁, uniform in
/// ⌊T/10⌋…⌊2T/10⌋, and another at t₂, uniform in ⌊5T/10⌋…⌊6T/10⌋. The class, named at the
/// last step (label there only), is their order: XX = 0, XY = 1, YX = 2, YY = 3.
/// steps = T (≥ 2); cross-entropy. Baseline ln 4, chance 1/4. H&S's start and end markers
/// (B, E) are left out: they carry no information, and the network reads to the last step.
public struct TemporalOrderTask: SequenceTask {
    /// The symbols in input order.
    public static let symbolNames = ["a", "b", "c", "d", "X", "Y"]
    /// The classes in label order.
    public static let classNames = ["XX", "XY", "YX", "YY"]

    public let dependencyLength: Int

    /// - Parameter sequenceLength: T ≥ 2, the number of steps.
    public init(sequenceLength: Int) throws(TaskError) {
        try TaskError.check(
            sequenceLength, atLeast: 2, task: "temporal-order", parameter: "sequence_length")
        dependencyLength = sequenceLength
    }

    /// Where the first relevant symbol may fall: ⌊T/10⌋…⌊2T/10⌋.
    public var firstPositions: ClosedRange<Int> { steps / 10...2 * steps / 10 }
    /// Where the second relevant symbol may fall: ⌊5T/10⌋…⌊6T/10⌋.
    public var secondPositions: ClosedRange<Int> { 5 * steps / 10...6 * steps / 10 }

    public var name: String { "temporal-order" }
    public var steps: Int { dependencyLength }
    public var inputSize: Int { 6 }
    public var outputSize: Int { 4 }
    public var baselineLoss: Double { Double.log(4) }
    public var chanceAccuracy: Double? { 0.25 }
    public var parameters: [String: TaskParameter] { [:] }

    /// Per sample, in order: T distractors, t₁, t₂, the first relevant symbol, the second.
    public func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch {
        let (T, N, I) = (steps, size, inputSize)
        var inputs = [Double](repeating: 0, count: T * N * I)
        var labels = [Int](repeating: -1, count: T * N)
        let (first, second) = (firstPositions, secondPositions)
        for n in 0..<N {
            var symbols = (0..<T).map { _ in generator.nextIndex(below: 4) }
            let t1 = first.lowerBound + generator.nextIndex(below: first.count)
            let t2 = second.lowerBound + generator.nextIndex(below: second.count)
            let x1 = generator.nextIndex(below: 2)
            let x2 = generator.nextIndex(below: 2)
            symbols[t1] = 4 + x1
            symbols[t2] = 4 + x2
            for t in 0..<T {
                inputs[(t * N + n) * I + symbols[t]] = 1
            }
            labels[(T - 1) * N + n] = 2 * x1 + x2
        }
        return TaskBatch(
            steps: T, batch: N, inputSize: I, inputs: inputs, target: .classification(labels))
    }
}
