/// Which PyTorch module an `RNN` is: `nn.RNN` (the Elman cell) or `nn.GRU`.
public enum RecurrentCellKind: String, Sendable, Codable, CaseIterable {
    case rnn, gru

    /// G, the gates stacked in W_ih, W_hh and the biases, in PyTorch's order: 1 for the Elman
    /// cell; 3 for the GRU (r, z, n).
    var gateCount: Int {
        switch self {
        case .rnn: 1
        case .gru: 3
        }
    }
}
