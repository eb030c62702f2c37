import Foundation
import Plot
import Testing

/// Ticks of linear scales: MaxNLocator-style steps {1, 2, 2.5, 5} × 10ᵏ and their labels.
@Suite struct LinearTickTests {
    @Test(arguments: [6, 7, 8])
    func unitIntervalGivesFifths(maxCount: Int) throws {
        let ticks = try Scale(.linear, lower: 0, upper: 1).majorTicks(maxCount: maxCount)
        #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.map(\.label.plainText) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func stepOfTwoAndAHalf() throws {
        let ticks = try Scale(.linear, lower: 0, upper: 2.5).majorTicks(maxCount: 7)
        #expect(ticks.map(\.label.plainText) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        let negative = try Scale(.linear, lower: -3.7, upper: 12.2).majorTicks(maxCount: 7)
        #expect(negative.map(\.value) == [-2.5, 0, 2.5, 5, 7.5, 10])
        // U+2212 minus sign, one shared number of decimals.
        #expect(negative.map(\.label.plainText) == ["\u{2212}2.5", "0.0", "2.5", "5.0", "7.5", "10.0"])
        // Steps 2 and 2.5 both give three ticks; the larger one covers the domain.
        let tie = try Scale(.linear, lower: 0, upper: 5).majorTicks(maxCount: 3)
        #expect(tie.map(\.value) == [0, 2.5, 5])
        let wide = try Scale(.linear, lower: 0, upper: 100).majorTicks(maxCount: 5)
        #expect(wide.map(\.label.plainText) == ["0", "25", "50", "75", "100"])
    }

    @Test func floatNoiseNeverReachesValuesOrLabels() throws {
        // Naively 3 × 0.1 = 0.30000000000000004.
        let tenths = try Scale(.linear, lower: 0, upper: 0.3).majorTicks(maxCount: 4)
        #expect(tenths.map(\.value) == [0, 0.1, 0.2, 0.3])
        #expect(tenths.map(\.label.plainText) == ["0.0", "0.1", "0.2", "0.3"])
        let twentieths = try Scale(.linear, lower: 0.1, upper: 0.3).majorTicks(maxCount: 5)
        #expect(twentieths.map(\.value) == [0.1, 0.15, 0.2, 0.25, 0.3])
        #expect(twentieths.map(\.label.plainText) == ["0.10", "0.15", "0.20", "0.25", "0.30"])
        let sevenths = try Scale(.linear, lower: 0.69, upper: 0.71).majorTicks(maxCount: 5)
        #expect(sevenths.map(\.label.plainText) == ["0.690", "0.695", "0.700", "0.705", "0.710"])
        #expect(sevenths.map(\.value) == [0.69, 0.695, 0.7, 0.705, 0.71])
    }

    @Test func zeroIsNeverNegative() throws {
        let ticks = try Scale(.linear, lower: -1, upper: 1).majorTicks(maxCount: 5)
        #expect(ticks.map(\.label.plainText) == ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
        #expect(ticks[2].value.sign == .plus)
        let scientific = try Scale(.linear, lower: -2e-9, upper: 2e-9).majorTicks(maxCount: 5)
        #expect(scientific[2].label == TickLabel("0"))
    }

