import Recurrence

/// The recurrent network of a run (`model:` in a config).
public struct ModelSettings: Equatable, Sendable {
    /// nn.RNN, nn.LSTM or nn.GRU.
    public var cell = RecurrentCellKind.rnn
    public var hiddenSize = 64
    public var numLayers = 1
    public var nonlinearity = Nonlinearity.tanh
    public var bias = true
    public var bidirectional = false
    public var dropout = 0.0
    public var initialization = Initialization.pytorchDefault
    /// P of an LSTM's projection (`proj_size`); 0 for none.
    public var projSize = 0
    /// Compute in Double instead of Float.
    public var double = false

    public init() {}
}
