@testable import Reports
import Testing

@Suite("Wilson score interval")
struct WilsonIntervalTests {
    /// Values of the closed form computed apart from this code, to 5 decimals (statsmodels'
    /// proportion_confint(7, 20, method="wilson") gives the same 0.1812, 0.5671).
    @Test("matches the closed form at 0, some and all successes", arguments: [
        (0, 5, 0.0, 0.43448),
        (1, 5, 0.03622, 0.62447),
        (4, 5, 0.37553, 0.96378),
        (5, 5, 0.56552, 1.0),
        (7, 20, 0.18119, 0.56715),
    ])
    func closedForm(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = WilsonInterval(successes: successes, trials: trials)
        #expect(abs(interval.lower - lower) < 1e-5, "\(interval)")
        #expect(abs(interval.upper - upper) < 1e-5, "\(interval)")
    }

    @Test("k of n and n − k of n mirror each other, and the interval holds the rate")
    func symmetry() {
        for trials in 1...12 {
            for successes in 0...trials {
                let interval = WilsonInterval(successes: successes, trials: trials)
                let mirror = WilsonInterval(successes: trials - successes, trials: trials)
                #expect(abs(interval.lower - (1 - mirror.upper)) < 1e-12)
                let rate = Double(successes) / Double(trials)
                #expect(interval.lower <= rate && rate <= interval.upper)
            }
        }
    }
}
