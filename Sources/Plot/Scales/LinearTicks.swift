import Foundation

/// Linear tick placement, after matplotlib's MaxNLocator with steps {1, 2, 2.5, 5, 10}.
///
/// Every step s = {1, 2, 2.5, 5} × 10ᵏ near span / maxCount is tried; ticks are the integer
/// multiples i·s inside the domain, each computed as the correctly rounded double of the
/// decimal i·s (so 3 × 0.1 is 0.3, not 0.30000000000000004). The step giving the most ticks
/// without exceeding maxCount wins; among equal counts, the larger step (wider coverage).
enum LinearTicks {
    /// A step of `significand` × 10^`exponent`, the significand one of 1, 2, 25 (2.5 × 10ᵏ is
    /// 25 × 10ᵏ⁻¹) and 5.
    struct Step: Equatable {
        let significand: Int
        let exponent: Int

        var value: Double { decimal(significand, exponent) }

        /// The minor step, as matplotlib's AutoMinorLocator divides: in 4 for a major step of
        /// 2 × 10ᵏ, in 5 for 1, 2.5 and 5 × 10ᵏ.
        var minor: (step: Step, divisions: Int) {
            switch significand {
            case 1: (Step(significand: 2, exponent: exponent - 1), 5)
            case 2: (Step(significand: 5, exponent: exponent - 1), 4)
            case 25: (Step(significand: 5, exponent: exponent), 5)
            default: (Step(significand: 1, exponent: exponent), 5)
            }
        }
    }

    struct Layout {
        let step: Step
        /// The multiples i of the step inside the domain, increasing.
        let multiples: [Int]
        let values: [Double]
        var ticks: [Tick] {
            let labels = TickLabel.linear(multiples.map { $0 * step.significand }, exponent: step.exponent)
            return zip(values, labels).map { Tick(value: $0, label: $1) }
        }
    }

    /// The correctly rounded double nearest to `significand` × 10^`exponent`.
    static func decimal(_ significand: Int, _ exponent: Int) -> Double {
        Double("\(significand)e\(exponent)") ?? .nan
    }

    /// The major ticks of `scale`'s domain (placed by `scale.containsTick`), or an empty layout
    /// when maxCount < 1 or no step fits.
    static func majors(of scale: Scale, maxCount: Int) -> (ticks: [Tick], layout: Layout?) {
        guard maxCount >= 1 else { return ([], nil) }
        let width = scale.upper - scale.lower
        let log10Span = width.isFinite ? log10(width) : log10(scale.upper / 2 - scale.lower / 2) + log10(2.0)
        let first = Int(floor(log10Span - log10(Double(maxCount)))) - 1
        let last = Int(floor(log10Span)) + 1
        var best: Layout?
        for k in first...last {
            for step in [Step(significand: 1, exponent: k), Step(significand: 2, exponent: k),
                         Step(significand: 25, exponent: k - 1), Step(significand: 5, exponent: k)] {
                guard let layout = multiples(of: step, in: scale, limit: maxCount),
                      layout.values.count <= maxCount else { continue }
                if layout.values.count >= (best?.values.count ?? 1) { best = layout }
            }
        }
        guard let best else { return ([], nil) }
        return (best.ticks, best)
    }

    /// The multiples of `step` inside the domain; nil when they cannot be resolved (the step
    /// is below the precision of the values) or there are more than `limit`.
    static func multiples(of step: Step, in scale: Scale, limit: Int) -> Layout? {
        let size = step.value
        guard size.isFinite, size > 0 else { return nil }
        let low = (scale.lower / size).rounded(.down) - 1, high = (scale.upper / size).rounded(.up) + 1
        // Integer multiples must stay exact in Int and few enough to enumerate.
        guard low.magnitude < 1e17, high.magnitude < 1e17, high - low - 4 <= Double(limit) else { return nil }
        var multiples: [Int] = [], values: [Double] = []
        for i in Int(low)...Int(high) {
            let value = decimal(i * step.significand, step.exponent)
            guard value.isFinite, scale.containsTick(value) else { continue }
            if let previous = values.last, previous >= value { return nil }
            multiples.append(i)
            values.append(value)
        }
        return Layout(step: step, multiples: multiples, values: values)
    }

    /// The minor ticks between (and beyond) the majors for the same maxCount.
    static func minors(of scale: Scale, maxCount: Int) -> [Double] {
        guard let layout = majors(of: scale, maxCount: maxCount).layout else { return [] }
        let (step, divisions) = layout.step.minor
        let limit = (maxCount + 2) * divisions
        guard let minor = multiples(of: step, in: scale, limit: limit) else { return [] }
        return zip(minor.multiples, minor.values).filter { $0.0 % divisions != 0 }.map(\.1)
    }
}
