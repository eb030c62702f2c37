import Foundation
import Recurrence
import Testing

/// `Spectrum`'s own σ_max and spectral radius against LAPACK's (`dgesvd`, `dgeev`), on the
/// matrices where eigenvalue algorithms go wrong, and pinned to exact bits so that a change
/// of the order of operations is caught.
@Suite("σ_max and spectral radius against LAPACK")
struct SpectrumAccuracyTests {
    static func gaussian(_ rows: Int, _ columns: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<rows * columns).map { _ in generator.normal() }
    }

    /// Q of a Gaussian matrix by Gram–Schmidt, twice (orthogonal to rounding).
    static func orthogonal(_ n: Int, seed: UInt64) -> [Double] {
        var q = gaussian(n, n, seed: seed)  // rows are the vectors
        for i in 0..<n {
            for _ in 0..<2 {
                for j in 0..<i {
                    var dot = 0.0
                    for k in 0..<n { dot += q[i * n + k] * q[j * n + k] }
                    for k in 0..<n { q[i * n + k] -= dot * q[j * n + k] }
                }
            }
            var norm = 0.0
            for k in 0..<n { norm += q[i * n + k] * q[i * n + k] }
            norm = norm.squareRoot()
            for k in 0..<n { q[i * n + k] /= norm }
        }
        return q
    }

    static func product(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n where a[i * n + k] != 0 {
                for j in 0..<n { c[i * n + j] += a[i * n + k] * b[k * n + j] }
            }
        }
        return c
    }

    static func transposed(_ a: [Double], _ n: Int) -> [Double] {
        (0..<n * n).map { a[($0 % n) * n + $0 / n] }
    }

    /// Q A Qᵀ: the same eigenvalues, with none of A's structure left for balancing to find.
    static func similar(_ a: [Double], _ n: Int, seed: UInt64) -> [Double] {
        let q = orthogonal(n, seed: seed)
        return product(product(q, a, n), transposed(q, n), n)
    }

    static func relative(_ value: Double, _ reference: Double) -> Double {
        reference == 0 ? value.magnitude : (value - reference).magnitude / reference.magnitude
    }

    func expectRadius(_ matrix: [Double], _ n: Int, within tolerance: Double = 1e-12, _ what: String) {
        let (own, lapack) = (Spectrum.spectralRadius(matrix, size: n), LAPACKSpectrum.spectralRadius(matrix, size: n))
        #expect(Self.relative(own, lapack) <= tolerance, "\(what) (n = \(n)): radius \(own), LAPACK \(lapack)")
    }

    func expectSigma(_ matrix: [Double], _ rows: Int, _ columns: Int, _ what: String) {
        let own = Spectrum.largestSingularValue(matrix, rows: rows, columns: columns)
        let lapack = LAPACKSpectrum.largestSingularValue(matrix, rows: rows, columns: columns)
        #expect(Self.relative(own, lapack) <= 1e-12, "\(what) (\(rows)×\(columns)): σ_max \(own), LAPACK \(lapack)")
    }

    static let sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 16, 17, 31, 32, 50, 64, 100, 127, 128, 200, 256, 300]

    @Test("Gaussian matrices, n = 1…300", arguments: sizes)
    func gaussian(_ n: Int) {
        let matrix = Self.gaussian(n, n, seed: UInt64(n))
        expectRadius(matrix, n, "Gaussian")
        expectSigma(matrix, n, n, "Gaussian")
    }

    @Test("rectangular matrices, either side the smaller (a gated cell's stacked W_hh is 3H × H or 4H × H)")
    func rectangular() {
        for (rows, columns) in [(1, 1), (1, 5), (5, 1), (3, 7), (7, 3), (2, 300), (300, 2), (192, 64), (64, 192), (256, 64), (300, 299)] {
            expectSigma(Self.gaussian(rows, columns, seed: UInt64(rows * 1000 + columns)), rows, columns, "Gaussian")
        }
    }

    @Test("orthogonal matrices: every eigenvalue and singular value of modulus 1", arguments: [2, 3, 10, 64, 200])
    func orthogonal(_ n: Int) {
        let q = Self.orthogonal(n, seed: 100 + UInt64(n))
        expectRadius(q, n, "orthogonal")
        expectSigma(q, n, n, "orthogonal")
        #expect((Spectrum.spectralRadius(q, size: n) - 1).magnitude < 1e-13)
    }

    @Test("cyclic permutations: eigenvalues the n-th roots of unity, where unshifted QR stalls", arguments: [2, 3, 5, 16, 100])
    func cyclic(_ n: Int) {
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n { matrix[i * n + (i + 1) % n] = 1 }
        #expect((Spectrum.spectralRadius(matrix, size: n) - 1).magnitude < 1e-13)
        expectRadius(Self.similar(matrix, n, seed: 7), n, "cyclic permutation, rotated")
    }

    @Test("triangular matrices, upper and lower: the eigenvalues are the diagonal, exactly", arguments: [2, 5, 50, 300])
    func triangular(_ n: Int) {
        let full = Self.gaussian(n, n, seed: 200 + UInt64(n))
        let upper = (0..<n * n).map { $0 / n <= $0 % n ? full[$0] : 0 }
        let lower = Self.transposed(upper, n)
        let diagonal = (0..<n).map { upper[$0 * n + $0].magnitude }.max()!
        for (matrix, what) in [(upper, "upper triangular"), (lower, "lower triangular")] {
            #expect(Spectrum.spectralRadius(matrix, size: n) == diagonal, "\(what)")
            expectRadius(matrix, n, what)
            expectSigma(matrix, n, n, what)
        }
    }

    /// A k × k Jordan block is defective: a perturbation of size δ moves its eigenvalue by
    /// about δ^(1/k), so both algorithms (backward errors δ ≈ n·ε·‖A‖) can only agree with the
    /// true radius, and each other, to about (n·ε)^(1/k). Held to 10·(n·ε·‖A‖)^(1/k).
    @Test("defective matrices (Jordan blocks, rotated): accuracy (nε)^(1/k) as the perturbation theory allows",
          arguments: [2, 3, 5])
    func jordan(_ k: Int) {
        let n = 12, eigenvalue = 0.9
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n { matrix[i * n + i] = i < k ? eigenvalue : 0.5 * Double(i) / Double(n) }
        for i in 0..<(k - 1) { matrix[i * n + i + 1] = 1 }
        // Upper bidiagonal as it is: balancing's permutation isolates every eigenvalue.
        #expect(Spectrum.spectralRadius(matrix, size: n) == eigenvalue)
        let rotated = Self.similar(matrix, n, seed: 300 + UInt64(k))
        let bound = 10 * pow(Double(n) * Double.ulpOfOne * 2, 1 / Double(k))
        let (own, lapack) = (Spectrum.spectralRadius(rotated, size: n), LAPACKSpectrum.spectralRadius(rotated, size: n))
        #expect((own - eigenvalue).magnitude <= bound, "radius \(own), bound \(bound)")
        #expect((own - lapack).magnitude <= bound, "radius \(own), LAPACK \(lapack)")
        expectSigma(rotated, n, n, "Jordan block")
    }

    @Test("scaled rotations: complex pairs of several moduli, the largest one rotated into a full matrix")
    func rotations() {
        let n = 10
        var matrix = [Double](repeating: 0, count: n * n)
        for pair in 0..<(n / 2) {
            let (r, angle) = (0.5 + 0.1 * Double(pair), 0.3 + 0.5 * Double(pair))
            let (i, j) = (2 * pair, 2 * pair + 1)
            matrix[i * n + i] = r * cos(angle)
            matrix[i * n + j] = -r * sin(angle)
            matrix[j * n + i] = r * sin(angle)
            matrix[j * n + j] = r * cos(angle)
        }
        expectRadius(matrix, n, "block rotations")
        let rotated = Self.similar(matrix, n, seed: 400)
        expectRadius(rotated, n, "block rotations, rotated")
        expectSigma(rotated, n, n, "block rotations, rotated")
        #expect((Spectrum.spectralRadius(rotated, size: n) - 0.9).magnitude < 1e-14)
    }

    @Test("zero and diagonal matrices")
    func zeroAndDiagonal() {
        for n in [1, 2, 7, 64] {
            let zero = [Double](repeating: 0, count: n * n)
            #expect(Spectrum.spectralRadius(zero, size: n) == 0)
            #expect(Spectrum.largestSingularValue(zero, rows: n, columns: n) == 0)
            #expect(LAPACKSpectrum.spectralRadius(zero, size: n) == 0)
            let values = Self.gaussian(1, n, seed: 500 + UInt64(n))
            let diagonal = (0..<n * n).map { $0 / n == $0 % n ? values[$0 / n] : 0 }
            let largest = values.map(\.magnitude).max()!
            #expect(Spectrum.spectralRadius(diagonal, size: n) == largest)
            #expect(Self.relative(Spectrum.largestSingularValue(diagonal, rows: n, columns: n), largest) <= 1e-15)
        }
    }

    @Test("tiny and huge entries: the same relative accuracy, and scaling by 2^k scales the answers by exactly 2^k")
    func scaled() {
        let n = 40
        let matrix = Self.gaussian(n, n, seed: 600)
        let (radius, sigma) = (Spectrum.spectralRadius(matrix, size: n), Spectrum.largestSingularValue(matrix, rows: n, columns: n))
        for scale in [1e-300, 1e-150, 1e150, 1e300] {
            let scaled = matrix.map { $0 * scale }
            expectRadius(scaled, n, "Gaussian × \(scale)")
            expectSigma(scaled, n, n, "Gaussian × \(scale)")
        }
        for exponent in [-1000, -60, 60, 1000] {
            let scaled = matrix.map { Double(sign: .plus, exponent: exponent, significand: $0) }
            #expect(Spectrum.spectralRadius(scaled, size: n) == Double(sign: .plus, exponent: exponent, significand: radius))
            #expect(Spectrum.largestSingularValue(scaled, rows: n, columns: n)
                == Double(sign: .plus, exponent: exponent, significand: sigma))
        }
        // Entries apart by 2^1000: the small ones cannot change the answer beyond rounding.
        var mixed = matrix
        for i in stride(from: 0, to: mixed.count, by: 3) { mixed[i] *= 0x1p-1000 }
        expectRadius(mixed, n, "entries 2^1000 apart")
        expectSigma(mixed, n, n, "entries 2^1000 apart")
    }

    /// Computed once with this implementation and pinned: any change to the order of the
    /// operations (or an FMA contraction) changes some of these bits.
    @Test("fixed matrices give pinned bits")
    func pinnedBits() {
        let a3: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 10]
        let a4: [Double] = [0.5, -1.25, 2, 0.75, 3, 0.125, -1, 2.5, -0.5, 1.5, 0.25, -2, 1, 1, -3, 0.375]
        let rectangular: [Double] = [1, -2, 0.5, 3, 0.25, -1, 2, 1.5, -0.75, 4]
        let gaussian = Self.gaussian(6, 6, seed: 42)
        let radii = [Spectrum.spectralRadius(a3, size: 3), Spectrum.spectralRadius(a4, size: 4),
                     Spectrum.spectralRadius(gaussian, size: 6)]
        let sigmas = [Spectrum.largestSingularValue(a3, rows: 3, columns: 3),
                      Spectrum.largestSingularValue(a4, rows: 4, columns: 4),
                      Spectrum.largestSingularValue(rectangular, rows: 2, columns: 5),
                      Spectrum.largestSingularValue(gaussian, rows: 6, columns: 6)]
        #expect(radii.map(\.bitPattern) == [0x4030_b51e_482e_e4f8, 0x4000_befa_9685_044c, 0x3fff_fcb7_88df_e1cc])
        #expect(sigmas.map(\.bitPattern)
            == [0x4031_6999_f048_dfbc, 0x4013_503c_2321_33d8, 0x4014_8666_418c_1e41, 0x4010_404d_d552_4648])
        // The same matrix twice: the same bits.
        #expect(Spectrum.spectralRadius(gaussian, size: 6).bitPattern == radii[2].bitPattern)
    }
}
