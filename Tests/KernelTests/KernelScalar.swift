import CKernels
import COpenBLAS

/// Whose kernels a test calls: the public functions, which use the instruction set in use (the
/// widest the CPU supports unless VANISH_KERNELS names one), or one instruction set's table, so
/// that every one is tested.
enum Kernels: Sendable, CustomStringConvertible {
    case dispatched
    case only(vanish_instruction_set)

    /// Every instruction set this CPU can run, widest first.
    static let instructionSets: [Kernels] = [vanish_avx512, vanish_avx2, vanish_baseline]
        .filter { vanish_float_kernels_for($0) != nil }
        .map { .only($0) }

    /// The public functions, then every instruction set.
    static let all: [Kernels] = [.dispatched] + instructionSets

    var description: String {
        switch self {
        case .dispatched: "dispatched"
        case .only(vanish_avx512): "avx512"
        case .only(vanish_avx2): "avx2"
        case .only: "baseline"
        }
    }
}

/// The kernels of one scalar type and their OpenBLAS reference, so that each test is written
/// once and run for Float and Double.
protocol KernelScalar: BinaryFloatingPoint, Sendable where RawSignificand: FixedWidthInteger {
    /// vanish_sgemm / vanish_dgemm.
    static func gemm(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func packedCount(_ kernels: Kernels, k: Int, n: Int) -> Int
    static func pack(_ kernels: Kernels, transB: Bool, k: Int, n: Int, b: UnsafePointer<Self>, ldb: Int,
                     packed: UnsafeMutablePointer<Self>)
    static func gemmPacked(_ kernels: Kernels, transA: Bool, m: Int, n: Int, k: Int, alpha: Self,
                           a: UnsafePointer<Self>, lda: Int, packed: UnsafePointer<Self>,
                           beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// vanish_sgemm_bias / vanish_dgemm_bias.
    static func gemmBias(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                         bias: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// vanish_tanhf / vanish_tanh.
    static func tanhInPlace(_ kernels: Kernels, _ x: UnsafeMutablePointer<Self>, count: Int)
    /// cblas_sgemm / cblas_dgemm, the reference.
    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                         a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                         beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

private func blasTranspose(_ transpose: Bool) -> CBLAS_TRANSPOSE {
    transpose ? CblasTrans : CblasNoTrans
}

extension Float: KernelScalar {
    private static func table(_ kernels: Kernels) -> vanish_float_kernels? {
        guard case .only(let isa) = kernels else { return nil }
        return vanish_float_kernels_for(isa)!.pointee
    }

    static func gemm(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let gemm = table(kernels)?.gemm ?? vanish_sgemm
        gemm(transA, transB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func packedCount(_ kernels: Kernels, k: Int, n: Int) -> Int {
        let count = table(kernels)?.packed_count ?? vanish_sgemm_packed_count
        return count(Int32(k), Int32(n))
    }

    static func pack(_ kernels: Kernels, transB: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
                     packed: UnsafeMutablePointer<Float>) {
        let pack = table(kernels)?.pack ?? vanish_sgemm_pack
        pack(transB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    static func gemmPacked(_ kernels: Kernels, transA: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
                           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let gemm = table(kernels)?.gemm_packed ?? vanish_sgemm_packed
        gemm(transA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c, Int32(ldc))
    }

    static func gemmBias(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         bias: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let gemm = table(kernels)?.gemm_bias ?? vanish_sgemm_bias
        gemm(transA, transB, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), bias, c, Int32(ldc))
    }

    static func tanhInPlace(_ kernels: Kernels, _ x: UnsafeMutablePointer<Float>, count: Int) {
        let tanh = table(kernels)?.tanh ?? vanish_tanhf
        tanh(x, count)
    }

    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, blasTranspose(transA), blasTranspose(transB), blasint(m), blasint(n),
                    blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}

extension Double: KernelScalar {
    private static func table(_ kernels: Kernels) -> vanish_double_kernels? {
        guard case .only(let isa) = kernels else { return nil }
        return vanish_double_kernels_for(isa)!.pointee
    }

    static func gemm(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        let gemm = table(kernels)?.gemm ?? vanish_dgemm
        gemm(transA, transB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func packedCount(_ kernels: Kernels, k: Int, n: Int) -> Int {
        let count = table(kernels)?.packed_count ?? vanish_dgemm_packed_count
        return count(Int32(k), Int32(n))
    }

    static func pack(_ kernels: Kernels, transB: Bool, k: Int, n: Int, b: UnsafePointer<Double>, ldb: Int,
                     packed: UnsafeMutablePointer<Double>) {
        let pack = table(kernels)?.pack ?? vanish_dgemm_pack
        pack(transB, Int32(k), Int32(n), b, Int32(ldb), packed)
    }

    static func gemmPacked(_ kernels: Kernels, transA: Bool, m: Int, n: Int, k: Int, alpha: Double,
                           a: UnsafePointer<Double>, lda: Int, packed: UnsafePointer<Double>,
                           beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        let gemm = table(kernels)?.gemm_packed ?? vanish_dgemm_packed
        gemm(transA, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), packed, beta, c, Int32(ldc))
    }

    static func gemmBias(_ kernels: Kernels, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                         bias: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>, ldc: Int) {
        let gemm = table(kernels)?.gemm_bias ?? vanish_dgemm_bias
        gemm(transA, transB, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), bias, c, Int32(ldc))
    }

    static func tanhInPlace(_ kernels: Kernels, _ x: UnsafeMutablePointer<Double>, count: Int) {
        let tanh = table(kernels)?.tanh ?? vanish_tanh
        tanh(x, count)
    }

    static func blasGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                         a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                         beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, blasTranspose(transA), blasTranspose(transB), blasint(m), blasint(n),
                    blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
