/// The eigenvalues of a real square matrix: Householder reduction to upper Hessenberg form,
/// then Francis's implicit double-shift QR iteration (as in EISPACK's `hqr`), eigenvalues
/// only. Written out in Double, every operation in one fixed order, because LAPACK's
/// `dgeev` from OpenBLAS picks its kernels by CPU and so differs in the last bits from one
/// machine to the next.
enum HessenbergQR {
    /// The eigenvalues of a row-major n × n matrix as (real, imaginary) pairs, a complex
    /// pair's two members next to each other; nil when the iteration has not converged after
    /// 30·n double-shift steps in all (EISPACK's limit). The caller keeps the entries finite
    /// and of moderate size (`Spectrum` scales them to a largest magnitude near 1).
    static func eigenvalues(_ matrix: [Double], size n: Int) -> [(real: Double, imaginary: Double)]? {
        let balanced = BalancedMatrix(matrix, size: n)
        let m = balanced.size
        // Rows one entry longer than the matrix's: when n·8 bytes is a multiple of 4 KiB, a
        // column's entries would all fall in one set of the L1 cache, and its stores and the
        // next rows' loads would look alike to the processor (4K aliasing), making every
        // column sweep several times slower. The padding is never read.
        let ld = m + 1
        var h = [Double](repeating: 0, count: m * ld)
        for i in 0..<m {
            for j in 0..<m { h[i * ld + j] = balanced.block[i * m + j] }
        }
        reduceToHessenberg(&h, size: m, stride: ld)
        guard let block = hessenbergEigenvalues(&h, size: m, stride: ld) else { return nil }
        return balanced.isolatedEigenvalues.map { ($0, 0) } + block
    }

    /// Overwrites a row-major n × n matrix (row i at i·ld) with an upper Hessenberg matrix similar to it
    /// (entries below the subdiagonal are left as they are: nothing reads them). Step k
    /// applies the reflector H = I − τvvᵀ (v₀ = 1, as LAPACK's `dlarfg` forms it) that zeroes
    /// column k below row k + 1, from the left to rows k + 1…, then from the right to columns
    /// k + 1…. Both products run along rows, which are contiguous.
    static func reduceToHessenberg(_ h: inout [Double], size n: Int, stride ld: Int) {
        guard n > 2 else { return }
        let v = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let w = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer {
            v.deallocate()
            w.deallocate()
        }
        h.withUnsafeMutableBufferPointer { buffer in
            let a = buffer.baseAddress!
            for k in 0..<(n - 2) {
                let first = k + 1
                let alpha = a[first * ld + k]
                var tailSquares = 0.0
                for i in (first + 1)..<n { tailSquares += a[i * ld + k] * a[i * ld + k] }
                // Nothing to zero (or only entries whose squares underflow, far below the
                // matrix's rounding): the reflector is the identity.
                guard tailSquares != 0 else { continue }
                let norm = (alpha * alpha + tailSquares).squareRoot()
                let beta = alpha >= 0 ? -norm : norm
                let tau = (beta - alpha) / beta
                let pivot = alpha - beta
                v[first] = 1
                for i in (first + 1)..<n { v[i] = a[i * ld + k] / pivot }
                a[first * ld + k] = beta
                for i in (first + 1)..<n { a[i * ld + k] = 0 }
                // From the left: rows first…, columns first…; w = vᵀ A, summed over rows in order.
                for j in first..<n { w[j] = 0 }
                for i in first..<n {
                    let (vi, row) = (v[i], a + i * ld)
                    for j in first..<n { w[j] += vi * row[j] }
                }
                for i in first..<n {
                    let (s, row) = (tau * v[i], a + i * ld)
                    for j in first..<n { row[j] -= s * w[j] }
                }
                reflectRowsFromTheRight(a, size: n, stride: ld, from: first, v: v, tau: tau)
            }
        }
    }

