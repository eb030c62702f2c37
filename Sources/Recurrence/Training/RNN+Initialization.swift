extension RNN {
    /// Replaces every parameter with a fresh draw from `scheme`, deterministic per seed (the
    /// same seed gives identical parameters; `.pytorchDefault` gives those of
    /// `RNN(configuration, seed: seed)`). The dropout generator is left as it is.
    /// - Throws: `RNNError` for a gain, input std or spectral radius that is not a finite
    ///   number above 0; the parameters are unchanged then.
    public func initialize(_ scheme: Initialization, seed: UInt64) throws(RNNError) {
        parameters = try scheme.parameters(for: configuration, seed: seed, as: Scalar.self)
    }
}
