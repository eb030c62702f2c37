import RealModule

/// A seeded random number generator (xoshiro256**, state filled by SplitMix64), so the same
/// seed gives the same initial weights, dropout masks and data on every machine and every
/// Swift version. Uniform floats are built from the top bits here rather than through the
/// standard library's `random(in:using:)`, whose algorithm is not promised to stay the same.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A Double uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A value uniform in [low, high).
    public mutating func uniform<S: RNNScalar>(_ low: S, _ high: S) -> S {
        low + S(nextUnit()) * (high - low)
    }

    /// A standard normal value (Box–Muller; the second value of each pair is discarded so
    /// that every draw consumes the same number of words).
    public mutating func normal() -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1], so the logarithm is finite
        let u2 = nextUnit()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2)
    }

    /// An independent generator for a named purpose, so that adding a draw in one place
    /// does not shift the numbers drawn in another.
    public func derived(_ stream: UInt64) -> SeededGenerator {
        var copy = self
        return SeededGenerator(seed: copy.next() ^ (stream &* 0xD129_0B6B_5BD0_4F6B))
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
