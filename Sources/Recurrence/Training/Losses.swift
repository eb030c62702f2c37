import RealModule

/// How a loss combines its terms, as PyTorch's `reduction` argument.
public enum Reduction: String, Equatable, Sendable, Codable {
    /// The mean over the terms that count (PyTorch's default).
    case mean
    /// The sum of the terms (e.g. Σ_t −log p(y_t) over a sequence).
    case sum
}

/// Losses with their gradients: each returns the loss (accumulated in Double) and
/// ∂loss/∂input in the input's layout, ready for the readout's backward.
///
/// Shapes: M rows, C classes.
public enum Losses {
    /// `nn.MSELoss`: Σ (prediction − target)² over all elements, divided by their count for
    /// `.mean`; gradient 2 (prediction − target) / count (or without the division for `.sum`).
    /// - Throws: `RNNError` if the two counts differ or there are no elements.
    public static func meanSquaredError<S: RNNScalar>(
        prediction: [S], target: [S], reduction: Reduction = .mean
    ) throws(RNNError) -> (loss: Double, gradient: [S]) {
        guard prediction.count == target.count else {
            throw RNNError("mean squared error: prediction has \(prediction.count) values, target \(target.count)")
        }
        guard !prediction.isEmpty else { throw RNNError("mean squared error: no values to compare") }
        let scale = reduction == .mean ? 1 / Double(prediction.count) : 1
        var loss = 0.0
        var gradient = [S](repeating: 0, count: prediction.count)
        for i in prediction.indices {
            let difference = Double(prediction[i]) - Double(target[i])
            loss += difference * difference
            gradient[i] = S(2 * difference * scale)
        }
        return (loss * scale, gradient)
    }

    /// `nn.CrossEntropyLoss` on logits (M × C): −log softmax(logits)[label] per row, by a
    /// log-sum-exp shifted by the row's maximum (finite for any finite logits), combined
    /// over the rows whose label is not −1. A label of −1 ignores its row (gradient 0), as
    /// `ignore_index`. The gradient is (softmax − onehot(label)) per row, divided by the
    /// number of counted rows for `.mean`.
    ///
    /// `correct` counts the counted rows whose argmax (the first largest logit) is the label;
    /// `counted` is the number of rows with a label. When every row is ignored the loss is 0
    /// (PyTorch gives NaN), so that a batch with nothing to score does not read as divergence.
    /// Non-finite logits give a NaN or infinite loss.
    /// - Throws: `RNNError` if C < 1, logits are not M × C for the M labels, or a label is
    ///   neither −1 nor in 0..<C (the message names the row).
    public static func crossEntropy<S: RNNScalar>(
        logits: [S], labels: [Int], classes: Int, reduction: Reduction = .mean
    ) throws(RNNError) -> (loss: Double, gradient: [S], correct: Int, counted: Int) {
        guard classes >= 1 else { throw RNNError("cross-entropy: classes must be at least 1, got \(classes)") }
        guard logits.count == labels.count * classes else {
            throw RNNError("cross-entropy: expected \(labels.count)×\(classes) = \(labels.count * classes) logits for \(labels.count) labels, got \(logits.count)")
        }
        for (row, label) in labels.enumerated() where label < -1 || label >= classes {
            throw RNNError("cross-entropy: label \(label) in row \(row) is outside 0..<\(classes) (−1 marks an ignored row)")
        }
        let counted = labels.count(where: { $0 >= 0 })
        var gradient = [S](repeating: 0, count: logits.count)
        guard counted > 0 else { return (0, gradient, 0, 0) }
        let scale = reduction == .mean ? 1 / Double(counted) : 1

        var loss = 0.0
        var correct = 0
        var probabilities = [Double](repeating: 0, count: classes)
        for (row, label) in labels.enumerated() where label >= 0 {
            let base = row * classes
            // The first largest logit: the argmax and the shift of the log-sum-exp.
            var best = 0
            var largest = Double(logits[base])
            for c in 1..<classes {
                let z = Double(logits[base + c])
                if z > largest || (z.isNaN && !largest.isNaN) { largest = z; best = c }
            }
            if best == label { correct += 1 }
            var total = 0.0
            for c in 0..<classes {
                probabilities[c] = Double.exp(Double(logits[base + c]) - largest)
                total += probabilities[c]
            }
            let logSumExp = largest + Double.log(total)
            loss += logSumExp - Double(logits[base + label])
            for c in 0..<classes {
                let p = probabilities[c] / total
                gradient[base + c] = S((c == label ? p - 1 : p) * scale)
            }
        }
        return (loss * scale, gradient, correct, counted)
    }
}
