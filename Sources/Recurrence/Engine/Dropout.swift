/// Inverted dropout between layers, as `nn.RNN(dropout=p)` in training mode: each element is
/// kept with probability 1 − p and scaled by 1/(1 − p), so its expectation is unchanged.
enum Dropout {
    /// Fills `mask` with 0 (dropped) or 1/(1 − p) (kept), one uniform draw per element.
    static func fillMask<S: RNNScalar>(
        _ mask: UnsafeMutablePointer<S>, count: Int, probability: S, using generator: inout SeededGenerator
    ) {
        let keptScale = 1 / (1 - probability)
        let threshold = Double(probability)
        for i in 0..<count {
            mask[i] = generator.nextUnit() < threshold ? 0 : keptScale
        }
    }
}