    @Test func smallSpansAndMagnitudes() throws {
        let micro = try Scale(.linear, lower: 1e-6, upper: 3e-6).majorTicks(maxCount: 7)
        #expect(micro.map(\.value) == [1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6])
        #expect(micro.map(\.label.text) == ["1.0×10", "1.5×10", "2.0×10", "2.5×10", "3.0×10"])
        #expect(micro.allSatisfy { $0.label.superscript == "\u{2212}6" })

        let nano = try Scale(.linear, lower: 0, upper: 3e-9).majorTicks(maxCount: 7)
        #expect(nano.map(\.label.plainText) == ["0", "0.5×10^−9", "1.0×10^−9", "1.5×10^−9",
                                                 "2.0×10^−9", "2.5×10^−9", "3.0×10^−9"])

        // A span of 1e-6 around 1: plain labels with enough decimals to tell them apart.
        let fine = try Scale(.linear, lower: 1, upper: 1 + 1e-6).majorTicks(maxCount: 6)
        #expect(fine.map(\.label.plainText) == ["1.0000000", "1.0000002", "1.0000004", "1.0000006",
                                                 "1.0000008", "1.0000010"])
    }

    @Test func hugeMagnitudesUseASharedPowerOfTen() throws {
        let tera = try Scale(.linear, lower: 0, upper: 5e12).majorTicks(maxCount: 7)
        #expect(tera.map(\.value) == [0, 1e12, 2e12, 3e12, 4e12, 5e12])
        #expect(tera.map(\.label.plainText) == ["0", "1×10^12", "2×10^12", "3×10^12", "4×10^12", "5×10^12"])
        let mixed = try Scale(.linear, lower: 0, upper: 1.5e5).majorTicks(maxCount: 4)
        #expect(mixed.map(\.label.plainText) == ["0", "0.5×10^5", "1.0×10^5", "1.5×10^5"])
        // A narrow window far from zero still gets distinct, exact labels.
        let offset = try Scale(.linear, lower: 1e12, upper: 1e12 + 100).majorTicks(maxCount: 6)
        let expected: [Double] = [0, 20, 40, 60, 80, 100].map { 1e12 + $0 }
        #expect(offset.map(\.value) == expected)
        #expect(offset[1].label.plainText == "1.00000000002×10^12")
        // Domains whose width overflows a double still tick.
        let full = try Scale(.linear, lower: -1e308, upper: 1e308).majorTicks(maxCount: 5)
        #expect(full.map(\.value) == [-1e308, -5e307, 0, 5e307, 1e308])
    }

    @Test func plainAndScientificThresholds() throws {
        let below = try Scale(.linear, lower: 0, upper: 5e4).majorTicks(maxCount: 6)
        #expect(below.last?.label.plainText == "50000")
        let at = try Scale(.linear, lower: 0, upper: 1e5).majorTicks(maxCount: 6)
        #expect(at.last?.label.plainText == "1.0×10^5")
        let small = try Scale(.linear, lower: 0, upper: 2e-3).majorTicks(maxCount: 5)
        #expect(small.map(\.label.plainText) == ["0.0000", "0.0005", "0.0010", "0.0015", "0.0020"])
        let smaller = try Scale(.linear, lower: 0, upper: 9e-4).majorTicks(maxCount: 4)
        #expect(smaller.map(\.label.plainText) == ["0", "2.5×10^−4", "5.0×10^−4", "7.5×10^−4"])
    }

    @Test func minorTicksFollowAutoMinorLocator() throws {
        // Step 0.2 (2 × 10ᵏ) divides in 4.
        let fifths = try Scale(.linear, lower: 0, upper: 1)
        #expect(fifths.minorTicks(maxCount: 6) == [0.05, 0.1, 0.15, 0.25, 0.3, 0.35, 0.45, 0.5, 0.55,
                                                   0.65, 0.7, 0.75, 0.85, 0.9, 0.95])
        // Step 0.5 (5 × 10ᵏ) divides in 5.
        let halves = try Scale(.linear, lower: 0, upper: 1)
        #expect(halves.minorTicks(maxCount: 3) == [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
        // Step 2.5 divides in 5: minors every 0.5, including beyond the outer majors.
        let quarters = try Scale(.linear, lower: -3.7, upper: 12.2)
        let minors = quarters.minorTicks(maxCount: 7)
        #expect(minors.first == -3.5 && minors.last == 12)
        #expect(minors.count == 26)
        let majors = Set(quarters.majorTicks(maxCount: 7).map(\.value))
        #expect(minors.allSatisfy { !majors.contains($0) })
        // Step 1 divides in 5.
        #expect(try Scale(.linear, lower: 0, upper: 2).minorTicks(maxCount: 3) == [0.2, 0.4, 0.6, 0.8, 1.2, 1.4, 1.6, 1.8])
    }

    @Test func degenerateMaxCounts() throws {
        let scale = try Scale(.linear, lower: 0, upper: 1)
        #expect(scale.majorTicks(maxCount: 0).isEmpty)
        #expect(scale.minorTicks(maxCount: 0).isEmpty)
        #expect(scale.majorTicks(maxCount: -3).isEmpty)
        #expect(scale.majorTicks(maxCount: 1).count == 1)
        #expect(scale.majorTicks(maxCount: 2).map(\.value) == [0, 1])
    }

    /// Random domains over many magnitudes: every invariant, and that no nice step gives more
    /// ticks within maxCount than the one chosen (checked by brute force).
    @Test func invariantsOverRandomDomains() throws {
        var random = ScaleSweepRandom(seed: 7)
        for _ in 0..<3000 {
            let magnitude = pow(10, Double.random(in: -12...12, using: &random))
            let a = Double.random(in: -1...1, using: &random) * magnitude
            let width = magnitude * pow(10, Double.random(in: -6...0.5, using: &random))
            let maxCount = Int.random(in: 2...12, using: &random)
            let scale = try Scale(.linear, lower: a, upper: a + width)
            let ticks = scale.majorTicks(maxCount: maxCount)
            let where_ = "\(scale.lower)…\(scale.upper) maxCount \(maxCount): \(ticks.map(\.label.plainText))"
            #expect(ticks.count <= maxCount, "\(where_)")
            if maxCount >= 5 { #expect(ticks.count >= 2, "\(where_)") }
            #expect(Set(ticks.map(\.label)).count == ticks.count, "labels not distinct: \(where_)")
            #expect(ticks.allSatisfy { scale.position(of: $0.value).map { $0 >= -1e-9 && $0 <= 1 + 1e-9 } == true }, "\(where_)")
            #expect(ticks.allSatisfy { !$0.label.plainText.contains("-") }, "hyphen instead of minus: \(where_)")
            let values = ticks.map(\.value)
            let gaps = zip(values.dropFirst(), values).map { $0 - $1 }
            if let gap = gaps.first {
                let slack = 1e-9 * gap + 1e-15 * values.map(\.magnitude).max()!
                #expect(gaps.allSatisfy { abs($0 - gap) <= slack }, "uneven: \(where_)")
                #expect(bestNiceCount(scale, maxCount: maxCount) == ticks.count, "not the most ticks: \(where_)")
                let minors = scale.minorTicks(maxCount: maxCount)
                let divisions = abs(niceSignificand(gap) - 2) < 0.01 ? 4 : 5
                #expect(minors.count <= (ticks.count + 1) * (divisions - 1), "\(where_)")
                #expect(minors.count >= (ticks.count - 1) * (divisions - 1), "\(where_)")
                #expect(Set(minors).isDisjoint(with: values), "\(where_)")
            }
        }
    }

    /// The most multiples of any step {1, 2, 2.5, 5} × 10ᵏ in the domain, at most maxCount.
    private func bestNiceCount(_ scale: Scale, maxCount: Int) -> Int {
        let span = scale.upper - scale.lower
        var best = 0
        for k in Int(floor(log10(span))) - 4...Int(floor(log10(span))) + 2 {
            for m in [1, 2, 2.5, 5] {
                let step = m * pow(10, Double(k))
                let slack = 1e-9 * span
                let count = Int(floor((scale.upper + slack) / step) - ceil((scale.lower - slack) / step)) + 1
                if count <= maxCount { best = max(best, count) }
            }
        }
        return best
    }

    /// 1, 2, 2.5 or 5 for a step of that times a power of ten.
    private func niceSignificand(_ step: Double) -> Double {
        step / pow(10, floor(log10(step * (1 + 1e-9))))
    }
}

