/// One row of metrics.csv: an iteration's training loss, gradient norm and clipping, and the
/// held-out loss and accuracy where it was evaluated.
public struct MetricRow: Equatable, Sendable {
    public let step: Int
    public let trainLoss: Double
    public let gradientNorm: Double
    public let clipped: Bool
    public internal(set) var evalLoss: Double?
    public internal(set) var accuracy: Double?

    init(step: Int, trainLoss: Double, gradientNorm: Double, clipped: Bool,
         evalLoss: Double? = nil, accuracy: Double? = nil) {
        self.step = step
        self.trainLoss = trainLoss
        self.gradientNorm = gradientNorm
        self.clipped = clipped
        self.evalLoss = evalLoss
        self.accuracy = accuracy
    }
}
