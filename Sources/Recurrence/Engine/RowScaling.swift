/// Backpropagation through time carries each sample's ∂L/∂h_t as a row v and an integer
/// exponent e, the true gradient being v · 2^e. Whenever a row's largest magnitude leaves
/// [2^−32, 2^32] it is rescaled by a power of two and e adjusted, so the rows the time loop
/// multiplies never underflow or overflow, however many steps the gradient decays or grows.
///
/// Scaling by a power of two is exact for normal numbers, so while every exponent is 0 (the
/// gradient inside that window) the pass computes bit for bit what the unscaled one would.
/// Beyond it the scaled pass is the more exact one: nothing is lost to subnormals, the
/// norms the probes record are exact far outside the scalar's range, and only the gradients
/// handed back (weights, input, h0) are rounded to the scalar, once, at the end.
enum RowScaling {
    /// Rows are rescaled once their largest magnitude leaves [2^−window, 2^window].
    static let window = 32

    /// Multiplies `count` values by 2^exponent in place, in at most three passes by powers of
    /// two that are themselves normal numbers (an exponent beyond the one that takes every
    /// finite value to 0 or ∞ is clamped to it). Each product is exact while it stays in the
    /// normal range.
    @inline(__always)
    static func scale<S: RNNScalar>(_ values: UnsafeMutablePointer<S>, count: Int, by exponent: Int) {
        let largest = Int(S.greatestFiniteMagnitude.exponent)
        let smallest = Int(S.leastNormalMagnitude.exponent)
        let span = largest - smallest + S.significandBitCount + 2
        var remaining = max(-span, min(span, exponent))
        while remaining != 0 {
            let step = max(smallest, min(largest, remaining))
            let factor = S(sign: .plus, exponent: S.Exponent(step), significand: 1)
            for i in 0..<count { values[i] *= factor }
            remaining -= step
        }
    }

    /// If the row's largest magnitude (`largest`) is outside the window, rescales the row, and
    /// the `carried` row that shares its exponent if there is one, so that `largest` falls in
    /// [1, 2), and adds the shift to `exponent`. Rows of zeros, infinities or NaN are left as
    /// they are.
    @inline(__always)
    static func normalize<S: RNNScalar>(_ row: UnsafeMutablePointer<S>, count: Int,
                                        carried: UnsafeMutablePointer<S>?, carriedCount: Int,
                                        largest: Double, exponent: inout Int) {
        guard largest > 0, largest.isFinite else { return }
        let shift = Int(largest.exponent)
        guard shift > window || shift < -window else { return }
        scale(row, count: count, by: -shift)
        if let carried { scale(carried, count: carriedCount, by: -shift) }
        exponent += shift
    }

    /// ∂L/∂h_t of one sample at a backward step: dh = dOut + dhNext in the row's scale, then
    /// normalized. The recurrent part `dhNext` is scaled by 2^exponent, the injected gradient
    /// `dOut` (the loss's, or the layer above's) by 2^injectedExponent. When the injection is
    /// much larger than the row's scale, the row first takes the injection's scale, so that
    /// neither part overflows.
    ///
    /// A cell that carries a second gradient in the same scale (the LSTM's ∂L/∂c) passes it as
    /// `carried` (`carriedColumns` wide): it follows every rescaling of the row, and its
    /// magnitude counts in the normalization, so that it too stays in the window.
    @inline(__always)
    static func accumulate<S: RNNScalar>(
        _ dh: UnsafeMutablePointer<S>, injected dOut: UnsafePointer<S>, injectedExponent: Int,
        recurrent dhNext: UnsafeMutablePointer<S>, columns: Int,
        carried: UnsafeMutablePointer<S>? = nil, carriedColumns: Int = 0, exponent: inout Int
    ) {
        var largest: Double
        if injectedExponent == exponent {
            largest = S.add(dh, dOut, dhNext, count: columns)
        } else {
            let injected = S.maxMagnitude(dOut, count: columns)
            if injected > 0, injected.isFinite {
                let excess = injectedExponent + Int(injected.exponent) - exponent
                if excess > window {
                    scale(dhNext, count: columns, by: -excess)
                    if let carried { scale(carried, count: carriedColumns, by: -excess) }
                    exponent += excess
                }
            }
            dh.update(from: dOut, count: columns)
            scale(dh, count: columns, by: injectedExponent - exponent)
            largest = S.add(dh, dh, dhNext, count: columns)
        }
        if let carried {
            let carriedLargest = S.maxMagnitude(carried, count: carriedColumns)
            // NaN in either row wins, as in `maxMagnitude`.
            if !largest.isNaN, !(carriedLargest <= largest) { largest = carriedLargest }
        }
        normalize(dh, count: columns, carried: carried, carriedCount: carriedColumns, largest: largest, exponent: &exponent)
    }

    /// Brings row r of two scaled matrices to a common exponent (the larger), so that they can
    /// be summed, e.g. by a GEMM that accumulates: `first` keeps its exponents array updated.
    static func align<S: RNNScalar>(
        _ first: UnsafeMutablePointer<S>, firstWidth: Int, exponents firstExponents: UnsafeMutablePointer<Int>,
        _ second: UnsafeMutablePointer<S>, secondWidth: Int, exponents secondExponents: UnsafeMutablePointer<Int>,
        rows: Int
    ) {
        for r in 0..<rows where firstExponents[r] != secondExponents[r] {
            let common = max(firstExponents[r], secondExponents[r])
            scale(first + r * firstWidth, count: firstWidth, by: firstExponents[r] - common)
            scale(second + r * secondWidth, count: secondWidth, by: secondExponents[r] - common)
            firstExponents[r] = common
            secondExponents[r] = common
        }
    }

    /// Rounds scaled rows to their true values in place, setting every exponent to 0.
    static func unscale<S: RNNScalar>(_ values: UnsafeMutablePointer<S>, width: Int,
                                      exponents: UnsafeMutablePointer<Int>, rows: Int) {
        for r in 0..<rows where exponents[r] != 0 {
            scale(values + r * width, count: width, by: exponents[r])
            exponents[r] = 0
        }
    }
}
