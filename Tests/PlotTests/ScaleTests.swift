import Foundation
import Plot
import Testing

/// Expects `body` to throw a one-line `PlotError` containing every fragment.
private func expectPlotError(mentioning fragments: String..., sourceLocation: SourceLocation = #_sourceLocation,
                             _ body: () throws -> Scale) {
    do {
        let scale = try body()
        Issue.record("expected a PlotError, got \(scale)", sourceLocation: sourceLocation)
    } catch let error as PlotError {
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a PlotError, got \(error)", sourceLocation: sourceLocation)
    }
}

private func expectClose(_ a: Double?, _ b: Double, relative: Double = 1e-12,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let a else {
        Issue.record("nil, expected \(b)", sourceLocation: sourceLocation)
        return
    }
    #expect(abs(a - b) <= relative * max(abs(b), 1e-300), "\(a) vs \(b)", sourceLocation: sourceLocation)
}

/// The value → position maps and their inverses.
@Suite struct ScaleTests {
    @Test func linearPositions() throws {
        let scale = try Scale(.linear, lower: -2, upper: 6)
        #expect(scale.position(of: -2) == 0)
        #expect(scale.position(of: 6) == 1)
        #expect(scale.position(of: 2) == 0.5)
        #expect(scale.position(of: 10) == 1.5)
        #expect(scale.position(of: -6) == -0.5)
        #expect(scale.value(atPosition: 0) == -2 && scale.value(atPosition: 1) == 6)
        #expect(scale.value(atPosition: 0.25) == 0)
    }

    @Test func logPositions() throws {
        let scale = try Scale(.log, lower: 1e-3, upper: 1e2)
        #expect(scale.position(of: 1e-3) == 0)
        #expect(scale.position(of: 1e2) == 1)
        expectClose(scale.position(of: 1), 0.6)
        expectClose(scale.position(of: 1e3), 1.2)
        expectClose(scale.position(of: 1e-8), -1)
        expectClose(scale.value(atPosition: 0.6), 1)
        #expect(scale.value(atPosition: 0) == 1e-3 && scale.value(atPosition: 1) == 1e2)
    }

    @Test(arguments: [ScaleKind.linear, .log])
    func inverseRoundTrips(kind: ScaleKind) throws {
        let scale = kind == .linear ? try Scale(.linear, lower: -3.7, upper: 12.2) : try Scale(.log, lower: 2e-7, upper: 3e4)
        var random = ScaleSweepRandom(seed: 3)
        for _ in 0..<1000 {
            let p = Double.random(in: -0.5...1.5, using: &random)
            let value = scale.value(atPosition: p)
            expectClose(scale.position(of: value), p, relative: 1e-12)
            expectClose(scale.value(atPosition: scale.position(of: value)!), value, relative: 1e-12)
        }
    }

    @Test func extremeDomains() throws {
        let wide = try Scale(.linear, lower: -1e308, upper: 1e308)
        #expect(wide.position(of: 0) == 0.5)
        #expect(wide.position(of: 1e308) == 1)
        #expect(wide.value(atPosition: 0.75) == 5e307)
        let deep = try Scale(.log, lower: 1e-300, upper: 1e300)
        #expect(deep.position(of: 1) == 0.5)
        expectClose(deep.position(of: 1e-150), 0.25)
        expectClose(deep.value(atPosition: 0.25), 1e-150, relative: 1e-10)
        let subnormal = try Scale(.log, lower: .leastNonzeroMagnitude, upper: 1)
        #expect(subnormal.position(of: .leastNonzeroMagnitude) == 0)
    }

