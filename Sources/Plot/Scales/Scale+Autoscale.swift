import Foundation

extension Scale {
    /// The domain that shows every placeable value with `margin` on each side, like
    /// matplotlib's autoscaling with 5% margins.
    ///
    /// - Parameters:
    ///   - values: the data; values that cannot be placed (NaN, ±Inf, and ≤ 0 on a log scale)
    ///     are ignored.
    ///   - margin: the fraction of the data's span added on each side; the span is measured in
    ///     log10 space on a log scale. Default 0.05.
    ///
    /// Constant data (span ≤ 1e-12 of its magnitude) gets matplotlib's nonsingular domain
    /// instead of margins: linear v ± 5% |v|, or −0.05…0.05 for 0; log from the largest power of
    /// ten below the value to the smallest above it (3 → 1…10, 10 → 1…100).
    /// - Throws: `PlotError` when no value is placeable or `margin` is negative or not finite.
    public static func autoscaled(_ kind: ScaleKind, values: some Sequence<Double>,
                                  margin: Double = 0.05) throws(PlotError) -> Scale {
        try autoscaled(kind, values: values, margin: margin, lower: nil, upper: nil)
    }

    /// The autoscaled domain with either bound, or both, given explicitly.
    ///
    /// With one bound given, the other is autoscaled from the values on the visible side of it,
    /// the margin then being a fraction of the span from the farthest such value to the given
    /// bound; when no value lies on that side, the free bound is the given bound's constant-data
    /// domain (see `autoscaled(_:values:margin:)`). With both given the values are not consulted.
    /// - Throws: `PlotError` when a given bound cannot be placed on the scale, the bounds are
    ///   out of order, no value is placeable (with a bound left free), or `margin` is invalid.
    public static func autoscaled(_ kind: ScaleKind, values: some Sequence<Double>, margin: Double = 0.05,
                                  lower: Double?, upper: Double?) throws(PlotError) -> Scale {
        guard margin.isFinite, margin >= 0 else {
            throw PlotError("autoscale (\(kind) scale): margin must be a finite fraction ≥ 0, got \(margin)")
        }
        for (name, bound) in [("lower", lower), ("upper", upper)] {
            if let bound, !canPlace(bound, on: kind) {
                throw PlotError("autoscale (\(kind) scale): explicit \(name) limit \(bound) cannot be placed"
                                + (kind == .log ? " (must be finite and > 0)" : " (must be finite)"))
            }
        }
        if let lower, let upper { return try Scale(kind, lower: lower, upper: upper) }

        var seen = 0, placeable = 0
        var low = Double.infinity, high = -Double.infinity
        for value in values {
            seen += 1
            guard canPlace(value, on: kind) else { continue }
            placeable += 1
            if let lower, value <= lower { continue }
            if let upper, value >= upper { continue }
            low = min(low, value)
            high = max(high, value)
        }
        guard placeable > 0 else {
            throw PlotError("autoscale (\(kind) scale): none of \(seen) values can be placed (all NaN, ±Inf"
                            + (kind == .log ? " or ≤ 0)" : ")"))
        }
        let t = Transform(kind)
        switch (lower, upper) {
        case let (lower?, nil):
            let top = low <= high ? t.value(t.of(high) + t.margin(margin, lower, high)) : nonsingular(kind, lower, lower).upper
            return try Scale(kind, lower: lower, upper: t.clamped(top))
        case let (nil, upper?):
            let bottom = low <= high ? t.value(t.of(low) - t.margin(margin, low, upper)) : nonsingular(kind, upper, upper).lower
            return try Scale(kind, lower: t.clamped(bottom), upper: upper)
        default:
            if high - low <= 1e-12 * max(low.magnitude, high.magnitude) {
                let domain = nonsingular(kind, low, high)
                return try Scale(kind, lower: domain.lower, upper: domain.upper)
            }
            let extra = t.margin(margin, low, high)
            return try Scale(kind, lower: t.clamped(t.value(t.of(low) - extra)),
                             upper: t.clamped(t.value(t.of(high) + extra)))
        }
    }

    private static func canPlace(_ value: Double, on kind: ScaleKind) -> Bool {
        value.isFinite && (kind == .linear || value > 0)
    }

    /// matplotlib's domain for (nearly) constant data low…high.
    private static func nonsingular(_ kind: ScaleKind, _ low: Double, _ high: Double) -> (lower: Double, upper: Double) {
        var lower: Double, upper: Double
        switch kind {
        case .linear:
            (lower, upper) = low == 0 && high == 0 ? (-0.05, 0.05) : (low - 0.05 * low.magnitude, high + 0.05 * high.magnitude)
        case .log:
            var n = Int(floor(log10(low)))
            while n > -324, LogTicks.power(1, n) >= low { n -= 1 }
            while LogTicks.power(1, n + 1) < low { n += 1 }
            lower = LogTicks.power(1, n)
            n = Int(ceil(log10(high)))
            while n < 309, LogTicks.power(1, n) <= high { n += 1 }
            while LogTicks.power(1, n - 1) > high { n -= 1 }
            upper = LogTicks.power(1, n)
        }
        let t = Transform(kind)
        (lower, upper) = (t.clamped(lower), t.clamped(upper))
        if !(lower < low) { lower = kind == .log ? max(low.nextDown, .leastNonzeroMagnitude) : low.nextDown }
        if !(upper > high) { upper = min(high.nextUp, .greatestFiniteMagnitude) }
        return (lower, upper)
    }

    /// The space margins are measured in: the value itself, or its log10.
    private struct Transform {
        let kind: ScaleKind
        init(_ kind: ScaleKind) { self.kind = kind }

        func of(_ v: Double) -> Double { kind == .linear ? v : log10(v) }
        func value(_ t: Double) -> Double { kind == .linear ? t : pow(10, t) }
        /// `fraction` × (of(b) − of(a)), computed without overflow of the linear difference
        /// (the result itself may still be infinite, and is clamped by the caller).
        func margin(_ fraction: Double, _ a: Double, _ b: Double) -> Double {
            if kind == .log { return fraction * (log10(b) - log10(a)) }
            return (b - a).isFinite ? fraction * (b - a) : 2 * fraction * (b / 2 - a / 2)
        }
        /// A bound brought back into the placeable range after overflow or underflow.
        func clamped(_ v: Double) -> Double {
            let least = kind == .log ? Double.leastNonzeroMagnitude : -Double.greatestFiniteMagnitude
            return min(max(v, least), .greatestFiniteMagnitude)
        }
    }
}
