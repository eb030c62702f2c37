import Recurrence
import RealModule

/// The mean-field theory of signal and gradient propagation in a vanilla RNN (Poole et al.
/// 2016; Schoenholz et al. 2017; Chen, Pennington & Schoenholz 2018), for W_hh entries
/// N(0, σ_w²/H) and h_t = φ(z_t), z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh.
///
/// Over the ensemble the pre-activation of a unit is Gaussian with variance q_t obeying
/// q_t = σ_w² E[φ(√q_{t−1} ξ)²] + σ_b² + σ_in² (ξ ~ N(0, 1)), from q = 0 (h0 = 0). At its fixed
/// point q* the mean squared gradient ‖∂L/∂h‖² is multiplied by χ = σ_w² E[φ′(√q* ξ)²] per step
/// back, so ln‖∂L/∂h_t‖ falls by ½ ln χ nats per step: χ < 1 ordered (vanishing), χ > 1
/// chaotic (exploding), χ = 1 the edge of chaos. Expectations use `GaussHermite.standard`;
/// for relu they are closed-form (E[relu(√q ξ)²] = q/2, E[relu′²] = ½).
///
/// Variances: σ_w² is the recurrent gain squared (σ_w² = H·Var(W_hh entry)); σ_b² the variance
/// of b_ih + b_hh per unit; σ_in² the variance of (W_ih x)_j — for W_ih entries of variance v
/// and inputs of I components with second moment m each, σ_in² = v·I·m.
public struct MeanField: Equatable, Sendable, Codable {
    public var sigmaW2: Double
    public var sigmaB2: Double
    public var sigmaIn2: Double
    public var nonlinearity: Nonlinearity

    /// Invariant: every variance is finite and ≥ 0.
    public init(sigmaW2: Double, sigmaB2: Double = 0, sigmaIn2: Double = 0, nonlinearity: Nonlinearity = .tanh) {
        precondition([sigmaW2, sigmaB2, sigmaIn2].allSatisfy { $0.isFinite && $0 >= 0 },
                     "mean-field variances must be finite and ≥ 0, got σ_w² \(sigmaW2), σ_b² \(sigmaB2), σ_in² \(sigmaIn2)")
        self.sigmaW2 = sigmaW2
        self.sigmaB2 = sigmaB2
        self.sigmaIn2 = sigmaIn2
        self.nonlinearity = nonlinearity
    }

    /// The configuration of an `nn.RNN` layer 0 whose W_hh is N(0, σ_w²/H) (`.gaussian(gain:
    /// σ_w)`) and whose W_ih and biases keep PyTorch's default U(±1/√H), each of variance
    /// 1/(3H): the two biases give σ_b² = 2/(3H) (0 without bias) and inputs of I components
    /// with second moment m each give σ_in² = I·m/(3H).
    /// - Parameters:
    ///   - inputVariance: the second moment m of each input component (1 for standard normal
    ///     inputs; 1/3 for U[0, 1]; the mean square for anything else).
    public static func forDefaultInputWeights(
        hiddenSize: Int, inputSize: Int, inputVariance: Double = 1, sigmaW: Double,
        nonlinearity: Nonlinearity = .tanh, bias: Bool = true
    ) -> MeanField {
        precondition(hiddenSize >= 1 && inputSize >= 0, "sizes must be positive, got H \(hiddenSize), I \(inputSize)")
        let parameterVariance = 1 / (3 * Double(hiddenSize))
        return MeanField(sigmaW2: sigmaW * sigmaW,
                         sigmaB2: bias ? 2 * parameterVariance : 0,
                         sigmaIn2: Double(inputSize) * inputVariance * parameterVariance,
                         nonlinearity: nonlinearity)
    }

    /// PyTorch's default `nn.RNN` initialization, every parameter U(±1/√H): σ_w² = 1/3, with
    /// the biases and input term of `forDefaultInputWeights`.
    public static func pytorchDefault(
        hiddenSize: Int, inputSize: Int, inputVariance: Double = 1, nonlinearity: Nonlinearity = .tanh,
        bias: Bool = true
    ) -> MeanField {
        forDefaultInputWeights(hiddenSize: hiddenSize, inputSize: inputSize, inputVariance: inputVariance,
                               sigmaW: (1.0 / 3).squareRoot(), nonlinearity: nonlinearity, bias: bias)
    }

    /// σ_b² + σ_in²: the variance the pre-activation has whatever the recurrent state.
    public var drivingVariance: Double { sigmaB2 + sigmaIn2 }

    /// The variance map q ↦ σ_w² E[φ(√q ξ)²] + σ_b² + σ_in².
    public func nextVariance(_ q: Double) -> Double {
        sigmaW2 * Self.meanSquareActivation(q, nonlinearity) + drivingVariance
    }

