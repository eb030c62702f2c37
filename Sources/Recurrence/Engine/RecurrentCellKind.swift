/// Which PyTorch module an `RNN` is: `nn.RNN` (the Elman cell), `nn.LSTM` or `nn.GRU`.
public enum RecurrentCellKind: String, Sendable, Codable, CaseIterable {
    case rnn, lstm, gru

    /// G, the gates stacked in W_ih, W_hh and the biases, in PyTorch's order: 1 for the Elman
    /// cell; 4 for the LSTM (i, f, g, o); 3 for the GRU (r, z, n).
    public var gateCount: Int {
        switch self {
        case .rnn: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Whether the cell carries a cell state c_t beside h_t: the LSTM.
    var hasCellState: Bool { self == .lstm }

    /// The PyTorch module, for messages: "nn.RNN", "nn.LSTM", "nn.GRU".
    var moduleName: String { "nn." + rawValue.uppercased() }
}