/// Ticks of log scales: decades, thinning, and ranges inside one decade.
@Suite struct LogTickTests {
    private func exponents(_ ticks: [Tick]) -> [Int] {
        ticks.map { Int($0.label.superscript!.replacingOccurrences(of: "\u{2212}", with: "-"))! }
    }

    @Test func decadesAreLabelledTenToTheN() throws {
        let ticks = try Scale(.log, lower: 1e-3, upper: 1e2).majorTicks(maxCount: 8)
        #expect(ticks.map(\.value) == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        #expect(ticks.allSatisfy { $0.label.text == "10" })
        #expect(ticks.map(\.label.superscript) == ["\u{2212}3", "\u{2212}2", "\u{2212}1", "0", "1", "2"])
        #expect(ticks[0].label.plainText == "10^−3")
    }

    @Test func thirtyDecadesAreThinnedEvenly() throws {
        let ticks = try Scale(.log, lower: 1e-30, upper: 1).majorTicks(maxCount: 8)
        // 31 decades: stride 3 would give 11 ticks, stride 4 gives 8.
        #expect(exponents(ticks) == [-28, -24, -20, -16, -12, -8, -4, 0])
        #expect(ticks.map(\.value) == exponents(ticks).map { Double("1e\($0)")! })
        let fewer = try Scale(.log, lower: 1e-30, upper: 1).majorTicks(maxCount: 5)
        #expect(exponents(fewer) == [-28, -21, -14, -7, 0])
    }

