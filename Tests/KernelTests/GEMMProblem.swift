/// One product C = alpha·op(A)·op(B) + beta·C with random operands in [−1, 1), stored the way
/// the BLAS call reads them: A is m×k (k×m when transA), B is k×n (n×k when transB), and
/// every row of A, B and C is `padding` elements longer than it needs to be.
struct GEMMProblem<S: KernelScalar> {
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let alpha: S, beta: S
    let lda: Int, ldb: Int, ldc: Int
    var a: [S], b: [S], c: [S]

    init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S, beta: S,
         padding: Int = 3, seed: UInt64 = 1) {
        self.transA = transA
        self.transB = transB
        (self.m, self.n, self.k) = (m, n, k)
        (self.alpha, self.beta) = (alpha, beta)
        lda = (transA ? m : k) + padding
        ldb = (transB ? k : n) + padding
        ldc = n + padding
        var generator = SplitMix64(seed: seed)
        // Uniform in [−1, 1) from the top 53 bits; Double first, which keeps this fast for both types.
        func random(_ count: Int) -> [S] {
            var values = [S]()
            values.reserveCapacity(max(count, 1))
            for _ in 0..<max(count, 1) {
                values.append(S(Double(Int64(bitPattern: generator.next()) >> 11) * 0x1p-52))
            }
            return values
        }
        a = random((transA ? k : m) * lda)
        b = random((transB ? n : k) * ldb)
        c = random(m * ldc)
    }

    /// C after vanish_?gemm.
    func product(_ kernels: Kernels = .dispatched) -> [S] {
        var c = self.c
        S.gemm(kernels, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
               b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
        return c
    }

    /// C after packing op(B) with vanish_?gemm_pack and multiplying with vanish_?gemm_packed.
    func packedProduct(_ kernels: Kernels = .dispatched) -> [S] {
        var packed = [S](repeating: .nan, count: max(S.packedCount(kernels, k: k, n: n), 1))
        S.pack(kernels, transB: transB, k: k, n: n, b: b, ldb: ldb, packed: &packed)
        var c = self.c
        S.gemmPacked(kernels, transA: transA, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, packed: packed,
                     beta: beta, c: &c, ldc: ldc)
        return c
    }

    /// C after vanish_?gemm_bias with `bias` (n values), alpha and beta ignored.
    func biasedProduct(_ kernels: Kernels = .dispatched, bias: [S]) -> [S] {
        var c = self.c
        S.gemmBias(kernels, transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                   bias: bias, c: &c, ldc: ldc)
        return c
    }

    /// C after cblas_?gemm.
    func reference() -> [S] {
        var c = self.c
        S.blasGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                   b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
        return c
    }

    /// Per element of C, how far two correctly rounded-as-you-go products may differ:
    /// 2·(k + 2)·ε·(|alpha|·|op(A)|·|op(B)| + |beta|·|C|), twice the textbook bound for one of
    /// them. A wrong index or a lost term moves an element by far more.
    func tolerance() -> [S] {
        var magnitudes = self
        magnitudes.a = a.map { $0.magnitude }
        magnitudes.b = b.map { $0.magnitude }
        magnitudes.c = beta == 0 ? c.map { _ in 0 } : c.map { $0.magnitude }
        var bound = magnitudes.c
        S.blasGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha.magnitude,
                   a: magnitudes.a, lda: lda, b: magnitudes.b, ldb: ldb, beta: beta.magnitude,
                   c: &bound, ldc: ldc)
        return bound.map { 2 * S(k + 2) * S.ulpOfOne * $0 }
    }

    /// The elements of C the product writes (padding excluded), row after row.
    func elements(of c: [S]) -> [S] {
        (0..<m).flatMap { row in c[row * ldc ..< row * ldc + n] }
    }
}
