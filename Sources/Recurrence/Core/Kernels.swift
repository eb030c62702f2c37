/// Inner loops written once over any `RNNScalar` (the rest are CKernels'). Each conformance
/// of `RNNScalar` calls them with its concrete type, so the compiler specializes them there.
enum Kernels {
    /// max(x, 0) in place; NaN stays NaN, as in PyTorch: only non-positive numbers become zero.
    @inline(__always)
    static func relu<S: RNNScalar>(_ values: UnsafeMutablePointer<S>, count: Int) {
        for i in 0..<count where !(values[i] > 0) && !values[i].isNaN { values[i] = 0 }
    }
}

/// Euclidean norms that neither underflow nor overflow: the values are scaled by their
/// largest magnitude before squaring, and summed in Double.
enum Norm {
    static func of<S: RNNScalar>(_ values: UnsafePointer<S>, count: Int) -> Double {
        let largest = S.maxMagnitude(values, count: count)
        guard largest > 0, largest.isFinite else { return largest }
        return largest * S.scaledSquareSum(values, count: count, scale: largest).squareRoot()
    }

    /// The norm of a vector whose parts have the given norms.
    static func combining(_ norms: UnsafeBufferPointer<Double>) -> Double {
        of(norms.baseAddress!, count: norms.count)
    }
}
