import CKernels
import RealModule

/// The scalar types the engine computes in: Float and Double.
///
/// The engine is written once, generic over `RNNScalar`. The requirements here are the few
/// places where the two types differ (which BLAS routine) and the inner
/// loops of the time step, which each conformance instantiates for its concrete type so that
/// they run specialized even when the engine is called from another module.
public protocol RNNScalar: BinaryFloatingPoint, Real, Sendable, Codable
where RawSignificand: FixedWidthInteger {
    /// C (M×N) = alpha · op(A) (M×K) · op(B) (K×N) + beta · C, row-major.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// How many scalars `pack` writes for a K×N op(B).
    static func packedCount(k: Int, n: Int) -> Int

    /// op(B) (K×N) in the layout `gemm(packed:)` reads, packed once for a B that many
    /// products share (W_hh, at every time step).
    static func pack(transposeB: Bool, k: Int, n: Int, b: UnsafePointer<Self>, ldb: Int,
                     into packed: UnsafeMutablePointer<Self>)

    /// `gemm` with op(B) packed by `pack`: the same result, bit for bit.
    static func gemm(
        transposeA: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, packed: UnsafePointer<Self>,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// Applies the nonlinearity in place to `count` pre-activations.
    static func activate(_ values: UnsafeMutablePointer<Self>, count: Int, _ nonlinearity: Nonlinearity)

    /// sum = a + b over `count` values (sum may be a or b), returning the largest |sum| as
    /// `maxMagnitude` does.
    static func add(_ sum: UnsafeMutablePointer<Self>, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>,
                    count: Int) -> Double

    /// dz = φ′ ⊙ dh for `count` units, φ′ taken from the activation h = φ(z) (tanh: 1 − h²,
    /// relu: 1 where h > 0).
    static func backward(dz: UnsafeMutablePointer<Self>, dh: UnsafePointer<Self>, h: UnsafePointer<Self>,
                         count: Int, _ nonlinearity: Nonlinearity)

    /// Sum of squares of `count` values, accumulated in Double after scaling by `1/scale`,
    /// so that neither tiny nor huge values lose range.
    static func scaledSquareSum(_ values: UnsafePointer<Self>, count: Int, scale: Double) -> Double

    /// Largest absolute value of `count` values, as a Double.
    static func maxMagnitude(_ values: UnsafePointer<Self>, count: Int) -> Double
}

extension Float: RNNScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        vanish_sgemm(transposeA, transposeB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func packedCount(k: Int, n: Int) -> Int { vanish_sgemm_packed_count(Int32(k), Int32(n)) }

    public static func pack(transposeB: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
                            into packed: UnsafeMutablePointer<Float>) {
        vanish_sgemm_pack(transposeB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    public static func gemm(
        transposeA: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        vanish_sgemm_packed(transposeA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c, Int32(ldc))
    }

    public static func activate(_ values: UnsafeMutablePointer<Float>, count: Int, _ nonlinearity: Nonlinearity) {
        switch nonlinearity {
        case .tanh: vanish_tanhf(values, count)
        case .relu: Kernels.relu(values, count: count)
        }
    }

    public static func add(_ sum: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           count: Int) -> Double {
        vanish_sadd(sum, a, b, count)
    }

    public static func backward(dz: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>, h: UnsafePointer<Float>,
                                count: Int, _ nonlinearity: Nonlinearity) {
        switch nonlinearity {
        case .tanh: vanish_stanh_backward(dz, dh, h, count)
        case .relu: vanish_srelu_backward(dz, dh, h, count)
        }
    }

    public static func scaledSquareSum(_ values: UnsafePointer<Float>, count: Int, scale: Double) -> Double {
        vanish_ssum_squares(values, count, 1 / scale)
    }

    public static func maxMagnitude(_ values: UnsafePointer<Float>, count: Int) -> Double {
        vanish_smax_magnitude(values, count)
    }
}

extension Double: RNNScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        vanish_dgemm(transposeA, transposeB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func packedCount(k: Int, n: Int) -> Int { vanish_dgemm_packed_count(Int32(k), Int32(n)) }

    public static func pack(transposeB: Bool, k: Int, n: Int, b: UnsafePointer<Double>, ldb: Int,
                            into packed: UnsafeMutablePointer<Double>) {
        vanish_dgemm_pack(transposeB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    public static func gemm(
        transposeA: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, packed: UnsafePointer<Double>,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        vanish_dgemm_packed(transposeA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c, Int32(ldc))
    }

    public static func activate(_ values: UnsafeMutablePointer<Double>, count: Int, _ nonlinearity: Nonlinearity) {
        switch nonlinearity {
        case .tanh: vanish_tanh(values, count)
        case .relu: Kernels.relu(values, count: count)
        }
    }

    public static func add(_ sum: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                           count: Int) -> Double {
        vanish_dadd(sum, a, b, count)
    }

    public static func backward(dz: UnsafeMutablePointer<Double>, dh: UnsafePointer<Double>, h: UnsafePointer<Double>,
                                count: Int, _ nonlinearity: Nonlinearity) {
        switch nonlinearity {
        case .tanh: vanish_dtanh_backward(dz, dh, h, count)
        case .relu: vanish_drelu_backward(dz, dh, h, count)
        }
    }

    public static func scaledSquareSum(_ values: UnsafePointer<Double>, count: Int, scale: Double) -> Double {
        vanish_dsum_squares(values, count, 1 / scale)
    }

    public static func maxMagnitude(_ values: UnsafePointer<Double>, count: Int) -> Double {
        vanish_dmax_magnitude(values, count)
    }
}
