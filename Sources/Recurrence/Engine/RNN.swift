/// A recurrent network identical to PyTorch's `nn.RNN`, `nn.LSTM` or `nn.GRU` (the
/// configuration's `cell`): same hyperparameters, shapes, parameter names, default
/// initialization and numbers, with hand-written backpropagation through time and optional
/// probes.
///
/// Each layer and direction runs the cell over time: for `nn.RNN`,
/// h_t = φ(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh); for `nn.LSTM` and `nn.GRU`, the equations
/// of `LSTMCell` and `GRUCell`.
/// `forward` keeps what `backward` needs; call them in pairs. An `RNN` is not thread-safe:
/// runs side by side each own one.
public final class RNN<Scalar: RNNScalar> {
    public let configuration: RNNConfiguration
    public var parameters: ParameterSet<Scalar>
    /// Quantities to record; none by default.
    public var probes: ProbeOptions = []

    var dropoutGenerator: SeededGenerator
    var workspace: Workspace<Scalar>?
    /// What the last forward pass saw, for `backward` to check its arguments against.
    var pass: ForwardPass?

    /// A network with PyTorch's default initialization, U(−1/√H, 1/√H) for every parameter,
    /// drawn in `named_parameters()` order from a generator seeded with `seed`.
    /// - Throws: `RNNError` for sizes below 1 or dropout outside [0, 1).
    public convenience init(_ configuration: RNNConfiguration, seed: UInt64 = 0) throws(RNNError) {
        try configuration.validate()
        var parameters = ParameterSet<Scalar>(zerosFor: ParameterLayout(configuration))
        var generator = SeededGenerator(seed: seed).derived(0)
        let bound = 1 / Scalar(configuration.hiddenSize).squareRoot()
        for i in parameters.storage.indices {
            parameters.storage[i] = generator.uniform(-bound, bound)
        }
        try self.init(configuration, parameters: parameters, seed: seed)
    }

    /// A network with the given parameters (e.g. loaded from a PyTorch state_dict).
    /// `seed` seeds the dropout masks.
    /// - Throws: `RNNError` if the configuration is invalid or the parameters' layout is not
    ///   the one this configuration has.
    public init(_ configuration: RNNConfiguration, parameters: ParameterSet<Scalar>, seed: UInt64 = 0) throws(RNNError) {
        try configuration.validate()
        guard parameters.layout == ParameterLayout(configuration) else {
            throw RNNError("parameters \(parameters.names) do not match the configuration's \(ParameterLayout(configuration).names)")
        }
        self.configuration = configuration
        self.parameters = parameters
        self.dropoutGenerator = SeededGenerator(seed: seed).derived(1)
    }

    /// Restarts the dropout masks from a seed.
    public func reseedDropout(_ seed: UInt64) {
        dropoutGenerator = SeededGenerator(seed: seed).derived(1)
    }
}

/// The shapes of the last forward pass.
struct ForwardPass {
    let steps: Int
    let batch: Int
    let layout: BatchLayout
}
