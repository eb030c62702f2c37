/// The nonlinearity of a vanilla RNN, as `nn.RNN(nonlinearity=…)`.
public enum Nonlinearity: String, Sendable, Codable, CaseIterable {
    case tanh, relu
}

/// The hyperparameters of `torch.nn.RNN`, `torch.nn.LSTM` and `torch.nn.GRU`, with their
/// defaults.
public struct RNNConfiguration: Equatable, Sendable, Codable {
    public var inputSize: Int
    public var hiddenSize: Int
    public var numLayers: Int
    /// The Elman cell's φ; the LSTM and the GRU have their own nonlinearities and ignore it.
    public var nonlinearity: Nonlinearity
    public var bias: Bool
    /// Input and output as (N, T, ·) instead of (T, N, ·); h0 and h_n are never batch-first.
    public var batchFirst: Bool
    /// Probability of zeroing each output of every layer but the last, in training only.
    public var dropout: Double
    public var bidirectional: Bool
    /// Which module: `nn.RNN`, `nn.LSTM` or `nn.GRU`.
    public var cell: RecurrentCellKind
    /// P, `nn.LSTM(proj_size=…)`: when above 0, h_t = W_hr (o ⊙ tanh(c_t)) is P wide; 0 for no
    /// projection, the only value the other cells take.
    public var projSize: Int

    public init(
        inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh,
        bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false,
        cell: RecurrentCellKind = .rnn, projSize: Int = 0
    ) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.nonlinearity = nonlinearity
        self.bias = bias
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.cell = cell
        self.projSize = projSize
    }

    /// Reads configurations written before `cell` and `projSize` existed as `nn.RNN`s.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(inputSize: try container.decode(Int.self, forKey: .inputSize),
                  hiddenSize: try container.decode(Int.self, forKey: .hiddenSize),
                  numLayers: try container.decode(Int.self, forKey: .numLayers),
                  nonlinearity: try container.decode(Nonlinearity.self, forKey: .nonlinearity),
                  bias: try container.decode(Bool.self, forKey: .bias),
                  batchFirst: try container.decode(Bool.self, forKey: .batchFirst),
                  dropout: try container.decode(Double.self, forKey: .dropout),
                  bidirectional: try container.decode(Bool.self, forKey: .bidirectional),
                  cell: try container.decodeIfPresent(RecurrentCellKind.self, forKey: .cell) ?? .rnn,
                  projSize: try container.decodeIfPresent(Int.self, forKey: .projSize) ?? 0)
    }

    /// D: 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// The width of h_t, h0, h_n and each direction's output: P when the LSTM projects, else H.
    public var stateSize: Int { projSize > 0 ? projSize : hiddenSize }

    /// Input width of layer `layer`: the input size for the first, D times the state size for
    /// the others.
    public func layerInputSize(_ layer: Int) -> Int {
        layer == 0 ? inputSize : directions * stateSize
    }

    /// Checks the ranges PyTorch checks.
    public func validate() throws(RNNError) {
        guard inputSize >= 1 else { throw RNNError("input_size must be at least 1, got \(inputSize)") }
        guard hiddenSize >= 1 else { throw RNNError("hidden_size must be at least 1, got \(hiddenSize)") }
        guard numLayers >= 1 else { throw RNNError("num_layers must be at least 1, got \(numLayers)") }
        guard dropout >= 0, dropout < 1 else {
            throw RNNError("dropout must be in [0, 1), got \(dropout)")
        }
        guard projSize >= 0 else { throw RNNError("proj_size must be 0 (no projection) or positive, got \(projSize)") }
        guard projSize == 0 || cell == .lstm else {
            throw RNNError("proj_size is only supported for nn.LSTM, not \(cell.moduleName)")
        }
        guard projSize < hiddenSize else {
            throw RNNError("proj_size must be smaller than hidden_size = \(hiddenSize), got \(projSize)")
        }
    }
}