    /// q*, the pre-activation variance the network settles at: the fixed point of
    /// `nextVariance` reached from q = 0 (h0 = 0).
    ///
    /// tanh: the map is increasing and concave, crossing q ↦ q once when σ_b² + σ_in² > 0; the
    /// crossing is bracketed by [0, σ_w² + σ_b² + σ_in²] and found to ~1e−15 relative. With no
    /// bias and no input, q = 0 is a fixed point and the network stays there (h_t = 0), so
    /// q* = 0 at every σ_w, also above 1 where that fixed point is unstable.
    /// relu: linear, q* = (σ_b² + σ_in²)/(1 − σ_w²/2); `.infinity` when σ_w² ≥ 2 and
    /// σ_b² + σ_in² > 0 (the variance grows without bound: no fixed point), 0 when
    /// σ_b² + σ_in² = 0.
    public func fixedPointVariance() -> Double {
        let driving = drivingVariance
        if driving == 0 { return 0 }
        switch nonlinearity {
        case .relu:
            let contraction = sigmaW2 / 2
            return contraction < 1 ? driving / (1 - contraction) : .infinity
        case .tanh:
            // g(q) = next(q) − q: g(0) = driving > 0, g(σ_w² + driving) < 0 because E[tanh²] < 1.
            if sigmaW2 == 0 { return driving }
            return Self.root(in: 0, sigmaW2 + driving) { self.nextVariance($0) - $0 }
        }
    }

    /// χ = σ_w² E[φ′(√q* ξ)²]: the factor by which the mean squared gradient norm is multiplied
    /// per step back. Equals σ_w² exactly for tanh with σ_b² = σ_in² = 0 (q* = 0, φ′(0) = 1);
    /// σ_w²/2 for relu at any q* (relu′ is 1 on half of a centred Gaussian), also where q*
    /// is infinite.
    public func chi() -> Double {
        switch nonlinearity {
        case .relu: return sigmaW2 / 2
        case .tanh: return sigmaW2 * Self.meanSquareDerivative(fixedPointVariance(), .tanh)
        }
    }

    /// ½ ln χ: the predicted slope of ln‖∂L/∂h_t‖ against the distance from the loss, in
    /// nats per step (negative: vanishing). −∞ when σ_w = 0.
    public func predictedSlope() -> Double {
        0.5 * Double.log(chi())
    }

    /// The σ_w at which χ = 1 (the edge of chaos) for a given σ_b² + σ_in², by a bracketing
    /// root search on σ_w (χ increases with σ_w): 1 for tanh without bias and input, rising
    /// with them (≈ 1.41 at 0.1, ≈ 1.86 at 1); √2 for relu at any driving variance.
    public static func criticalSigmaW(sigmaB2PlusIn2 driving: Double, nonlinearity: Nonlinearity = .tanh) -> Double {
        precondition(driving.isFinite && driving >= 0, "σ_b² + σ_in² must be finite and ≥ 0, got \(driving)")
        switch nonlinearity {
        case .relu: return 2.0.squareRoot()
        case .tanh:
            if driving == 0 { return 1 }
            func chi(_ sigmaW: Double) -> Double {
                MeanField(sigmaW2: sigmaW * sigmaW, sigmaB2: driving, nonlinearity: .tanh).chi()
            }
            var low = 0.0, high = 1.0
            while chi(high) < 1 { low = high; high *= 2 }
            return root(in: low, high) { chi($0) - 1 }
        }
    }

    /// A root of f in [a, b], where f(a) and f(b) differ in sign (or one is 0), by the Illinois
    /// variant of regula falsi: bracketing like bisection, superlinear like the secant method.
    /// Stops when the estimate moves by less than 1e−15 relative or after 200 steps.
    private static func root(in a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
        var (a, b) = (a, b)
        var (fa, fb) = (f(a), f(b))
        if fa == 0 { return a }
        if fb == 0 { return b }
        precondition((fa < 0) != (fb < 0), "root: f(\(a)) = \(fa) and f(\(b)) = \(fb) have the same sign")
        var previous = a
        var side = 0
        for _ in 0..<200 {
            var c = (a * fb - b * fa) / (fb - fa)
            if !(c > min(a, b) && c < max(a, b)) { c = (a + b) / 2 }
            let fc = f(c)
            if fc == 0 || (c - previous).magnitude <= 1e-15 * c.magnitude { return c }
            previous = c
            if (fc < 0) == (fb < 0) {
                (b, fb) = (c, fc)
                if side == -1 { fa /= 2 }
                side = -1
            } else {
                (a, fa) = (c, fc)
                if side == 1 { fb /= 2 }
                side = 1
            }
        }
        return previous
    }

    /// E[φ(√q ξ)²].
    public static func meanSquareActivation(_ q: Double, _ nonlinearity: Nonlinearity) -> Double {
        switch nonlinearity {
        case .relu: return q / 2
        case .tanh:
            if q == 0 { return 0 }
            return GaussHermite.standard.expectation(variance: q) { let t = Double.tanh($0); return t * t }
        }
    }

    /// E[φ′(√q ξ)²]: sech⁴ for tanh; ½ for relu (the limit q → 0⁺ included).
    public static func meanSquareDerivative(_ q: Double, _ nonlinearity: Nonlinearity) -> Double {
        switch nonlinearity {
        case .relu: return 0.5
        case .tanh:
            if q == 0 { return 1 }
            return GaussHermite.standard.expectation(variance: q) { let t = Double.tanh($0); return (1 - t * t) * (1 - t * t) }
        }
    }
}
