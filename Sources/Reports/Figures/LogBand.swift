import RealModule

/// Seed statistics of log-norm curves, taken in log space as norms spanning many decades must
/// be: at each index the exp of the mean log, and the min–max range, over the finite values.
struct LogBand {
    let mean: [Double]
    let lower: [Double]
    let upper: [Double]

    /// - Parameter curves: ln‖·‖ per seed, aligned by index; the band is as long as the shortest.
    init(_ curves: [[Double]]) {
        let count = curves.map(\.count).min() ?? 0
        var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for i in 0..<count {
            let values = curves.map { $0[i] }.filter(\.isFinite)
            guard let low = values.min(), let high = values.max() else {
                mean.append(.nan)
                lower.append(.nan)
                upper.append(.nan)
                continue
            }
            mean.append(Double.exp(values.reduce(0, +) / Double(values.count)))
            lower.append(Double.exp(low))
            upper.append(Double.exp(high))
        }
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }
}