    /// A ← A(I − τvvᵀ) on columns first… of every row: each row's dot product with v is
    /// summed in column order. Four rows go together, four independent sums that the
    /// processor overlaps (one sum's additions must wait for each other), each summed exactly
    /// as a row on its own would be.
    private static func reflectRowsFromTheRight(
        _ a: UnsafeMutablePointer<Double>, size n: Int, stride ld: Int, from first: Int, v: UnsafeMutablePointer<Double>, tau: Double
    ) {
        var i = 0
        while i + 4 <= n {
            let (r0, r1, r2, r3) = (a + i * ld, a + (i + 1) * ld, a + (i + 2) * ld, a + (i + 3) * ld)
            var (d0, d1, d2, d3) = (0.0, 0.0, 0.0, 0.0)
            for j in first..<n {
                let vj = v[j]
                d0 += r0[j] * vj
                d1 += r1[j] * vj
                d2 += r2[j] * vj
                d3 += r3[j] * vj
            }
            let (s0, s1, s2, s3) = (tau * d0, tau * d1, tau * d2, tau * d3)
            for j in first..<n {
                let vj = v[j]
                r0[j] -= s0 * vj
                r1[j] -= s1 * vj
                r2[j] -= s2 * vj
                r3[j] -= s3 * vj
            }
            i += 4
        }
        while i < n {
            let row = a + i * ld
            var d = 0.0
            for j in first..<n { d += row[j] * v[j] }
            let s = tau * d
            for j in first..<n { row[j] -= s * v[j] }
            i += 1
        }
    }

    /// The eigenvalues of an upper Hessenberg row-major n × n matrix (row i at i·ld; destroyed), by the
    /// double-shift QR iteration with EISPACK's deflation test and exceptional shifts (after
    /// 10 and 20 steps without a deflation); nil after 30·n steps in all.
    static func hessenbergEigenvalues(_ h: inout [Double], size n: Int, stride ld: Int) -> [(real: Double, imaginary: Double)]? {
        var values: [(real: Double, imaginary: Double)] = []
        values.reserveCapacity(n)
        var budget = 30 * n
        let converged = h.withUnsafeMutableBufferPointer { a -> Bool in
            func at(_ i: Int, _ j: Int) -> Double { a[i * ld + j] }
            // The 1-norm of the Hessenberg part: the scale of a zero diagonal in the deflation test.
            var norm = 0.0
            for i in 0..<n {
                for j in max(i - 1, 0)..<n { norm += at(i, j).magnitude }
            }
            var last = n - 1
            var shift = 0.0  // exceptional shifts, accumulated
            while last >= 0 {
                var steps = 0
                while true {
                    // The lowest negligible subdiagonal entry splits off the active block low…last.
                    var low = last
                    while low > 0 {
                        var s = at(low - 1, low - 1).magnitude + at(low, low).magnitude
                        if s == 0 { s = norm }
                        if at(low, low - 1).magnitude + s == s {
                            a[low * ld + low - 1] = 0
                            break
                        }
                        low -= 1
                    }
                    var x = at(last, last)
                    if low == last {
                        values.append((x + shift, 0))
                        last -= 1
                        break
                    }
                    var y = at(last - 1, last - 1)
                    var w = at(last, last - 1) * at(last - 1, last)
                    if low == last - 1 {
                        values.append(contentsOf: twoByTwoEigenvalues(x: x, y: y, w: w, shift: shift))
                        last -= 2
                        break
                    }
                    guard budget > 0 else { return false }
                    if steps == 10 || steps == 20 {
                        shift += x
                        for i in 0...last { a[i * ld + i] -= x }
                        let s = at(last, last - 1).magnitude + at(last - 1, last - 2).magnitude
                        x = 0.75 * s
                        y = x
                        w = -0.4375 * s * s
                    }
                    steps += 1
                    budget -= 1
                    doubleShiftStep(a, stride: ld, low: low, last: last, x: x, y: y, w: w)
                }
            }
            return true
        }
        return converged ? values : nil
    }

