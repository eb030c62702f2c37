import Foundation

/// How an axis maps values to positions.
public enum ScaleKind: String, Sendable {
    /// Position linear in the value.
    case linear
    /// Position linear in log10 of the value; only positive values can be placed.
    case log
}

/// The map from data values to a position along an axis, 0 at `lower` and 1 at `upper`, and
/// the ticks that label it. A value type that knows nothing of any renderer.
public struct Scale: Equatable, Sendable {
    public let kind: ScaleKind
    /// The domain's lower end: finite, below `upper`, and positive on a log scale.
    public let lower: Double
    /// The domain's upper end: finite and above `lower`.
    public let upper: Double

    /// The domain in transformed space: value (linear) or log10 of the value (log), each
    /// multiplied by `factor`; `factor` is ½ only when a linear span would overflow.
    private let transformedLower: Double
    private let transformedSpan: Double
    private let factor: Double

    /// A scale over `lower`…`upper`.
    /// - Throws: `PlotError` when a bound is not finite, `lower` is not below `upper`, a bound
    ///   is not positive on a log scale, or a log domain is too narrow to tell its ends apart.
    public init(_ kind: ScaleKind, lower: Double, upper: Double) throws(PlotError) {
        guard lower.isFinite, upper.isFinite else {
            throw PlotError("\(kind) scale: domain bounds must be finite, got lower \(lower), upper \(upper)")
        }
        guard lower < upper else {
            throw PlotError("\(kind) scale: domain needs lower < upper, got lower \(lower), upper \(upper)")
        }
        switch kind {
        case .linear:
            factor = (upper - lower).isFinite ? 1 : 0.5
            transformedLower = lower * factor
            transformedSpan = upper * factor - lower * factor
        case .log:
            guard lower > 0 else {
                throw PlotError("log scale: domain must be positive, got lower \(lower), upper \(upper)")
            }
            factor = 1
            transformedLower = log10(lower)
            transformedSpan = log10(upper) - transformedLower
            guard transformedSpan > 0 else {
                throw PlotError("log scale: domain \(lower)…\(upper) is too narrow to tell its ends apart")
            }
        }
        self.kind = kind
        self.lower = lower
        self.upper = upper
    }

    public static func == (a: Scale, b: Scale) -> Bool {
        a.kind == b.kind && a.lower == b.lower && a.upper == b.upper
    }

    /// Whether `value` has a position: finite, and positive on a log scale.
    public func canPlace(_ value: Double) -> Bool {
        value.isFinite && (kind == .linear || value > 0)
    }

    /// The position of `value` along the axis: 0 at `lower`, 1 at `upper`, linear in the value
    /// (linear scale) or in log10 of it (log scale). Values outside the domain map outside
    /// [0, 1]. Nil when the value cannot be placed: NaN, ±Inf, or ≤ 0 on a log scale.
    public func position(of value: Double) -> Double? {
        guard canPlace(value) else { return nil }
        switch kind {
        case .linear: return (value * factor - transformedLower) / transformedSpan
        case .log: return (log10(value) - transformedLower) / transformedSpan
        }
    }

    /// The value at position `p`, the inverse of `position(of:)`: exactly `lower` at 0 and
    /// `upper` at 1. Positions far outside [0, 1] may give ±Inf (or 0 on a log scale).
    public func value(atPosition p: Double) -> Double {
        if p == 0 { return lower }
        if p == 1 { return upper }
        switch kind {
        case .linear: return (transformedLower + p * transformedSpan) / factor
        case .log: return pow(10, transformedLower + p * transformedSpan)
        }
    }

    /// Whether `value` lies in the domain, allowing a relative tolerance of 1e-9 of the span
    /// (in log10 space on a log scale) so that a tick at a bound survives rounding.
    func containsTick(_ value: Double) -> Bool {
        guard let p = position(of: value) else { return false }
        return p >= -Scale.tickTolerance && p <= 1 + Scale.tickTolerance
    }

    static let tickTolerance = 1e-9

    /// The labelled major ticks inside the domain (bounds included, within 1e-9 of the span),
    /// at most `maxCount` of them, in increasing order.
    ///
    /// Linear: multiples of the largest-count step among {1, 2, 2.5, 5} × 10ᵏ (see
    /// `LinearTicks`). Log: decades 10ⁿ, thinned to every k-th decade when there are more than
    /// `maxCount`; inside a single decade, the points 1…9 × 10ⁿ; failing that, linear ticks
    /// (see `LogTicks`).
    public func majorTicks(maxCount: Int) -> [Tick] {
        switch kind {
        case .linear: return LinearTicks.majors(of: self, maxCount: maxCount).ticks
        case .log: return LogTicks.layout(of: self, maxCount: maxCount).majors
        }
    }

    /// The unlabelled minor tick values inside the domain that go with
    /// `majorTicks(maxCount:)` for the same `maxCount`, none coinciding with a major tick, in
    /// increasing order.
    ///
    /// Linear: the major step divided in 5 (steps 1, 2.5 and 5 × 10ᵏ) or 4 (step 2 × 10ᵏ), as
    /// matplotlib's AutoMinorLocator does. Log: 2…9 × 10ⁿ when every decade is a major tick;
    /// the skipped decades when decades are thinned.
    public func minorTicks(maxCount: Int) -> [Double] {
        switch kind {
        case .linear: return LinearTicks.minors(of: self, maxCount: maxCount)
        case .log: return LogTicks.layout(of: self, maxCount: maxCount).minors
        }
    }
}

/// A major tick: where it goes and what it says.
public struct Tick: Equatable, Sendable {
    public let value: Double
    public let label: TickLabel

    public init(value: Double, label: TickLabel) {
        self.value = value
        self.label = label
    }
}
