/// Balancing of a square matrix before its eigenvalues are computed, as LAPACK's `dgebal`
/// with job "B" does it (Parlett and Reinsch), written out so that every machine computes
/// the same numbers.
///
/// Two steps, neither of which rounds:
/// 1. Permutation: a row whose off-diagonal entries (within the active block) are all zero,
///    or such a column, is moved to the block's end or start; its diagonal entry is then an
///    eigenvalue, exactly. Triangular matrices come apart completely, so their eigenvalues
///    are their diagonal entries, as LAPACK returns them.
/// 2. Scaling: D⁻¹AD with D a diagonal of powers of 2, chosen so that each row and column of
///    the remaining block have similar 1-norms (off the diagonal). Eigenvalues are computed
///    to an accuracy relative to the matrix's norm, which balancing lowers.
struct BalancedMatrix {
    /// Eigenvalues isolated by the permutation: diagonal entries of the original matrix.
    let isolatedEigenvalues: [Double]
    /// The remaining block, permuted and scaled, row-major `size` × `size`; its eigenvalues
    /// are the matrix's others.
    let block: [Double]
    let size: Int

    init(_ matrix: [Double], size n: Int) {
        var a = matrix
        // The active block is rows and columns low...high (inclusive) of the permuted matrix.
        var low = 0, high = n - 1
        var isolated: [Double] = []
        func swap(_ i: Int, _ j: Int) {
            guard i != j else { return }
            for r in 0..<n { a.swapAt(r * n + i, r * n + j) }
            for c in 0..<n { a.swapAt(i * n + c, j * n + c) }
        }
        // Rows with no off-diagonal entry in the active columns go to the bottom.
        var searching = true
        while searching && high >= low {
            searching = false
            for row in stride(from: high, through: low, by: -1)
            where (low...high).allSatisfy({ $0 == row || a[row * n + $0] == 0 }) {
                swap(row, high)
                isolated.append(a[high * n + high])
                high -= 1
                searching = true
                break
            }
        }
        // Columns with no off-diagonal entry in the active rows go to the top.
        searching = true
        while searching && high >= low {
            searching = false
            for column in low...high where (low...high).allSatisfy({ $0 == column || a[$0 * n + column] == 0 }) {
                swap(column, low)
                isolated.append(a[low * n + low])
                low += 1
                searching = true
                break
            }
        }
        isolatedEigenvalues = isolated
        size = max(high - low + 1, 0)
        var block = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0..<size { block[i * size + j] = a[(low + i) * n + low + j] }
        }
        Self.scale(&block, size: size)
        self.block = block
    }

    /// EISPACK's `balanc` scaling loop: row and column i are scaled by 2^k when that brings
    /// their off-diagonal 1-norms c and r closer, and the change lowers c + r by at least 5 %.
    /// Powers of 2 make every scaling exact; the loop ends when a sweep changes nothing. No
    /// index is scaled by more than 2^±128 in all (LAPACK bounds it too): beyond that the
    /// entries being evened out are far below the matrix's rounding, and the products of the
    /// later steps must stay far from overflow.
    private static func scale(_ a: inout [Double], size n: Int) {
        let radix = 2.0, radixSquared = 4.0, limit = 0x1p128
        var total = [Double](repeating: 1, count: n)
        var converged = false
        while !converged {
            converged = true
            for i in 0..<n {
                var c = 0.0, r = 0.0
                for j in 0..<n where j != i {
                    c += a[j * n + i].magnitude
                    r += a[i * n + j].magnitude
                }
                guard c != 0, r != 0 else { continue }
                var g = r / radix, f = 1.0
                let s = c + r
                while c < g {
                    f *= radix
                    c *= radixSquared
                }
                g = r * radix
                while c >= g {
                    f /= radix
                    c /= radixSquared
                }
                guard (c + r) / f < 0.95 * s, (total[i] * f).magnitude <= limit, total[i] * f >= 1 / limit else {
                    continue
                }
                converged = false
                total[i] *= f
                for j in 0..<n { a[i * n + j] /= f }
                for j in 0..<n { a[j * n + i] *= f }
            }
        }
    }
}
