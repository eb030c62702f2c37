import COpenBLAS

/// σ_max(W_hh) and the spectral radius of W_hh for one layer and direction: the numbers
/// Pascanu et al.'s conditions for vanishing and exploding gradients are stated in.
public struct WeightSpectrum: Equatable, Sendable, Codable {
    public let layer: Int
    public let direction: Int
    public let largestSingularValue: Double
    public let spectralRadius: Double
}

/// Singular values and eigenvalues through LAPACK (in Double, whatever the model's dtype).
public enum Spectrum {
    /// The largest singular value of a row-major rows × columns matrix; NaN if LAPACK does
    /// not converge or the matrix is not finite.
    public static func largestSingularValue(_ matrix: [Double], rows: Int, columns: Int) -> Double {
        precondition(matrix.count == rows * columns, "matrix has \(matrix.count) elements, not \(rows)×\(columns)")
        guard rows > 0, columns > 0, matrix.allSatisfy(\.isFinite) else { return .nan }
        // Row-major A is column-major Aᵀ, which has the same singular values.
        var a = matrix
        var m = Int32(columns), n = Int32(rows), lda = Int32(columns)
        var singular = [Double](repeating: 0, count: min(rows, columns))
        var left = [Double](repeating: 0, count: 1), right = [Double](repeating: 0, count: 1)
        var one: Int32 = 1
        var job = Int8(UInt8(ascii: "N"))
        let info = withOptimalWorkspace { work, workSize in
            var info: Int32 = 0
            dgesvd_(&job, &job, &m, &n, &a, &lda, &singular, &left, &one, &right, &one, work, workSize, &info)
            return info
        }
        return info == 0 ? singular[0] : .nan
    }

    /// The largest modulus of the eigenvalues of a square row-major matrix; NaN if LAPACK
    /// does not converge or the matrix is not finite.
    public static func spectralRadius(_ matrix: [Double], size: Int) -> Double {
        precondition(matrix.count == size * size, "matrix has \(matrix.count) elements, not \(size)×\(size)")
        guard size > 0, matrix.allSatisfy(\.isFinite) else { return .nan }
        // Aᵀ has the same eigenvalues, so the row-major layout can be passed as it is.
        var a = matrix
        var n = Int32(size), lda = Int32(size)
        var real = [Double](repeating: 0, count: size)
        var imaginary = [Double](repeating: 0, count: size)
        var left = [Double](repeating: 0, count: 1), right = [Double](repeating: 0, count: 1)
        var one: Int32 = 1
        var job = Int8(UInt8(ascii: "N"))
        let info = withOptimalWorkspace { work, workSize in
            var info: Int32 = 0
            dgeev_(&job, &job, &n, &a, &lda, &real, &imaginary, &left, &one, &right, &one, work, workSize, &info)
            return info
        }
        guard info == 0 else { return .nan }
        return zip(real, imaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? .nan
    }

    /// Calls a LAPACK routine the way LAPACK asks: once with lwork = −1 to learn the best
    /// workspace size, then with a workspace of that size. Returns the second call's INFO.
    private static func withOptimalWorkspace(
        _ routine: (_ work: UnsafeMutablePointer<Double>, _ workSize: UnsafeMutablePointer<Int32>) -> Int32
    ) -> Int32 {
        BLAS.configure()
        var query = [Double](repeating: 0, count: 1)
        var workSize: Int32 = -1
        let info = routine(&query, &workSize)
        guard info == 0 else { return info }
        workSize = Int32(max(query[0], 1))
        var work = [Double](repeating: 0, count: Int(workSize))
        return routine(&work, &workSize)
    }
}

extension RNN {
    /// σ_max and spectral radius of every W_hh, in h_n's row order. A gated cell's W_hh
    /// (G·H, S) stacks its gates' matrices: σ_max is the whole stack's, and the spectral
    /// radius, defined for a square matrix only, is NaN.
    public func recurrentWeightSpectra() -> [WeightSpectrum] {
        let (rows, columns) = (configuration.cell.gateCount * configuration.hiddenSize, configuration.stateSize)
        return parameters.layout.blocks.enumerated().map { b, block in
            let weights = parameters.storage[block.weightHH..<block.weightHH + rows * columns].map { Double($0) }
            return WeightSpectrum(
                layer: b / configuration.directions, direction: b % configuration.directions,
                largestSingularValue: Spectrum.largestSingularValue(weights, rows: rows, columns: columns),
                spectralRadius: rows == columns ? Spectrum.spectralRadius(weights, size: rows) : .nan)
        }
    }
}
