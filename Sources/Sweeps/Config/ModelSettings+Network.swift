import Recurrence

extension ModelSettings {
    /// The network these settings describe for a task's input width: the one place a run's
    /// settings become the engine's configuration (the trainer and the reports' rebuilt
    /// networks both use it).
    public func networkConfiguration(inputSize: Int) -> RNNConfiguration {
        var configuration = RNNConfiguration(
            inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, nonlinearity: nonlinearity,
            bias: bias, dropout: dropout, bidirectional: bidirectional)
        configuration.cell = cell
        configuration.projSize = projSize
        return configuration
    }

    /// The width of the network's output, what a readout reads: D·H, or D·P with an LSTM's
    /// projection.
    public var outputWidth: Int {
        (bidirectional ? 2 : 1) * (projSize > 0 ? projSize : hiddenSize)
    }
}
