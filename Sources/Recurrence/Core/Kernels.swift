/// The inner loops of a time step, written once over any `RNNScalar`. Each conformance of
/// `RNNScalar` calls them with its concrete type, so the compiler specializes them there.
enum Kernels {
    @inline(__always)
    static func activate<S: RNNScalar>(_ values: UnsafeMutablePointer<S>, count: Int, _ nonlinearity: Nonlinearity) {
        switch nonlinearity {
        case .tanh:
            for i in 0..<count { values[i] = S.tanh(values[i]) }
        case .relu:
            for i in 0..<count where !(values[i] > 0) {
                // NaN stays NaN, as in PyTorch; only non-positive numbers become zero.
                if !values[i].isNaN { values[i] = 0 }
            }
        }
    }

    /// For N rows of H units: dh = dOut + dhNext, dz = φ′(z) ⊙ dh, with φ′ taken from the
    /// activation h = φ(z) (tanh: 1 − h², relu: 1 where h > 0). `dOut` rows are `dOutRowStride`
    /// apart because one direction's slice of a bidirectional output is interleaved.
    @inline(__always)
    static func stepBackward<S: RNNScalar>(
        dh: UnsafeMutablePointer<S>, dz: UnsafeMutablePointer<S>,
        dOut: UnsafePointer<S>, dOutRowStride: Int,
        dhNext: UnsafePointer<S>, h: UnsafePointer<S>,
        rows: Int, columns: Int, _ nonlinearity: Nonlinearity
    ) {
        for n in 0..<rows {
            let row = n * columns
            let outRow = n * dOutRowStride
            for j in 0..<columns { dh[row + j] = dOut[outRow + j] + dhNext[row + j] }
            switch nonlinearity {
            case .tanh:
                for j in 0..<columns {
                    let y = h[row + j]
                    dz[row + j] = dh[row + j] * (1 - y * y)
                }
            case .relu:
                for j in 0..<columns { dz[row + j] = h[row + j] > 0 ? dh[row + j] : 0 }
            }
        }
    }

    @inline(__always)
    static func scaledSquareSum<S: RNNScalar>(_ values: UnsafePointer<S>, count: Int, scale: Double) -> Double {
        let inverse = 1 / scale
        var sum = 0.0
        for i in 0..<count {
            let x = Double(values[i]) * inverse
            sum += x * x
        }
        return sum
    }

    @inline(__always)
    static func maxMagnitude<S: RNNScalar>(_ values: UnsafePointer<S>, count: Int) -> Double {
        var largest = 0.0
        for i in 0..<count {
            let x = Double(values[i]).magnitude
            if x > largest || x.isNaN { largest = x }
            if largest.isNaN { return .nan }
        }
        return largest
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
