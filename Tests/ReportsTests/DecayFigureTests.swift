@testable import Reports
import Foundation
import Plot
import Testing

/// Figure 1's line patterns: curves that run on top of each other must not hide one another.
@Suite("Decay figure line patterns")
struct DecayFigureTests {
    private func decay(_ factor: Double, steps: Int = 200) -> [Double] { (0..<steps).map { pow(factor, Double($0)) } }

    @Test("a curve on top of an earlier one for most of its length takes the next pattern; distinct curves keep theirs")
    func coincidingCurves() {
        // tanh-orthogonal ×0.897 and tanh-xavier ×0.891 drift only 0.6 decades apart in 200 steps.
        let curves = [decay(0.897), decay(0.588), decay(0.891), decay(0.705), decay(0.702), decay(0.407)]
        let base: [Dash] = [.solid, .solid, .solid, .dashed, .dashed, .dashed]
        #expect(ReproductionFigures.distinctDashes(curves, base: base) == [.solid, .solid, .dashDot, .dashed, .dotted, .dashed])
        #expect(ReproductionFigures.distinctDashes([decay(0.9), [Double.nan]], base: [.solid, .solid]) == [.solid, .solid])
    }
}
