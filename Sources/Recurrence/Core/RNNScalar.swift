import COpenBLAS
import RealModule

/// The scalar types the engine computes in: Float and Double.
///
/// The engine is written once, generic over `RNNScalar`. The requirements here are the few
/// places where the two types differ (which BLAS routine, which dtype on disk) and the inner
/// loops of the time step, which each conformance instantiates for its concrete type so that
/// they run specialized even when the engine is called from another module.
public protocol RNNScalar: BinaryFloatingPoint, Real, Sendable, Codable
where RawSignificand: FixedWidthInteger {
    /// The dtype of this scalar in `.npy` and `.safetensors` files.
    static var dtype: DType { get }
    static func storage(_ scalars: [Self]) -> TypedArray.Storage

    /// C (M×N) = alpha · op(A) (M×K) · op(B) (K×N) + beta · C, row-major.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// Applies the nonlinearity in place to `count` pre-activations.
    static func activate(_ values: UnsafeMutablePointer<Self>, count: Int, _ nonlinearity: Nonlinearity)

    /// One backward time step for N rows of H units (see `Kernels.stepBackward`).
    static func stepBackward(
        dh: UnsafeMutablePointer<Self>, dz: UnsafeMutablePointer<Self>,
        dOut: UnsafePointer<Self>, dOutRowStride: Int,
        dhNext: UnsafePointer<Self>, h: UnsafePointer<Self>,
        rows: Int, columns: Int, _ nonlinearity: Nonlinearity)

    /// Sum of squares of `count` values, accumulated in Double after scaling by `1/scale`,
    /// so that neither tiny nor huge values lose range.
    static func scaledSquareSum(_ values: UnsafePointer<Self>, count: Int, scale: Double) -> Double

    /// Largest absolute value of `count` values, as a Double.
    static func maxMagnitude(_ values: UnsafePointer<Self>, count: Int) -> Double
}

extension Float: RNNScalar {
    public static var dtype: DType { .float32 }
    public static func storage(_ scalars: [Float]) -> TypedArray.Storage { .float32(scalars) }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLAS.configure()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func activate(_ values: UnsafeMutablePointer<Float>, count: Int, _ nonlinearity: Nonlinearity) {
        Kernels.activate(values, count: count, nonlinearity)
    }

    public static func stepBackward(
        dh: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
        dOut: UnsafePointer<Float>, dOutRowStride: Int,
        dhNext: UnsafePointer<Float>, h: UnsafePointer<Float>,
        rows: Int, columns: Int, _ nonlinearity: Nonlinearity
    ) {
        Kernels.stepBackward(dh: dh, dz: dz, dOut: dOut, dOutRowStride: dOutRowStride, dhNext: dhNext, h: h,
                             rows: rows, columns: columns, nonlinearity)
    }

    public static func scaledSquareSum(_ values: UnsafePointer<Float>, count: Int, scale: Double) -> Double {
        Kernels.scaledSquareSum(values, count: count, scale: scale)
    }

    public static func maxMagnitude(_ values: UnsafePointer<Float>, count: Int) -> Double {
        Kernels.maxMagnitude(values, count: count)
    }
}

extension Double: RNNScalar {
    public static var dtype: DType { .float64 }
    public static func storage(_ scalars: [Double]) -> TypedArray.Storage { .float64(scalars) }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLAS.configure()
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func activate(_ values: UnsafeMutablePointer<Double>, count: Int, _ nonlinearity: Nonlinearity) {
        Kernels.activate(values, count: count, nonlinearity)
    }

    public static func stepBackward(
        dh: UnsafeMutablePointer<Double>, dz: UnsafeMutablePointer<Double>,
        dOut: UnsafePointer<Double>, dOutRowStride: Int,
        dhNext: UnsafePointer<Double>, h: UnsafePointer<Double>,
        rows: Int, columns: Int, _ nonlinearity: Nonlinearity
    ) {
        Kernels.stepBackward(dh: dh, dz: dz, dOut: dOut, dOutRowStride: dOutRowStride, dhNext: dhNext, h: h,
                             rows: rows, columns: columns, nonlinearity)
    }

    public static func scaledSquareSum(_ values: UnsafePointer<Double>, count: Int, scale: Double) -> Double {
        Kernels.scaledSquareSum(values, count: count, scale: scale)
    }

    public static func maxMagnitude(_ values: UnsafePointer<Double>, count: Int) -> Double {
        Kernels.maxMagnitude(values, count: count)
    }
}
