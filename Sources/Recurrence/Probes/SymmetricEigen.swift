/// The largest eigenvalue of a real symmetric matrix, and the Gram matrix that turns σ_max
/// of a rectangular matrix into one: Householder tridiagonalization, then bisection with
/// Sturm counts. Written out in Double, every operation in one fixed order, because LAPACK's
/// `dgesvd` from OpenBLAS picks its kernels by CPU and so differs in the last bits from one
/// machine to the next.
///
/// Bisection rather than the QL iteration: only the largest eigenvalue is wanted, bisection
/// always converges, and it finds that eigenvalue of the tridiagonal matrix to a few units
/// in the last place of its norm (Kahan: the Sturm counts are exact for a matrix a few ulps
/// from the one given), which for the largest eigenvalue is a relative accuracy.
enum SymmetricEigen {
    /// BᵀB (columns × columns, row-major) of a row-major rows × columns matrix B, accumulated
    /// one row of B at a time in row order: Σ_r b_ri·b_rj, each entry summed in the same
    /// order. Only the upper triangle is accumulated; the lower is copied from it, so the
    /// result is exactly symmetric. BᵀB's rows are filled a band of them at a time (a band
    /// fits in cache while all of B streams past), which changes no sum's order.
    static func gram(_ b: [Double], rows: Int, columns n: Int) -> [Double] {
        let band = 32
        var g = [Double](repeating: 0, count: n * n)
        g.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            b.withUnsafeBufferPointer { b in
                let b = b.baseAddress!
                for top in stride(from: 0, to: n, by: band) {
                    for r in 0..<rows {
                        let row = b + r * n
                        for i in top..<min(top + band, n) {
                            let (bi, out) = (row[i], g + i * n)
                            guard bi != 0 else { continue }
                            for j in i..<n { out[j] += bi * row[j] }
                        }
                    }
                }
            }
            for i in 0..<n {
                for j in 0..<i { g[i * n + j] = g[j * n + i] }
            }
        }
        return g
    }

    /// The largest eigenvalue of a symmetric row-major n × n matrix (n ≥ 1), whose entries
    /// the caller keeps finite and of moderate size.
    static func largestEigenvalue(_ symmetric: [Double], size n: Int) -> Double {
        let (diagonal, offDiagonal) = tridiagonalize(symmetric, size: n)
        return largestTridiagonalEigenvalue(diagonal: diagonal, offDiagonal: offDiagonal)
    }

    /// Householder tridiagonalization A ← HAH, one reflector H = I − τvvᵀ (v₀ = 1) per column:
    /// with p = τAv and u = p − (τ/2)(pᵀv)v, the trailing block becomes A − vuᵀ − uvᵀ, each
    /// entry computed as a − (v_i·u_j + u_i·v_j), which is the same number at (i, j) and (j, i),
    /// so the block stays exactly symmetric. Av is accumulated row by row (A's row j is its
    /// column j), so every loop runs along contiguous memory. Returns the diagonal and the
    /// n − 1 off-diagonal entries.
    static func tridiagonalize(_ symmetric: [Double], size n: Int) -> (diagonal: [Double], offDiagonal: [Double]) {
        var a = symmetric
        var offDiagonal = [Double](repeating: 0, count: max(n - 1, 0))
        let v = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let p = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer {
            v.deallocate()
            p.deallocate()
        }
        a.withUnsafeMutableBufferPointer { buffer in
            let a = buffer.baseAddress!
            for k in 0..<max(n - 1, 0) {
                let first = k + 1
                let alpha = a[k * n + first]
                var tailSquares = 0.0
                for j in (first + 1)..<n { tailSquares += a[k * n + j] * a[k * n + j] }
                // Nothing to zero (or only entries whose squares underflow, far below the
                // matrix's rounding): the reflector is the identity.
                guard tailSquares != 0 else {
                    offDiagonal[k] = alpha
                    continue
                }
                let norm = (alpha * alpha + tailSquares).squareRoot()
                let beta = alpha >= 0 ? -norm : norm
                let tau = (beta - alpha) / beta
                let pivot = alpha - beta
                offDiagonal[k] = beta
                v[first] = 1
                for j in (first + 1)..<n { v[j] = a[k * n + j] / pivot }
                // p = τ A v over the trailing block, accumulated over its rows in order.
                for i in first..<n { p[i] = 0 }
                for j in first..<n {
                    let (vj, row) = (v[j], a + j * n)
                    for i in first..<n { p[i] += vj * row[i] }
                }
                var pv = 0.0
                for i in first..<n {
                    p[i] *= tau
                    pv += p[i] * v[i]
                }
                let half = 0.5 * tau * pv
                for i in first..<n { p[i] -= half * v[i] }
                for i in first..<n {
                    let (vi, ui, row) = (v[i], p[i], a + i * n)
                    for j in first..<n { row[j] -= vi * p[j] + ui * v[j] }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, offDiagonal)
    }

    /// The largest eigenvalue of the symmetric tridiagonal matrix with this diagonal and
    /// off-diagonal, by bisection of a Gershgorin interval: the count of eigenvalues below x
    /// is the count of negative pivots of T − xI (Sturm). A zero pivot is replaced by a tiny
    /// negative one (LAPACK's `dstebz` does the same). It stops when the midpoint of the
    /// interval is one of its ends, so the answer is the largest number whose count says
    /// "not all eigenvalues are below it".
    static func largestTridiagonalEigenvalue(diagonal d: [Double], offDiagonal e: [Double]) -> Double {
        let n = d.count
        let squares = e.map { $0 * $0 }
        var lower = d[0], upper = d[0]
        for i in 0..<n {
            let radius = (i > 0 ? e[i - 1].magnitude : 0) + (i < n - 1 ? e[i].magnitude : 0)
            lower = min(lower, d[i] - radius)
            upper = max(upper, d[i] + radius)
        }
        let width = max(lower.magnitude, upper.magnitude)
        guard width != 0 else { return 0 }
        let pivotFloor = Double.leastNormalMagnitude * max(1, squares.max() ?? 0)
        // Widened so that the largest eigenvalue lies strictly inside.
        lower -= 2 * Double.ulpOfOne * width + pivotFloor
        upper += 2 * Double.ulpOfOne * width + pivotFloor
        func allBelow(_ x: Double) -> Bool {
            var below = 0
            var pivot = d[0] - x
            if pivot.magnitude < pivotFloor { pivot = -pivotFloor }
            if pivot < 0 { below += 1 }
            for i in 1..<max(n, 1) {
                pivot = (d[i] - x) - squares[i - 1] / pivot
                if pivot.magnitude < pivotFloor { pivot = -pivotFloor }
                if pivot < 0 { below += 1 }
            }
            return below == n
        }
        while true {
            let middle = 0.5 * (lower + upper)
            guard middle > lower, middle < upper else { return upper }
            if allBelow(middle) { upper = middle } else { lower = middle }
        }
    }
}
