import Theory
import Testing

@Suite("Decay fit")
struct DecayFitTests {
    @Test("recovers an exact exponential decay and skips non-finite points")
    func exactLine() throws {
        let distances = (0..<50).map(Double.init)
        var logs = distances.map { 2 - 0.55 * $0 }
        logs[10] = -.infinity
        logs[20] = .nan
        let fit = try #require(DecayFit(logNorms: logs, distances: distances))
        #expect((fit.logSlopePerStep + 0.55).magnitude < 1e-12)
        #expect((fit.factorPerStep - Double.exp(-0.55)).magnitude < 1e-12)
        #expect(fit.fittedSteps == 48)
        #expect((fit.rSquared - 1).magnitude < 1e-12)
    }

    @Test("no fit from fewer than two finite points")
    func tooFewPoints() {
        #expect(DecayFit(logNorms: [1, -.infinity], distances: [0, 1]) == nil)
        #expect(DecayFit(logNorms: [1, 2], distances: [3, 3]) == nil)
    }
}
