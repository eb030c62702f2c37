import Recurrence
import Testing

@Suite("Training kit: losses")
struct LossesTrainingKitTests {
    @Test("mean squared error: value and gradient by hand, in Float and Double; sum reduction")
    func meanSquaredErrorByHand() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            let (loss, gradient) = try Losses.meanSquaredError(prediction: [1, 2, 3] as [S], target: [0, 2, 5])
            #expect((loss - 5.0 / 3).magnitude < 1e-12)
            #expect(gradient == [S(2.0 / 3), 0, S(-4.0 / 3)])
            let summed = try Losses.meanSquaredError(prediction: [1, 2, 3] as [S], target: [0, 2, 5], reduction: .sum)
            #expect(summed.loss == 5 && summed.gradient == [2, 0, -4])
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("mean squared error gradient by central finite differences")
    func meanSquaredErrorFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 31)
        let prediction = TrainingKit.normals(12, &generator), target = TrainingKit.normals(12, &generator)
        let gradient = try Losses.meanSquaredError(prediction: prediction, target: target).gradient
        for i in prediction.indices {
            let numeric = try TrainingKit.centralDifference(prediction, i) { try Losses.meanSquaredError(prediction: $0, target: target).loss }
            #expect((numeric - gradient[i]).magnitude < 1e-8, "[\(i)]: finite difference \(numeric), gradient \(gradient[i])")
        }
        #expect(throws: RNNError.self) { try Losses.meanSquaredError(prediction: [1.0, 2], target: [1.0]) }
        #expect(throws: RNNError.self) { try Losses.meanSquaredError(prediction: [Double](), target: []) }
    }

    @Test("cross-entropy: value by hand (−log softmax), argmax and counts")
    func crossEntropyByHand() throws {
        // Row 0: logits [0, ln 2, ln 5]: p = [1/8, 2/8, 5/8], label 2 → −ln(5/8); argmax 2, correct.
        // Row 1: logits [3, 1, 1], label 1 → −ln(e/(e³ + 2e)); argmax 0, wrong.
        let logits: [Double] = [0, Double.log(2), Double.log(5), 3, 1, 1]
        let result = try Losses.crossEntropy(logits: logits, labels: [2, 1], classes: 3)
        let e = Double.exp(1.0)
        let expected = (-Double.log(5.0 / 8) - Double.log(e / (e * e * e + 2 * e))) / 2
        #expect((result.loss - expected).magnitude < 1e-12)
        #expect(result.correct == 1 && result.counted == 2)
        #expect(TrainingKit.maxDifference(Array(result.gradient[0..<3]), [1.0 / 16, 2.0 / 16, -3.0 / 16]) < 1e-12)
        // Each row's gradient sums to 0 (softmax − onehot).
        #expect(result.gradient[3..<6].reduce(0, +).magnitude < 1e-12)
        let summed = try Losses.crossEntropy(logits: logits, labels: [2, 1], classes: 3, reduction: .sum)
        #expect((summed.loss - 2 * expected).magnitude < 1e-12)
        #expect(TrainingKit.maxDifference(summed.gradient, result.gradient.map { 2 * $0 }) < 1e-12)
    }

    @Test("cross-entropy gradient by central finite differences, with ignored rows")
    func crossEntropyFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 32)
        let (rows, classes) = (6, 4)
        let logits = TrainingKit.normals(rows * classes, &generator).map { 3 * $0 }
        let labels = [2, -1, 0, 3, -1, 1]
        let result = try Losses.crossEntropy(logits: logits, labels: labels, classes: classes)
        #expect(result.counted == 4)
        for i in logits.indices {
            let numeric = try TrainingKit.centralDifference(logits, i) {
                try Losses.crossEntropy(logits: $0, labels: labels, classes: classes).loss
            }
            #expect((numeric - result.gradient[i]).magnitude < 1e-8, "[\(i)]: finite difference \(numeric), gradient \(result.gradient[i])")
        }
        // Ignored rows: zero gradient, and the loss is the mean over the other rows.
        #expect(result.gradient[4..<8].allSatisfy { $0 == 0 } && result.gradient[16..<20].allSatisfy { $0 == 0 })
        let kept = [0, 2, 3, 5]
        let only = try Losses.crossEntropy(logits: kept.flatMap { logits[$0 * 4..<$0 * 4 + 4] }, labels: kept.map { labels[$0] }, classes: classes)
        #expect((only.loss - result.loss).magnitude < 1e-12)
        // Every row ignored: nothing to score, loss 0 rather than NaN.
        let none = try Losses.crossEntropy(logits: logits, labels: [Int](repeating: -1, count: rows), classes: classes)
        #expect(none.loss == 0 && none.counted == 0 && none.gradient.allSatisfy { $0 == 0 })
    }

    @Test("cross-entropy is stable for logits of ±1e4, in Float and Double")
    func crossEntropyStable() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            let logits: [S] = [10_000, -10_000, 0, -10_000, 10_000, 10_000]
            let right = try Losses.crossEntropy(logits: logits, labels: [0, 1], classes: 3)
            // Row 0: loss 0; row 1: two tied maxima → ln 2. Mean ln(2)/2.
            #expect((right.loss - Double.log(2) / 2).magnitude < 1e-6)
            #expect(right.gradient.allSatisfy { $0.isFinite })
            #expect(right.correct == 2)  // row 1: the first of the tied maxima is label 1
            let wrong = try Losses.crossEntropy(logits: logits, labels: [1, 0], classes: 3)
            #expect(((wrong.loss - (20_000 + 20_000 + Double.log(2)) / 2) / wrong.loss).magnitude < 1e-6)
            #expect(wrong.gradient.allSatisfy { $0.isFinite } && wrong.correct == 0)
            // The gradient saturates at softmax − onehot: −1/2 on row 0's label (mean over 2 rows).
            #expect((Double(wrong.gradient[1]) + 0.5).magnitude < 1e-6 && (Double(wrong.gradient[0]) - 0.5).magnitude < 1e-6)
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("labels out of range are errors naming the row; shapes are checked")
    func crossEntropyErrors() throws {
        let logits: [Float] = [0, 1, 2, 3, 4, 5]
        #expect(throws: RNNError("cross-entropy: label 3 in row 1 is outside 0..<3 (−1 marks an ignored row)")) {
            try Losses.crossEntropy(logits: logits, labels: [0, 3], classes: 3)
        }
        #expect(throws: RNNError.self) { try Losses.crossEntropy(logits: logits, labels: [-2, 0], classes: 3) }
        #expect(throws: RNNError.self) { try Losses.crossEntropy(logits: logits, labels: [0, 1, 2], classes: 3) }
        #expect(throws: RNNError.self) { try Losses.crossEntropy(logits: logits, labels: [], classes: 0) }
    }

    @Test("non-finite logits give a non-finite loss (the trainer's divergence signal)")
    func crossEntropyNonFinite() throws {
        let result = try Losses.crossEntropy(logits: [0, .nan, 1] as [Double], labels: [0], classes: 3)
        #expect(result.loss.isNaN)
    }
}
