import RealModule

/// An n-point Gauss–Hermite rule: ∫ e^(−x²) f(x) dx ≈ Σ wᵢ f(xᵢ), exact when f is a
/// polynomial of degree ≤ 2n − 1, and spectrally accurate for functions analytic in a strip
/// around the real axis.
///
/// Nodes are the eigenvalues of the Hermite Jacobi matrix (zero diagonal, off-diagonal
/// √(j/2)), each isolated by bisection on its Sturm sequence — robust for any n, with no
/// initial guesses to go wrong — then polished by Newton's method on the three-term recurrence
/// of the orthonormal Hermite polynomials p̃ⱼ (which stay in range for n in the hundreds);
/// weights are 2 / p̃ₙ′(xᵢ)². Nodes are sorted and exactly symmetric about 0.
///
/// Accuracy for the mean-field expectations: tanh(√q ξ) and sech(√q ξ) have poles at
/// ξ = ±iπ/(2√q), so convergence slows as the variance q grows. With the 300-point
/// `standard` rule, E[tanh²] and E[sech⁴] are exact to ~1e−15 for q ≤ 2, ~1e−9 at q = 4 and
/// ~1e−5 at q = 10 (against 25-digit references).
public struct GaussHermite: Equatable, Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    /// The rule the mean-field solver uses: 300 points.
    public static let standard = GaussHermite(order: 300)

    /// The n-point rule. Invariant: 1 ≤ n ≤ 400 (beyond, p̃ₙ′² overflows at the outer nodes).
    public init(order n: Int) {
        precondition((1...400).contains(n), "Gauss–Hermite order must be in 1...400, got \(n)")
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        // All roots lie in (−√(2n+1), √(2n+1)); the upper half (index ≥ n/2) is found and mirrored.
        let bound = (2 * Double(n) + 1).squareRoot() + 1
        for i in n / 2..<n {
            // The (i+1)-th smallest eigenvalue: the x at which `eigenvaluesBelow` reaches i + 1.
            var low = i == n / 2 ? 0 : nodes[i - 1], high = bound
            if n % 2 == 1 && i == n / 2 { low = -1; high = 1 }
            while true {
                let middle = (low + high) / 2
                if middle <= low || middle >= high { break }
                if Self.eigenvaluesBelow(middle, order: n) > i { high = middle } else { low = middle }
            }
            var z = (low + high) / 2
            if n % 2 == 1 && i == n / 2 { z = 0 }
            var (value, derivative) = Self.orthonormal(n, at: z)
            for _ in 0..<2 where derivative != 0 && z != 0 {
                z -= value / derivative
                (value, derivative) = Self.orthonormal(n, at: z)
            }
            nodes[i] = z
            weights[i] = 2 / (derivative * derivative)
            nodes[n - 1 - i] = -z
            weights[n - 1 - i] = weights[i]
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// How many eigenvalues of the n × n Hermite Jacobi matrix lie below x (Sturm count).
    private static func eigenvaluesBelow(_ x: Double, order n: Int) -> Int {
        var count = 0
        var d = -x
        if d < 0 { count += 1 }
        for j in 1..<max(n, 1) {
            if d == 0 { d = 1e-300 }
            d = -x - (Double(j) / 2) / d
            if d < 0 { count += 1 }
        }
        return count
    }

    /// p̃ₙ(x) and p̃ₙ′(x), with p̃₀ = π^(−1/4), p̃ⱼ = x √(2/j) p̃ⱼ₋₁ − √((j−1)/j) p̃ⱼ₋₂ and
    /// p̃ₙ′ = √(2n) p̃ₙ₋₁.
    private static func orthonormal(_ n: Int, at x: Double) -> (value: Double, derivative: Double) {
        var current = Double.pow(Double.pi, -0.25), previous = 0.0
        for j in 1...n {
            let next = x * (2 / Double(j)).squareRoot() * current - (Double(j - 1) / Double(j)).squareRoot() * previous
            previous = current
            current = next
        }
        return (current, (2 * Double(n)).squareRoot() * previous)
    }

    public var order: Int { nodes.count }

    /// ∫ e^(−x²) f(x) dx over the real line.
    public func integrate(_ f: (Double) -> Double) -> Double {
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * f(nodes[i]) }
        return sum
    }

    /// E[f(ξ)] for ξ ~ N(0, 1): (1/√π) Σ wᵢ f(√2 xᵢ).
    public func expectation(_ f: (Double) -> Double) -> Double {
        let root2 = 2.0.squareRoot()
        return integrate { f(root2 * $0) } / Double.pi.squareRoot()
    }

    /// E[f(√q ξ)] for ξ ~ N(0, 1): the mean of f over a centred Gaussian of variance q ≥ 0.
    public func expectation(variance q: Double, _ f: (Double) -> Double) -> Double {
        let scale = (2 * q).squareRoot()
        return integrate { f(scale * $0) } / Double.pi.squareRoot()
    }
}