    @Test func unplaceableValuesHaveNoPosition() throws {
        let linear = try Scale(.linear, lower: 0, upper: 1)
        let log = try Scale(.log, lower: 1, upper: 10)
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(linear.position(of: bad) == nil)
            #expect(log.position(of: bad) == nil)
            #expect(!linear.canPlace(bad) && !log.canPlace(bad))
        }
        #expect(log.position(of: 0) == nil && log.position(of: -0.0) == nil && log.position(of: -5) == nil)
        #expect(!log.canPlace(0) && !log.canPlace(-5))
        #expect(linear.position(of: 0) == 0 && linear.position(of: -5) == -5)
        #expect(linear.canPlace(-5) && log.canPlace(.leastNonzeroMagnitude))
    }

    @Test func invalidDomainsAreClearErrors() {
        expectPlotError(mentioning: "lower < upper", "lower 3", "upper 1") { try Scale(.linear, lower: 3, upper: 1) }
        expectPlotError(mentioning: "lower < upper") { try Scale(.linear, lower: 2, upper: 2) }
        expectPlotError(mentioning: "finite", "nan") { try Scale(.linear, lower: .nan, upper: 1) }
        expectPlotError(mentioning: "finite", "inf") { try Scale(.linear, lower: 0, upper: .infinity) }
        expectPlotError(mentioning: "finite") { try Scale(.log, lower: 1, upper: .infinity) }
        expectPlotError(mentioning: "log", "positive", "lower 0") { try Scale(.log, lower: 0, upper: 1) }
        expectPlotError(mentioning: "log", "positive", "lower -1") { try Scale(.log, lower: -1, upper: 1) }
        expectPlotError(mentioning: "lower < upper") { try Scale(.log, lower: 10, upper: 1) }
        expectPlotError(mentioning: "too narrow") { try Scale(.log, lower: 1e300, upper: 1e300.nextUp) }
    }

    @Test func equalityIgnoresNothingButTheDomain() throws {
        #expect(try Scale(.linear, lower: 0, upper: 1) == Scale(.linear, lower: 0, upper: 1))
        #expect(try Scale(.linear, lower: 1, upper: 10) != Scale(.log, lower: 1, upper: 10))
    }
}

/// Autoscaling with margins, explicit limits, and data no scale can place.
@Suite struct AutoscaleScaleTests {
    @Test func linearFivePercentMargins() throws {
        let scale = try Scale.autoscaled(.linear, values: [3, 0, 10, 7])
        #expect(scale == (try Scale(.linear, lower: -0.5, upper: 10.5)))
        let wider = try Scale.autoscaled(.linear, values: [0, 10], margin: 0.1)
        #expect(wider.lower == -1 && wider.upper == 11)
        let tight = try Scale.autoscaled(.linear, values: [-4, 4], margin: 0)
        #expect(tight.lower == -4 && tight.upper == 4)
    }

    @Test func logMarginsAreInLogSpace() throws {
        let scale = try Scale.autoscaled(.log, values: [1e-3, 0.5, 1e2])
        // 5 decades: 0.25 decade on each side.
        expectClose(scale.lower, pow(10, -3.25))
        expectClose(scale.upper, pow(10, 2.25))
        expectClose(scale.position(of: 1e-3), 0.05 / 1.1)
        let huge = try Scale.autoscaled(.log, values: [1e-40, 1e5])
        expectClose(log10(huge.lower), -42.25)
        expectClose(log10(huge.upper), 7.25)
    }

    @Test func unplaceableValuesAreIgnored() throws {
        let messy: [Double] = [.nan, -1, 0, .infinity, -.infinity, 1e-2, 1e1, -0.0]
        #expect(try Scale.autoscaled(.log, values: messy) == Scale.autoscaled(.log, values: [1e-2, 1e1]))
        let linear = try Scale.autoscaled(.linear, values: messy)
        #expect(linear.lower == -1.55 && linear.upper == 10.55)
    }

    @Test func nothingPlaceableIsAnError() {
        expectPlotError(mentioning: "none of 3 values", "NaN") { try Scale.autoscaled(.linear, values: [Double.nan, .nan, .infinity]) }
        expectPlotError(mentioning: "none of 0 values") { try Scale.autoscaled(.linear, values: [Double]()) }
        expectPlotError(mentioning: "log", "≤ 0") { try Scale.autoscaled(.log, values: [0, -1, .nan]) }
        expectPlotError(mentioning: "margin") { try Scale.autoscaled(.linear, values: [1, 2], margin: -0.1) }
        expectPlotError(mentioning: "margin") { try Scale.autoscaled(.linear, values: [1, 2], margin: .nan) }
    }

