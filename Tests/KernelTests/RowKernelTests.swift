import CKernels
import Testing

/// The row loops of a backward step (rows_template.h) against the same arithmetic written out in
/// Swift, at lengths around every vector width, with the special values a gradient can hold.
@Suite("row kernels")
struct RowKernelTests {
    static let lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 129]

    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float.random(in: -3...3, using: &generator) }
    }

    @Test("largest magnitude, NaN anywhere, ±0 and ∞", arguments: lengths)
    func maxMagnitude(_ count: Int) {
        var x = values(count, seed: UInt64(count))
        #expect(vanish_smax_magnitude(x, x.count) == Double(x.map(\.magnitude).max() ?? 0))
        #expect(vanish_dmax_magnitude(x.map(Double.init), x.count) == Double(x.map(\.magnitude).max() ?? 0))
        guard count > 0 else { return }
        x[count - 1] = -.infinity
        #expect(vanish_smax_magnitude(x, x.count) == .infinity)
        x[count / 2] = .nan
        #expect(vanish_smax_magnitude(x, x.count).isNaN)
        #expect(vanish_dmax_magnitude(x.map(Double.init), x.count).isNaN)
        #expect(vanish_smax_magnitude([-0.0, 0.0], 2) == 0)
    }

    @Test("sum of squares in Double, scaled first", arguments: lengths)
    func sumSquares(_ count: Int) {
        // Values near Float's least normal number: their squares exist only in Double.
        let x = values(count, seed: 7 + UInt64(count)).map { $0 * 1e-37 }
        let expected = x.reduce(0.0) { $0 + Double($1) * 1e37 * (Double($1) * 1e37) }
        let sum = vanish_ssum_squares(x, x.count, 1e37)
        #expect((sum - expected).magnitude <= 1e-12 * max(expected, 1e-300))
        let sumDouble = vanish_dsum_squares(x.map(Double.init), x.count, 1e37)
        #expect((sumDouble - expected).magnitude <= 1e-12 * max(expected, 1e-300))
    }

    @Test("dh = dOut + dhNext returns its largest magnitude; dz = φ′ ⊙ dh", arguments: lengths)
    func stepLoops(_ count: Int) {
        let a = values(count, seed: 100 + UInt64(count)), b = values(count, seed: 200 + UInt64(count))
        var h = values(count, seed: 300 + UInt64(count)).map { $0 / 4 }
        if count > 2 { h[1] = .nan; h[2] = 0 }
        var sum = [Float](repeating: 0, count: count)
        let largest = vanish_sadd(&sum, a, b, count)
        let expected = zip(a, b).map { $0 + $1 }
        #expect(sum == expected)
        #expect(largest == Double(expected.map(\.magnitude).max() ?? 0))
        // In place, sum being a: the loop that vectorizes only under its no-overlap promise.
        var inPlace = a
        _ = inPlace.withUnsafeMutableBufferPointer { vanish_sadd($0.baseAddress, $0.baseAddress, b, count) }
        #expect(inPlace == expected)
        var dz = [Float](repeating: 1, count: count)
        vanish_stanh_backward(&dz, sum, h, count)
        for i in 0..<count where !h[i].isNaN { #expect(dz[i] == sum[i] * (1 - h[i] * h[i])) }
        vanish_srelu_backward(&dz, sum, h, count)
        #expect(dz == zip(sum, h).map { $1 > 0 ? $0 : 0 })
        var dzDouble = [Double](repeating: 1, count: count)
        vanish_drelu_backward(&dzDouble, sum.map(Double.init), h.map(Double.init), count)
        #expect(dzDouble == zip(sum, h).map { $1 > 0 ? Double($0) : 0 })
    }
}
