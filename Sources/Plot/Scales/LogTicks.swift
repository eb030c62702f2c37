import Foundation

/// Log tick placement, after matplotlib's LogLocator.
///
/// - Two or more decades 10ⁿ in the domain: majors at the decades, labelled 10ⁿ. When there
///   are more than maxCount, every k-th decade, k the smallest stride that brings the count
///   within maxCount, keeping exponents that are multiples of k (10⁻³⁰…10⁰ with maxCount 8
///   gives 10⁻²⁸, 10⁻²⁴, …, 10⁰). Minors at 2…9 × 10ⁿ when no decade is skipped; otherwise at
///   the skipped decades (every one, or every s-th for the smallest divisor s of k that keeps
///   them within 10 × maxCount).
/// - Fewer than two decades: majors at the points m × 10ⁿ, m in 1…9 (thinned to m in
///   {1, 2, 4, 6, 8}, then {1, 2, 5}, then {1, 5} to fit maxCount), labelled "m×10" with
///   superscript n; the points left out are the minors.
/// - Fewer than two of those (e.g. 3.1…3.4): linear ticks of the domain with linear labels.
///
/// Powers of ten are parsed from decimal text ("1e-300"), so they are exact to the last bit
/// across the whole double range.
enum LogTicks {
    static func layout(of scale: Scale, maxCount: Int) -> (majors: [Tick], minors: [Double]) {
        guard maxCount >= 1 else { return ([], []) }
        let lowest = Int(floor(log10(scale.lower))) - 1, highest = Int(ceil(log10(scale.upper))) + 1
        let decades = (lowest...highest).filter { scale.containsTick(power(1, $0)) }
        if decades.count >= 2 {
            return decadeLayout(decades, of: scale, maxCount: maxCount)
        }
        let points = (lowest...highest).flatMap { n in (1...9).map { m in (m: m, n: n) } }
            .filter { scale.containsTick(power($0.m, $0.n)) }
        for digits in [Set(1...9), [1, 2, 4, 6, 8], [1, 2, 5], [1, 5]] as [Set<Int>] {
            let chosen = points.filter { digits.contains($0.m) }
            guard (2...max(2, maxCount)).contains(chosen.count), chosen.count <= maxCount else { continue }
            return (chosen.map { Tick(value: power($0.m, $0.n), label: .multipleOfDecade($0.m, $0.n)) },
                    points.filter { !digits.contains($0.m) }.map { power($0.m, $0.n) })
        }
        return (LinearTicks.majors(of: scale, maxCount: maxCount).ticks,
                LinearTicks.minors(of: scale, maxCount: maxCount))
    }

    /// m × 10ⁿ, correctly rounded (0 below the subnormals, +Inf above the largest double).
    static func power(_ m: Int, _ n: Int) -> Double {
        Double("\(m)e\(n)") ?? .nan
    }

    /// Majors at every k-th decade of `decades` (consecutive exponents, at least two), minors
    /// at 2…9 × 10ⁿ or at skipped decades.
    private static func decadeLayout(_ decades: [Int], of scale: Scale, maxCount: Int) -> (majors: [Tick], minors: [Double]) {
        let (stride, offset) = thinning(decades, maxCount: maxCount)
        let majors = decades.filter { isMultiple($0 - offset, of: stride) }
        let ticks = majors.map { Tick(value: power(1, $0), label: .decade($0)) }
        guard stride > 1 else {
            let minors = ((decades[0] - 1)...decades[decades.count - 1]).flatMap { n in
                (2...9).map { power($0, n) }
            }
            return (ticks, minors.filter { scale.containsTick($0) })
        }
        // Minor ticks at skipped decades, every s-th with s the smallest divisor of the stride
        // that keeps them within 10 × maxCount.
        let limit = 10 * maxCount
        guard let minorStride = (1...stride).first(where: { s in
            isMultiple(stride, of: s) && decades.filter { isMultiple($0 - offset, of: s) }.count <= limit
        }), minorStride < stride else { return (ticks, []) }
        let minors = decades.filter { isMultiple($0 - offset, of: minorStride) && !isMultiple($0 - offset, of: stride) }
        return (ticks, minors.map { power(1, $0) })
    }

    /// The smallest stride k ≥ 1 for which the decades ≡ offset (mod k) number at most
    /// maxCount, with offset 0 (exponents that are multiples of k) unless that leaves fewer
    /// than two ticks and another offset gives two or more.
    static func thinning(_ decades: [Int], maxCount: Int) -> (stride: Int, offset: Int) {
        func count(_ k: Int, _ r: Int) -> Int { decades.filter { isMultiple($0 - r, of: k) }.count }
        var k = 1
        while count(k, 0) > maxCount { k += 1 }
        if count(k, 0) < 2, maxCount >= 2,
           let r = (1..<max(k, 1)).first(where: { (2...maxCount).contains(count(k, $0)) }) {
            return (k, r)
        }
        return (k, 0)
    }

    private static func isMultiple(_ n: Int, of k: Int) -> Bool { n % k == 0 }
}
