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

    public init(
        inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh,
        bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false,
        cell: RecurrentCellKind = .rnn
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
    }

    /// Reads configurations written before `cell` existed as `nn.RNN`s.
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
                  cell: try container.decodeIfPresent(RecurrentCellKind.self, forKey: .cell) ?? .rnn)
    }

    /// D: 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// Input width of layer `layer`: the input size for the first, D·H for the others.
    public func layerInputSize(_ layer: Int) -> Int {
        layer == 0 ? inputSize : directions * hiddenSize
    }

    /// Checks the ranges PyTorch checks.
    public func validate() throws(RNNError) {
        guard inputSize >= 1 else { throw RNNError("input_size must be at least 1, got \(inputSize)") }
        guard hiddenSize >= 1 else { throw RNNError("hidden_size must be at least 1, got \(hiddenSize)") }
        guard numLayers >= 1 else { throw RNNError("num_layers must be at least 1, got \(numLayers)") }
        guard dropout >= 0, dropout < 1 else {
            throw RNNError("dropout must be in [0, 1), got \(dropout)")
        }
    }
}
