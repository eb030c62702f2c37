import Recurrence
import Theory

/// The numbers of record of one layer and direction of a network: the spectrum of its
/// W_hh, the quantities Pascanu et al.'s conditions for vanishing and exploding gradients are
/// stated in, and how fast ‖∂L/∂h_t‖ decays through it. Run summaries (at the start and the
/// end of training), `analyze`'s summary and the reports all use this one record.
///
/// A number that is not finite is nil (JSON null): σ_max and the spectral radius of W_hh
/// that is not finite (a diverged run), and the fit where fewer than two steps have a finite
/// ln‖∂L/∂h_t‖.
public struct BlockDiagnostics: Codable, Equatable, Sendable {
    public enum Direction: String, Codable, Sendable {
        case forward, reverse

        /// Direction 0 or 1, as h_n's rows count them.
        public init(index: Int) { self = index == 1 ? .reverse : .forward }
    }

    public let layer: Int
    public let direction: Direction
    /// σ_max(W_hh).
    public let sigmaMax: Double?
    /// The largest modulus of W_hh's eigenvalues.
    public let spectralRadius: Double?
    /// ln‖∂L/∂h_t‖ against the steps back from the last time step, T−1−t.
    public let decayFit: DecayFit?
    /// A gated cell's W_hh per gate (LSTM i, f, g, o; GRU r, z, n); empty for nn.RNN, whose
    /// one matrix `sigmaMax` and `spectralRadius` describe.
    public let gates: [GateSpectrum]

    /// Every key, a nil optional as null (`ToolJSON`'s policy).
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(layer, forKey: .layer)
        try values.encode(direction, forKey: .direction)
        try values.encode(sigmaMax, forKey: .sigmaMax)
        try values.encode(spectralRadius, forKey: .spectralRadius)
        try values.encode(decayFit, forKey: .decayFit)
        try values.encode(gates, forKey: .gates)
    }

    private enum CodingKeys: String, CodingKey {
        case layer, direction, sigmaMax, spectralRadius, decayFit, gates
    }

    /// "layer 0 forward".
    public var name: String { "layer \(layer) \(direction.rawValue)" }
}

extension BlockDiagnostics {
    /// Summaries written before the gated cells have no `gates`: nn.RNN's, so none.
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        layer = try values.decode(Int.self, forKey: .layer)
        direction = try values.decode(Direction.self, forKey: .direction)
        sigmaMax = try values.decodeIfPresent(Double.self, forKey: .sigmaMax)
        spectralRadius = try values.decodeIfPresent(Double.self, forKey: .spectralRadius)
        decayFit = try values.decodeIfPresent(DecayFit.self, forKey: .decayFit)
        gates = try values.decodeIfPresent([GateSpectrum].self, forKey: .gates) ?? []
    }

    /// - Parameters:
    ///   - spectrum: W_hh's, if it was measured.
    ///   - logNorms: ln‖∂L/∂h_t‖ for t = 0..<T, if it was measured.
    ///   - gates: a gated cell's per-gate spectra.
    public init(layer: Int, direction: Direction, spectrum: WeightSpectrum?, logNorms: [Double]?, gates: [GateSpectrum] = []) {
        self.layer = layer
        self.direction = direction
        self.gates = gates
        sigmaMax = spectrum?.largestSingularValue.finiteOrNil
        spectralRadius = spectrum?.spectralRadius.finiteOrNil
        decayFit = logNorms.flatMap(DecayFit.init(backFromLastStep:))
    }
}