    @Test func gradientNormRangeIsThinnedEvenly() throws {
        let scale = try Scale(.log, lower: 1e-40, upper: 1e5)
        let ticks = scale.majorTicks(maxCount: 8)
        // 46 decades: stride 5 gives 10 ticks, stride 6 gives 7.
        #expect(exponents(ticks) == [-36, -30, -24, -18, -12, -6, 0])
        // Minor ticks at every skipped decade.
        let minors = scale.minorTicks(maxCount: 8)
        #expect(minors.count == 46 - 7)
        #expect(minors.first == 1e-40 && minors.last == 1e5)
        #expect(Set(minors).isDisjoint(with: ticks.map(\.value)))
        #expect(!minors.contains(2e-40))
    }

    @Test func everyDecadeRangeRespectsMaxCountWithEqualSpacing() throws {
        for low in stride(from: -60, through: 0, by: 3) {
            for high in stride(from: low + 1, through: 40, by: 7) {
                for maxCount in 3...11 {
                    let scale = try Scale(.log, lower: Double("1e\(low)")!, upper: Double("1e\(high)")!)
                    let ticks = scale.majorTicks(maxCount: maxCount)
                    let n = exponents(ticks)
                    let what = "10^\(low)…10^\(high) maxCount \(maxCount): \(n)"
                    #expect(ticks.count <= maxCount && ticks.count >= 2, "\(what)")
                    let gaps = Set(zip(n.dropFirst(), n).map { $0 - $1 })
                    #expect(gaps.count == 1, "\(what)")
                    if let stride = gaps.first, ticks.count >= 2 {
                        // The smallest stride that fits.
                        let smaller = stride - 1
                        if smaller >= 1 {
                            let count = (low...high).filter { $0 % smaller == 0 }.count
                            #expect(count > maxCount, "\(what)")
                        }
                    }
                }
            }
        }
    }

    @Test func extremeDomainHasExactPowersAndNoDrift() throws {
        let scale = try Scale(.log, lower: 1e-300, upper: 1e300)
        let ticks = scale.majorTicks(maxCount: 8)
        let n = exponents(ticks)
        #expect(n == [-228, -152, -76, 0, 76, 152, 228])
        #expect(ticks.map(\.value) == n.map { Double("1e\($0)")! })
        let positions = ticks.map { scale.position(of: $0.value)! }
        for (p, e) in zip(positions, n) {
            #expect(abs(p - (Double(e) + 300) / 600) < 1e-12)
        }
        let minors = scale.minorTicks(maxCount: 8)
        #expect(minors.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(minors.count <= 80 && !minors.isEmpty)
        // The whole double range, subnormals included.
        let widest = try Scale(.log, lower: .leastNonzeroMagnitude, upper: .greatestFiniteMagnitude)
        let all = widest.majorTicks(maxCount: 10)
        #expect(all.count >= 2 && all.count <= 10)
        #expect(all.allSatisfy { $0.value.isFinite && $0.value > 0 })
    }

