import RealModule

/// The Wilson score interval of a success rate (Wilson 1927): unlike p̂ ± z·√(p̂(1−p̂)/n) it
/// stays inside [0, 1] and does not collapse to a point at 0 of n or n of n, which is where
/// a sweep over a few seeds usually is.
struct WilsonInterval: Equatable {
    let lower: Double
    let upper: Double

    /// z of a two-sided 95 % interval, Φ⁻¹(0.975).
    static let z95 = 1.959963984540054

    /// - Precondition: 0 ≤ successes ≤ trials, trials ≥ 1.
    init(successes: Int, trials: Int, z: Double = z95) {
        precondition(trials >= 1 && (0...trials).contains(successes), "\(successes) successes of \(trials) trials")
        let n = Double(trials), rate = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (rate + z2 / (2 * n)) / denominator
        let half = z * (rate * (1 - rate) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At 0 of n the lower end is exactly 0 (and at n of n the upper exactly 1), which
        // rounding would miss by an ulp; elsewhere the ends lie strictly inside [0, 1].
        lower = successes == 0 ? 0 : center - half
        upper = successes == trials ? 1 : center + half
    }
}
