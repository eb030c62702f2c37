import RealModule

/// A least-squares line through ln‖∂L/∂h‖ against the distance (in steps) back from the
/// loss: the per-step rate at which the gradient vanishes (slope < 0) or explodes (> 0).
public struct DecayFit: Equatable, Sendable, Codable {
    /// d ln‖∂L/∂h‖ / d(distance), in nats per step.
    public let logSlopePerStep: Double
    /// e^slope: the factor the gradient is multiplied by per step back.
    public let factorPerStep: Double
    /// Fraction of the variance of ln‖∂L/∂h‖ the line explains (1 when it is exactly linear).
    public let rSquared: Double
    /// How many steps entered the fit (those with a finite logarithm).
    public let fittedSteps: Int

    /// Fits ln‖∂L/∂h_t‖ for t = 0..<T against the steps back from the last one, T−1−t: the
    /// distance from a loss at the last step, the convention of every summary.
    public init?(backFromLastStep logNorms: [Double]) {
        self.init(logNorms: logNorms, distances: logNorms.indices.map { Double(logNorms.count - 1 - $0) })
    }

    /// Fits the finite points; nil when fewer than two remain, the distances do not vary, or
    /// the line's numbers are not finite (a slope beyond ±709 nats per step).
    public init?(logNorms: [Double], distances: [Double]) {
        let points = zip(distances, logNorms).filter { $0.0.isFinite && $0.1.isFinite }
        guard points.count >= 2 else { return nil }
        let count = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / count
        let meanY = points.map(\.1).reduce(0, +) / count
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (x, y) in points {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
            syy += (y - meanY) * (y - meanY)
        }
        let slope = sxy / sxx
        guard sxx > 0, slope.isFinite, Double.exp(slope).isFinite else { return nil }
        logSlopePerStep = slope
        factorPerStep = Double.exp(slope)
        rSquared = syy > 0 ? sxy * sxy / (sxx * syy) : 1
        fittedSteps = points.count
    }
}
