import CKernels
import RealModule

/// The scalar types the engine computes in: Float and Double.
///
/// The engine is written once, generic over `RNNScalar`. The requirements here are the few
/// places where the two types differ (which BLAS routine) and the inner
/// loops of the time step, which each conformance instantiates for its concrete type so that
/// they run specialized even when the engine is called from another module.
/// The depth blocks of `RNNScalar.gemm` (CKernels' KC, `gemm_template.h`): a product adds its
/// sum over each block of this many steps of k to C in turn, so that products over consecutive
/// slabs of k that start on the blocks' boundaries, run in order, give the same bits as one
/// product over all of k. Used to cut long products into cache-sized slabs.
let gemmDepthBlock = Int(VANISH_GEMM_DEPTH_BLOCK)

public protocol RNNScalar: BinaryFloatingPoint, Real, Sendable, Codable
where RawSignificand: FixedWidthInteger {
    /// C (M×N) = alpha · op(A) (M×K) · op(B) (K×N) + beta · C, row-major.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// C (M×N) = op(A) (M×K) · op(B) (K×N) + 1·biasᵀ, the bias row added to every row of the
    /// product: the same bits as `gemm` with beta 0 followed by adding the row.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        addingRow bias: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>, ldc: Int)

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

    /// One sample's element-wise LSTM step over `count` units (`vanish_slstm_forward`): the
    /// gates (4·count pre-activations i, f, g, o) activated in place, cell = f ⊙ before + i ⊙ g
    /// and output = tanh(cell) ⊙ o.
    static func lstmForward(gates: UnsafeMutablePointer<Self>, before: UnsafePointer<Self>,
                            cell: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>, count: Int)

    /// One sample's element-wise LSTM backward (`vanish_slstm_backward`): dc, the gates'
    /// pre-activation gradients dz (4·count) and dcNext = dc ⊙ f in place, from the kept gates,
    /// the cell state read (before) and written (cell), dm = ∂L/∂(o ⊙ tanh(cell)) and dcNext.
    static func lstmBackward(gates: UnsafePointer<Self>, before: UnsafePointer<Self>, cell: UnsafePointer<Self>,
                             dm: UnsafePointer<Self>, dc: UnsafeMutablePointer<Self>,
                             dcNext: UnsafeMutablePointer<Self>, dz: UnsafeMutablePointer<Self>, count: Int)

    /// One sample's element-wise GRU step (`vanish_sgru_forward`): the gates' row (4·count, the
    /// input projections of r, z, n on entry) plus the hidden-side products (3·count) become
    /// r, z, n and W_hn h + b_hn (bias: b_hn, or nil), and state = (1 − z) ⊙ n + z ⊙ before.
    static func gruForward(gates: UnsafeMutablePointer<Self>, products: UnsafePointer<Self>,
                           bias: UnsafePointer<Self>?, before: UnsafePointer<Self>,
                           state: UnsafeMutablePointer<Self>, count: Int)

    /// One sample's element-wise GRU backward (`vanish_sgru_backward`): dz (4·count: the hidden
    /// side's r, z, n and the input side's n) and dhNext = dh ⊙ z, from the kept gates and the
    /// state read (before).
    static func gruBackward(gates: UnsafePointer<Self>, before: UnsafePointer<Self>, dh: UnsafePointer<Self>,
                            dhNext: UnsafeMutablePointer<Self>, dz: UnsafeMutablePointer<Self>, count: Int)

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

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        addingRow bias: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        vanish_sgemm_bias(transposeA, transposeB, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), bias, c, Int32(ldc))
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

    public static func lstmForward(gates: UnsafeMutablePointer<Float>, before: UnsafePointer<Float>,
                                   cell: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
        vanish_slstm_forward(gates, before, cell, output, count)
    }

    public static func lstmBackward(gates: UnsafePointer<Float>, before: UnsafePointer<Float>, cell: UnsafePointer<Float>,
                                    dm: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
                                    dcNext: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>, count: Int) {
        vanish_slstm_backward(gates, before, cell, dm, dc, dcNext, dz, count)
    }

    public static func gruForward(gates: UnsafeMutablePointer<Float>, products: UnsafePointer<Float>,
                                  bias: UnsafePointer<Float>?, before: UnsafePointer<Float>,
                                  state: UnsafeMutablePointer<Float>, count: Int) {
        vanish_sgru_forward(gates, products, bias, before, state, count)
    }

    public static func gruBackward(gates: UnsafePointer<Float>, before: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                   dhNext: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>, count: Int) {
        vanish_sgru_backward(gates, before, dh, dhNext, dz, count)
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

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        addingRow bias: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        vanish_dgemm_bias(transposeA, transposeB, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), bias, c, Int32(ldc))
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

    public static func lstmForward(gates: UnsafeMutablePointer<Double>, before: UnsafePointer<Double>,
                                   cell: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>, count: Int) {
        vanish_dlstm_forward(gates, before, cell, output, count)
    }

    public static func lstmBackward(gates: UnsafePointer<Double>, before: UnsafePointer<Double>, cell: UnsafePointer<Double>,
                                    dm: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
                                    dcNext: UnsafeMutablePointer<Double>, dz: UnsafeMutablePointer<Double>, count: Int) {
        vanish_dlstm_backward(gates, before, cell, dm, dc, dcNext, dz, count)
    }

    public static func gruForward(gates: UnsafeMutablePointer<Double>, products: UnsafePointer<Double>,
                                  bias: UnsafePointer<Double>?, before: UnsafePointer<Double>,
                                  state: UnsafeMutablePointer<Double>, count: Int) {
        vanish_dgru_forward(gates, products, bias, before, state, count)
    }

    public static func gruBackward(gates: UnsafePointer<Double>, before: UnsafePointer<Double>, dh: UnsafePointer<Double>,
                                   dhNext: UnsafeMutablePointer<Double>, dz: UnsafeMutablePointer<Double>, count: Int) {
        vanish_dgru_backward(gates, before, dh, dhNext, dz, count)
    }

    public static func scaledSquareSum(_ values: UnsafePointer<Double>, count: Int, scale: Double) -> Double {
        vanish_dsum_squares(values, count, 1 / scale)
    }

    public static func maxMagnitude(_ values: UnsafePointer<Double>, count: Int) -> Double {
        vanish_dmax_magnitude(values, count)
    }
}
