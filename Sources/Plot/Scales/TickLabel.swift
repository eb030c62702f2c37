/// A tick label: `text` followed by an optional superscript. 10⁻³ is text "10" with
/// superscript "−3"; 2×10⁵ is text "2×10" with superscript "5". Negative numbers use the real
/// minus sign U+2212 "−", as matplotlib does.
public struct TickLabel: Hashable, Sendable {
    public let text: String
    public let superscript: String?

    public init(_ text: String, superscript: String? = nil) {
        self.text = text
        self.superscript = superscript
    }

    /// The label on one line, the superscript after a caret: "10^−3", "2.5×10^12", "0.2".
    /// For tests and logs.
    public var plainText: String {
        superscript.map { "\(text)^\($0)" } ?? text
    }

    /// The minus sign used in labels, U+2212.
    static let minus = "\u{2212}"

    /// 10ⁿ: text "10", superscript n (10⁰ is "10" with superscript "0").
    static func decade(_ n: Int) -> TickLabel {
        TickLabel("10", superscript: signed(n))
    }

    /// m × 10ⁿ for a digit m in 1…9: `decade(n)` when m is 1, else text "m×10".
    static func multipleOfDecade(_ m: Int, _ n: Int) -> TickLabel {
        m == 1 ? decade(n) : TickLabel("\(m)×10", superscript: signed(n))
    }

    /// An integer with U+2212 for negatives.
    static func signed(_ n: Int) -> String {
        n < 0 ? minus + String(n.magnitude) : String(n)
    }

    /// The exact decimal `significand` × 10^`exponent` with max(0, −exponent) decimals, e.g.
    /// (25, −2) → "0.25", (−3, 0) → "−3", (2, 3) → "2000", (0, −1) → "0.0"; never "−0".
    static func fixed(_ significand: Int, exponent: Int) -> String {
        var digits = String(significand.magnitude)
        if exponent >= 0 {
            if significand != 0 { digits += String(repeating: "0", count: exponent) }
        } else {
            let decimals = -exponent
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return significand < 0 ? minus + digits : digits
    }

    /// Labels for the values sᵢ × 10^`exponent` of evenly spaced linear ticks, all with the
    /// same number of decimals, the fewest that write every value exactly.
    ///
    /// When the largest magnitude is ≥ 1e5 or < 1e-3 the labels share one power of ten E,
    /// that of the largest magnitude: "m×10" with superscript E and a mantissa m with the same
    /// decimals for all (0.5×10⁵, 1.0×10⁵, 1.5×10⁵), and a zero tick labelled plain "0".
    static func linear(_ significands: [Int], exponent: Int) -> [TickLabel] {
        var significands = significands, exponent = exponent
        // Drop trailing zeros that every significand shares, so 0.50, 1.00 becomes 0.5, 1.0.
        while significands.contains(where: { $0 != 0 }), significands.allSatisfy({ $0 % 10 == 0 }) {
            significands = significands.map { $0 / 10 }
            exponent += 1
        }
        guard let largest = significands.map(\.magnitude).max(), largest > 0 else {
            return significands.map { _ in TickLabel("0") }
        }
        let power = String(largest).count - 1 + exponent  // floor(log10(largest value))
        guard power >= 5 || power < -3 else {
            return significands.map { TickLabel(fixed($0, exponent: exponent)) }
        }
        return significands.map {
            $0 == 0 ? TickLabel("0")
                : TickLabel(fixed($0, exponent: exponent - power) + "×10", superscript: signed(power))
        }
    }
}
