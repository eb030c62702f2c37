import RealModule
import Recurrence

/// Copy memory (Arjovsky, Shah & Bengio 2016).
///
/// Input, one-hot over `symbols + 2` classes (the symbols 0..<K, blank K, delimiter K+1):
/// `length` random symbols, then T − 1 blanks, a delimiter, then `length` blanks;
/// steps = T + 2·length. Target, over K + 1 classes: blank at every step except the last
/// `length`, which must reproduce the symbols in order; cross-entropy over all steps.
/// Baseline (blank where it is certain, uniform over the symbols at the end):
/// length·ln K / (T + 2·length), i.e. 10·ln 8 / (T + 20) by default.
public struct CopyTask: SequenceTask {
    public let dependencyLength: Int
    /// K, the number of symbol categories (≥ 2; default 8).
    public let symbols: Int
    /// How many symbols to copy (≥ 1; default 10).
    public let length: Int

    /// - Parameters:
    ///   - sequenceLength: T ≥ 1, the blanks between the symbols and the delimiter plus one.
    ///   - symbols: K ≥ 2.
    ///   - length: the number of symbols to copy, ≥ 1.
    public init(sequenceLength: Int, symbols: Int = 8, length: Int = 10) throws(TaskError) {
        try TaskError.check(sequenceLength, atLeast: 1, task: "copy", parameter: "sequence_length")
        try TaskError.check(symbols, atLeast: 2, task: "copy", parameter: "symbols")
        try TaskError.check(length, atLeast: 1, task: "copy", parameter: "length")
        dependencyLength = sequenceLength
        self.symbols = symbols
        self.length = length
    }

    /// The blank's class and input index.
    public var blank: Int { symbols }
    /// The delimiter's input index (it is never a target).
    public var delimiter: Int { symbols + 1 }

    public var name: String { "copy" }
    public var steps: Int { dependencyLength + 2 * length }
    public var inputSize: Int { symbols + 2 }
    public var outputSize: Int { symbols + 1 }
    public var baselineLoss: Double { Double(length) * Double.log(Double(symbols)) / Double(steps) }
    /// Accuracy of always predicting blank then any symbol: (T + length + length/K)/(T + 2·length).
    public var chanceAccuracy: Double? {
        (Double(dependencyLength + length) + Double(length) / Double(symbols)) / Double(steps)
    }
    public var parameters: [String: TaskParameter] {
        ["symbols": .int(symbols), "length": .int(length)]
    }

    /// Per sample: the `length` symbols in order.
    public func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch {
        let (T, N, I) = (steps, size, inputSize)
        var inputs = [Double](repeating: 0, count: T * N * I)
        var labels = [Int](repeating: blank, count: T * N)
        let delimiterStep = length + dependencyLength - 1
        for n in 0..<N {
            for t in 0..<T {
                inputs[(t * N + n) * I + blank] = 1
            }
            for t in 0..<length {
                let symbol = generator.nextIndex(below: symbols)
                inputs[(t * N + n) * I + blank] = 0
                inputs[(t * N + n) * I + symbol] = 1
                labels[(T - length + t) * N + n] = symbol
            }
            inputs[(delimiterStep * N + n) * I + blank] = 0
            inputs[(delimiterStep * N + n) * I + delimiter] = 1
        }
        return TaskBatch(
            steps: T, batch: N, inputSize: I, inputs: inputs, target: .classification(labels))
    }
}
