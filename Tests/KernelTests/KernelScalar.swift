import CKernels
import COpenBLAS

/// The kernels of one scalar type and their OpenBLAS reference, so that each test is written
/// once and run for Float and Double.
protocol KernelScalar: BinaryFloatingPoint, Sendable where RawSignificand: FixedWidthInteger {
    /// vanish_sgemm / vanish_dgemm.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func packedCount(k: Int, n: Int) -> Int
    static func pack(transB: Bool, k: Int, n: Int, b: UnsafePointer<Self>, ldb: Int,
                     packed: UnsafeMutablePointer<Self>)
    static func gemmPacked(transA: Bool, m: Int, n: Int, k: Int, alpha: Self,
                           a: UnsafePointer<Self>, lda: Int, packed: UnsafePointer<Self>,
                           beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// cblas_sgemm / cblas_dgemm, the reference.
    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                         a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                         beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// vanish_tanhf / vanish_tanh.
    static func tanhInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
}

private func blasTranspose(_ transpose: Bool) -> CBLAS_TRANSPOSE {
    transpose ? CblasTrans : CblasNoTrans
}

extension Float: KernelScalar {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        vanish_sgemm(transA, transB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                     beta, c, Int32(ldc))
    }

    static func packedCount(k: Int, n: Int) -> Int { vanish_sgemm_packed_count(Int32(k), Int32(n)) }

    static func pack(transB: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
                     packed: UnsafeMutablePointer<Float>) {
        vanish_sgemm_pack(transB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    static func gemmPacked(transA: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
                           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        vanish_sgemm_packed(transA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c,
                            Int32(ldc))
    }

    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, blasTranspose(transA), blasTranspose(transB), blasint(m), blasint(n),
                    blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    static func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) { vanish_tanhf(x, count) }
}

extension Double: KernelScalar {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        vanish_dgemm(transA, transB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                     beta, c, Int32(ldc))
    }

    static func packedCount(k: Int, n: Int) -> Int { vanish_dgemm_packed_count(Int32(k), Int32(n)) }

    static func pack(transB: Bool, k: Int, n: Int, b: UnsafePointer<Double>, ldb: Int,
                     packed: UnsafeMutablePointer<Double>) {
        vanish_dgemm_pack(transB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    static func gemmPacked(transA: Bool, m: Int, n: Int, k: Int, alpha: Double,
                           a: UnsafePointer<Double>, lda: Int, packed: UnsafePointer<Double>,
                           beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        vanish_dgemm_packed(transA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c,
                            Int32(ldc))
    }

    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                         a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                         beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, blasTranspose(transA), blasTranspose(transB), blasint(m), blasint(n),
                    blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    static func tanhInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) { vanish_tanh(x, count) }
}