    @Test func constantDataGetsMatplotlibsNonzeroSpan() throws {
        let three = try Scale.autoscaled(.linear, values: [3, 3, 3])
        expectClose(three.lower, 2.85)
        expectClose(three.upper, 3.15)
        let negative = try Scale.autoscaled(.linear, values: [-2])
        expectClose(negative.lower, -2.1)
        expectClose(negative.upper, -1.9)
        let zero = try Scale.autoscaled(.linear, values: [0, 0, .nan])
        #expect(zero.lower == -0.05 && zero.upper == 0.05)
        // Nearly constant: differences at the last bits are treated as constant too.
        let noisy = try Scale.autoscaled(.linear, values: [1, 1.0.nextUp])
        #expect(noisy.upper - noisy.lower > 0.09)
        #expect(try Scale.autoscaled(.log, values: [3]) == Scale(.log, lower: 1, upper: 10))
        #expect(try Scale.autoscaled(.log, values: [10, 10]) == Scale(.log, lower: 1, upper: 100))
        #expect(try Scale.autoscaled(.log, values: [2e-7]) == Scale(.log, lower: 1e-7, upper: 1e-6))
        // Every such domain has at least two labelled ticks.
        for scale in [three, negative, zero, try Scale.autoscaled(.log, values: [3])] {
            #expect(scale.majorTicks(maxCount: 6).count >= 2)
        }
    }

    @Test func singlePointInExtremes() throws {
        let top = try Scale.autoscaled(.linear, values: [Double.greatestFiniteMagnitude])
        #expect(top.upper == .greatestFiniteMagnitude && top.lower < top.upper)
        let tiny = try Scale.autoscaled(.log, values: [Double.leastNonzeroMagnitude, 1])
        #expect(tiny.lower == .leastNonzeroMagnitude)
        let big = try Scale.autoscaled(.log, values: [1e308])
        #expect(big.lower == 1e307 && big.upper == .greatestFiniteMagnitude)
        let span = try Scale.autoscaled(.linear, values: [-1e308, 1e308])
        expectClose(span.lower, -1.1e308)
        expectClose(span.upper, 1.1e308)
        let overflow = try Scale.autoscaled(.linear, values: [-1e308, 1e308], margin: 0.5)
        #expect(overflow.lower == -.greatestFiniteMagnitude && overflow.upper == .greatestFiniteMagnitude)
    }

    @Test func explicitLimitsOverride() throws {
        let both = try Scale.autoscaled(.linear, values: [1, 11], lower: -5, upper: 5)
        #expect(both == (try Scale(.linear, lower: -5, upper: 5)))
        // With both bounds the data is not needed.
        #expect(try Scale.autoscaled(.log, values: [Double.nan], lower: 1e-3, upper: 1) == Scale(.log, lower: 1e-3, upper: 1))
        // One bound: the other from the data on its side, margin of the span to the bound.
        let fromZero = try Scale.autoscaled(.linear, values: [1, 11], lower: 0, upper: nil)
        #expect(fromZero.lower == 0)
        expectClose(fromZero.upper, 11.55)
        let capped = try Scale.autoscaled(.linear, values: [1, 11, 30], lower: nil, upper: 21)
        expectClose(capped.lower, 0)
        #expect(capped.upper == 21)
        let logFloor = try Scale.autoscaled(.log, values: [1e-9, 1e-3, 1], lower: 1e-6, upper: nil)
        #expect(logFloor.lower == 1e-6)
        expectClose(logFloor.upper, pow(10, 0.3))
        // No data on the free side: the bound's constant-data domain.
        let above = try Scale.autoscaled(.linear, values: [10, 20], lower: nil, upper: 5)
        expectClose(above.lower, 4.75)
        let logAbove = try Scale.autoscaled(.log, values: [10, 20], lower: nil, upper: 3)
        #expect(logAbove.lower == 1 && logAbove.upper == 3)
    }

    @Test func invalidExplicitLimitsAreErrors() {
        expectPlotError(mentioning: "explicit lower limit 0", "> 0") {
            try Scale.autoscaled(.log, values: [1, 2], lower: 0, upper: nil)
        }
        expectPlotError(mentioning: "explicit upper limit nan") {
            try Scale.autoscaled(.linear, values: [1, 2], lower: nil, upper: .nan)
        }
        expectPlotError(mentioning: "lower < upper") {
            try Scale.autoscaled(.linear, values: [1, 2], lower: 3, upper: 1)
        }
        expectPlotError(mentioning: "none of 1 values") {
            try Scale.autoscaled(.linear, values: [Double.nan], lower: 3, upper: nil)
        }
    }

    @Test func acceptsAnySequence() throws {
        let scale = try Scale.autoscaled(.linear, values: (0...10).lazy.map { Double($0) })
        #expect(scale.lower == -0.5 && scale.upper == 10.5)
    }
}
