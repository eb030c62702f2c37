import Recurrence

/// σ_max and spectral radius of one gate's block of W_hh (H × H, or H × P with an LSTM's
/// projection, which has no spectral radius): which gate's recurrence could carry the
/// gradient, as Pascanu et al.'s bounds state it for nn.RNN's one matrix.
public struct GateSpectrum: Codable, Equatable, Sendable {
    /// PyTorch's gate order: LSTM i, f, g, o; GRU r, z, n.
    public let gate: String
    public let sigmaMax: Double?
    public let spectralRadius: Double?

    /// The gate names of a cell in its weights' order; none for nn.RNN's single matrix.
    static func names(of cell: RecurrentCellKind) -> [String] {
        switch cell {
        case .rnn: []
        case .lstm: ["i", "f", "g", "o"]
        case .gru: ["r", "z", "n"]
        }
    }

    /// Every gate block of every layer and direction's W_hh, in h_n's row order (an empty list
    /// per block for nn.RNN).
    public static func all<S: RNNScalar>(_ parameters: ParameterSet<S>, configuration: RNNConfiguration) -> [[GateSpectrum]] {
        let (hidden, columns) = (configuration.hiddenSize, configuration.stateSize)
        let gates = names(of: configuration.cell)
        return parameters.layout.entries.filter { $0.name.hasPrefix("weight_hh") }.map { entry in
            let weights = parameters[entry.name]!.scalars.map { Double($0) }
            return gates.enumerated().map { g, gate in
                let block = Array(weights[g * hidden * columns..<(g + 1) * hidden * columns])
                let sigma = Spectrum.largestSingularValue(block, rows: hidden, columns: columns)
                let radius = hidden == columns ? Spectrum.spectralRadius(block, size: hidden) : .nan
                return GateSpectrum(gate: gate, sigmaMax: sigma.finiteOrNil,
                                    spectralRadius: radius.finiteOrNil)
            }
        }
    }

    /// Both keys always, null when not finite (`ToolJSON`'s policy).
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(gate, forKey: .gate)
        try values.encode(sigmaMax, forKey: .sigmaMax)
        try values.encode(spectralRadius, forKey: .spectralRadius)
    }

    private enum CodingKeys: String, CodingKey {
        case gate, sigmaMax, spectralRadius
    }
}
