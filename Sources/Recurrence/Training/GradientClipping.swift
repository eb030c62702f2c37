/// Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013) as
/// `torch.nn.utils.clip_grad_norm_`: the Euclidean norm of all buffers together; when
/// maxNorm / (norm + 1e-6) < 1 every gradient is multiplied by that factor.
///
/// The norm is computed in Double with each buffer scaled by its largest magnitude, so it
/// neither overflows nor underflows. A NaN or infinite norm is returned with the buffers
/// untouched and `clipped` false: the trainer records the run as diverged.
/// - Returns: the norm before clipping and whether the buffers were scaled.
/// - Throws: `RNNError` if maxNorm is not a finite number above 0.
public func clipGradientNorm<S: RNNScalar>(_ buffers: inout [[S]], maxNorm: Double) throws(RNNError) -> (norm: Double, clipped: Bool) {
    let norm = gradientNorm(buffers)
    guard let scale = try clipScale(norm: norm, maxNorm: maxNorm) else { return (norm, false) }
    for b in buffers.indices { scaleBuffer(&buffers[b], scale) }
    return (norm, true)
}

/// `clipGradientNorm` over two buffers, e.g. an RNN's parameter gradients and its readout's.
public func clipGradientNorm<S: RNNScalar>(_ first: inout [S], _ second: inout [S], maxNorm: Double) throws(RNNError) -> (norm: Double, clipped: Bool) {
    let norm = gradientNorm([first, second])
    guard let scale = try clipScale(norm: norm, maxNorm: maxNorm) else { return (norm, false) }
    scaleBuffer(&first, scale)
    scaleBuffer(&second, scale)
    return (norm, true)
}

/// The Euclidean norm of all buffers together, in Double (NaN if any element is NaN,
/// infinite if any is infinite and none is NaN).
public func gradientNorm<S: RNNScalar>(_ buffers: [[S]]) -> Double {
    let norms = buffers.map { buffer in
        buffer.withUnsafeBufferPointer { $0.isEmpty ? 0 : Norm.of($0.baseAddress!, count: $0.count) }
    }
    if norms.contains(where: \.isNaN) { return .nan }
    return norms.isEmpty ? 0 : norms.withUnsafeBufferPointer { Norm.combining($0) }
}

/// The factor to scale by, or nil when the norm is within bounds or not finite.
private func clipScale(norm: Double, maxNorm: Double) throws(RNNError) -> Double? {
    guard maxNorm.isFinite, maxNorm > 0 else {
        throw RNNError("gradient clipping: maxNorm must be a finite number above 0, got \(maxNorm)")
    }
    guard norm.isFinite else { return nil }
    let scale = maxNorm / (norm + 1e-6)
    return scale < 1 ? scale : nil
}

private func scaleBuffer<S: RNNScalar>(_ buffer: inout [S], _ scale: Double) {
    let factor = S(scale)
    for i in buffer.indices { buffer[i] *= factor }
}