    @Test func minorTicksAtTwoToNine() throws {
        let scale = try Scale(.log, lower: 1, upper: 100)
        #expect(scale.minorTicks(maxCount: 8) == [2, 3, 4, 5, 6, 7, 8, 9, 20, 30, 40, 50, 60, 70, 80, 90])
        // Partial decades at both ends.
        let partial = try Scale(.log, lower: 0.5, upper: 15)
        #expect(partial.majorTicks(maxCount: 8).map(\.value) == [1, 10])
        #expect(partial.minorTicks(maxCount: 8) == [0.5, 0.6, 0.7, 0.8, 0.9, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func rangeInsideOneDecadeGetsMultiplesOfTheDecade() throws {
        let scale = try Scale(.log, lower: 2e-3, upper: 8e-3)
        let ticks = scale.majorTicks(maxCount: 8)
        #expect(ticks.map(\.value) == [2e-3, 3e-3, 4e-3, 5e-3, 6e-3, 7e-3, 8e-3])
        #expect(ticks[0].label == TickLabel("2×10", superscript: "\u{2212}3"))
        let thinned = scale.majorTicks(maxCount: 4)
        #expect(thinned.map(\.value) == [2e-3, 4e-3, 6e-3, 8e-3])
        #expect(scale.minorTicks(maxCount: 4) == [3e-3, 5e-3, 7e-3])
        #expect(scale.majorTicks(maxCount: 3).map(\.value) == [2e-3, 5e-3])
        // Straddling one decade tick: 10⁻² keeps its decade label.
        let across = try Scale(.log, lower: 5e-3, upper: 2e-2).majorTicks(maxCount: 8)
        #expect(across.map(\.label.plainText) == ["5×10^−3", "6×10^−3", "7×10^−3", "8×10^−3", "9×10^−3",
                                                  "10^−2", "2×10^−2"])
    }

    @Test func narrowLogRangeFallsBackToLinearTicks() throws {
        let scale = try Scale(.log, lower: 3.1, upper: 3.4)
        let ticks = scale.majorTicks(maxCount: 8)
        #expect(ticks.map(\.label.plainText) == ["3.10", "3.15", "3.20", "3.25", "3.30", "3.35", "3.40"])
        #expect(ticks.map(\.value) == [3.1, 3.15, 3.2, 3.25, 3.3, 3.35, 3.4])
        #expect(scale.minorTicks(maxCount: 8).count == 24)
    }

    @Test func everyLogRangeHasTwoLabelledTicks() throws {
        var random = ScaleSweepRandom(seed: 11)
        for _ in 0..<2000 {
            let low = Double.random(in: -300...300, using: &random)
            let high = low + pow(10, Double.random(in: -6...2.4, using: &random))
            guard high < 308 else { continue }
            let maxCount = Int.random(in: 5...12, using: &random)
            let scale = try Scale(.log, lower: pow(10, low), upper: pow(10, high))
            let ticks = scale.majorTicks(maxCount: maxCount)
            let what = "\(scale.lower)…\(scale.upper) maxCount \(maxCount): \(ticks.map(\.label.plainText))"
            #expect(ticks.count >= 2 && ticks.count <= maxCount, "\(what)")
            #expect(Set(ticks.map(\.label)).count == ticks.count, "\(what)")
            #expect(zip(ticks.dropFirst(), ticks).allSatisfy { $0.value > $1.value }, "\(what)")
            #expect(ticks.allSatisfy { scale.position(of: $0.value).map { $0 >= -1e-9 && $0 <= 1 + 1e-9 } == true }, "\(what)")
            let minors = scale.minorTicks(maxCount: maxCount)
            #expect(Set(minors).isDisjoint(with: ticks.map(\.value)), "\(what)")
            #expect(minors.allSatisfy { scale.position(of: $0).map { $0 >= -1e-9 && $0 <= 1 + 1e-9 } == true }, "\(what)")
        }
    }

    @Test func smallMaxCountStillGivesTwoDecades() throws {
        // Stride 2 from multiples of 2 would leave only 10⁰; an odd offset gives 10⁻¹ and 10¹.
        let ticks = try Scale(.log, lower: 0.1, upper: 10).majorTicks(maxCount: 2)
        #expect(ticks.map(\.value) == [0.1, 10])
    }
}

/// A small seeded generator so the random sweeps are reproducible.
struct ScaleSweepRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
