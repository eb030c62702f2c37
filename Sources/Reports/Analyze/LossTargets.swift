import Sweeps
import TensorIO

/// The targets of a loss, checked against the input's layout and the readout's K and put in
/// the order of the output rows the loss scores: per sample for `.last`, per output row (the
/// output's own order, time- or batch-major) for `.all`.
///
/// Cross-entropy takes class indices, int64 or int32 as `np.save(y.numpy())` writes them;
/// float arrays are refused, as `F.cross_entropy` would read floats of these shapes as class
/// probabilities, which are not supported. mse takes float32 or float64 values.
enum LossTargets {
    /// Class indices in 0..<K, or -100 for a target that does not count.
    case classes([Int])
    /// One row of K values per scored output row.
    case values([Double])

    /// PyTorch's ignore_index: a class index that adds nothing to the loss or its mean.
    static let ignoredClass = -100

    /// - Throws: `AnalysisError` naming the file: another shape than the layout implies, a
    ///   dtype the function does not take, a class index out of range (with its position), or
    ///   every target ignored.
    init(_ array: TypedArray, path: String, function: LossFunction, steps: LossSteps, shape: SequenceShape,
         classes: Int) throws(AnalysisError) {
        let expected = Self.expectedShape(function: function, steps: steps, shape: shape, classes: classes)
        guard array.shape == expected.shape else {
            throw AnalysisError("\(path): targets have shape \(array.shape), expected \(expected.shape) "
                                + "(\(expected.meaning)) for --loss \(function.rawValue) --loss-steps \(steps.rawValue) on this input")
        }
        switch (function, array.storage) {
        case (.crossEntropy, .int64(let values)):
            self = try .classes(Self.checkedClasses(values.map { Int($0) }, shape: array.shape, path: path, classes: classes))
        case (.crossEntropy, .int32(let values)):
            self = try .classes(Self.checkedClasses(values.map { Int($0) }, shape: array.shape, path: path, classes: classes))
        case (.crossEntropy, _):
            throw AnalysisError("\(path): cross-entropy targets must be class indices, int64 or int32, got "
                                + "\(array.dtype.npyDescr) (class probabilities are not supported; save y.long())")
        case (.mse, .float32(let values)): self = .values(values.map { Double($0) })
        case (.mse, .float64(let values)): self = .values(values)
        case (.mse, _):
            throw AnalysisError("\(path): mse targets must be float32 or float64, got \(array.dtype.npyDescr)")
        }
    }

    /// How many terms the mean is over: the counted class indices, or every value.
    var termCount: Int {
        switch self {
        case .classes(let labels): labels.count { $0 != Self.ignoredClass }
        case .values(let values): values.count
        }
    }

    /// The targets' shape for the input's layout, and what its axes are.
    private static func expectedShape(function: LossFunction, steps: LossSteps, shape: SequenceShape,
                                      classes: Int) -> (shape: [Int], meaning: String) {
        var (dimensions, names): ([Int], [String]) = switch (steps, shape.isUnbatched, shape.batchFirst) {
        case (.last, true, _): ([], [])
        case (.last, false, _): ([shape.batch], ["N"])
        case (.all, true, _): ([shape.steps], ["T"])
        case (.all, false, false): ([shape.steps, shape.batch], ["T", "N"])
        case (.all, false, true): ([shape.batch, shape.steps], ["N", "T"])
        }
        if function == .mse {
            dimensions.append(classes)
            names.append("K")
        }
        let meaning = names.isEmpty ? "one class index, the input being unbatched" : names.joined(separator: ", ")
        return (dimensions, meaning + (function == .crossEntropy && !names.isEmpty ? " class indices" : ""))
    }

    /// The indices, each in 0..<K or -100, and at least one counted.
    private static func checkedClasses(_ labels: [Int], shape: [Int], path: String, classes: Int) throws(AnalysisError) -> [Int] {
        if let bad = labels.firstIndex(where: { ($0 < 0 || $0 >= classes) && $0 != ignoredClass }) {
            throw AnalysisError("\(path): class index \(labels[bad]) at position \(position(of: bad, in: shape)) is outside "
                                + "0..<\(classes) (the readout has \(classes) outputs; \(ignoredClass) marks a target to ignore)")
        }
        guard labels.contains(where: { $0 != ignoredClass }) else {
            throw AnalysisError("\(path): every target is \(ignoredClass) (ignored), so the mean cross-entropy is over "
                                + "nothing; PyTorch would give NaN")
        }
        return labels
    }

    /// The index of element `flat` of a C-order array, as NumPy writes it: `[3, 1]`, or `[]` for a scalar.
    private static func position(of flat: Int, in shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