    /// The eigenvalues of the trailing 2 × 2 block [[y, ·], [·, x]] whose off-diagonal product
    /// is w, plus the accumulated shift: a real pair, the smaller one from the product of the
    /// two (no cancellation), or a complex pair.
    private static func twoByTwoEigenvalues(x: Double, y: Double, w: Double, shift: Double)
        -> [(real: Double, imaginary: Double)]
    {
        let p = 0.5 * (y - x)
        let q = p * p + w
        let z = q.magnitude.squareRoot()
        let center = x + shift
        guard q >= 0 else { return [(center + p, z), (center + p, -z)] }
        let signed = p >= 0 ? p + z : p - z
        let larger = center + signed
        return [(larger, 0), (signed != 0 ? center - w / signed : larger, 0)]
    }

    /// One Francis double-shift step on the active block low…last, with the shifts the
    /// eigenvalues of [[y, ·], [·, x]] (off-diagonal product w). It starts at the row m where
    /// two consecutive small subdiagonal entries allow it, and chases the bulge with 3 × 3
    /// reflectors down to the block's end; rows and columns outside the block never enter the
    /// eigenvalues and are not updated.
    private static func doubleShiftStep(
        _ a: UnsafeMutableBufferPointer<Double>, stride ld: Int, low: Int, last: Int, x: Double, y: Double, w: Double
    ) {
        func at(_ i: Int, _ j: Int) -> Double { a[i * ld + j] }
        var p = 0.0, q = 0.0, r = 0.0
        var m = last - 2
        while true {
            let z = at(m, m)
            let rr = x - z, ss = y - z
            p = (rr * ss - w) / at(m + 1, m) + at(m, m + 1)
            q = at(m + 1, m + 1) - z - rr - ss
            r = at(m + 2, m + 1)
            let s = p.magnitude + q.magnitude + r.magnitude
            p /= s
            q /= s
            r /= s
            if m == low { break }
            let u = at(m, m - 1).magnitude * (q.magnitude + r.magnitude)
            let v = p.magnitude * (at(m - 1, m - 1).magnitude + z.magnitude + at(m + 1, m + 1).magnitude)
            if u + v == v { break }
            m -= 1
        }
        for i in (m + 2)...last {
            a[i * ld + i - 2] = 0
            if i != m + 2 { a[i * ld + i - 3] = 0 }
        }
        for k in m..<last {
            let hasThird = k != last - 1
            var scale = 0.0
            if k != m {
                p = at(k, k - 1)
                q = at(k + 1, k - 1)
                r = hasThird ? at(k + 2, k - 1) : 0
                scale = p.magnitude + q.magnitude + r.magnitude
                guard scale != 0 else { continue }
                p /= scale
                q /= scale
                r /= scale
            }
            let length = (p * p + q * q + r * r).squareRoot()
            let s = p >= 0 ? length : -length
            guard s != 0 else { continue }
            if k == m {
                if low != m { a[k * ld + k - 1] = -at(k, k - 1) }
            } else {
                a[k * ld + k - 1] = -s * scale
            }
            p += s
            let vx = p / s, vy = q / s, vz = r / s
            q /= p
            r /= p
            // Rows k, k+1 (, k+2), columns k…last: one loop per case, on row pointers, so that
            // the compiler can run it two columns at a time (the same operations on each).
            let (row0, row1, row2) = (a.baseAddress! + k * ld, a.baseAddress! + (k + 1) * ld, a.baseAddress! + (k + 2) * ld)
            if hasThird {
                for j in k...last {
                    let d = row0[j] + q * row1[j] + r * row2[j]
                    row2[j] -= d * vz
                    row1[j] -= d * vy
                    row0[j] -= d * vx
                }
            } else {
                for j in k...last {
                    let d = row0[j] + q * row1[j]
                    row1[j] -= d * vy
                    row0[j] -= d * vx
                }
            }
            // Columns k, k+1 (, k+2), rows low…min(k + 3, last).
            for i in low...min(k + 3, last) {
                let row = a.baseAddress! + i * ld + k
                if hasThird {
                    let d = vx * row[0] + vy * row[1] + vz * row[2]
                    row[2] -= d * r
                    row[1] -= d * q
                    row[0] -= d
                } else {
                    let d = vx * row[0] + vy * row[1]
                    row[1] -= d * q
                    row[0] -= d
                }
            }
        }
    }
}
