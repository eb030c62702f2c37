import Recurrence

/// One row of metrics.csv: an iteration's training loss, gradient norm and clipping, and the
/// held-out loss and accuracy where it was evaluated.
struct MetricRow {
    let step: Int
    let trainLoss: Double
    let gradientNorm: Double
    let clipped: Bool
    var evalLoss: Double?
    var accuracy: Double?

    init(step: Int, trainLoss: Double, gradientNorm: Double, clipped: Bool) {
        self.step = step
        self.trainLoss = trainLoss
        self.gradientNorm = gradientNorm
        self.clipped = clipped
    }
}
