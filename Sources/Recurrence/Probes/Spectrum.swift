/// σ_max(W_hh) and the spectral radius of W_hh for one layer and direction: the numbers
/// Pascanu et al.'s conditions for vanishing and exploding gradients are stated in.
public struct WeightSpectrum: Equatable, Sendable, Codable {
    public let layer: Int
    public let direction: Int
    public let largestSingularValue: Double
    public let spectralRadius: Double
}

/// Singular values and eigenvalues in Double (whatever the model's dtype), computed in
/// plain Swift arithmetic in one fixed order (`HessenbergQR`, `SymmetricEigen`), so that
/// the same matrix gives the same bits on every machine: these numbers go into summaries
/// and reports, and the spectral-radius init scales W_hh by one of them.
///
/// Both first scale the matrix by a power of 2 (exact) so that its largest magnitude is in
/// [1, 2), and scale the answer back: the algorithms' sums of squares then neither overflow
/// for huge entries nor lose tiny ones to underflow.
public enum Spectrum {
    /// The largest singular value of a row-major rows × columns matrix; NaN if the matrix is
    /// not finite.
    ///
    /// σ_max² is the largest eigenvalue of the Gram matrix of the smaller side (BᵀB with B
    /// the matrix or its transpose, whichever has fewer columns). Forming it squares the
    /// condition number, which matters for the small singular values only: the largest
    /// eigenvalue of BᵀB is perturbed by at most about k·ε·‖B‖² (k the summation length),
    /// that is k·ε relative, and σ_max by half that, about 1e-13 at k = 1024 in the worst
    /// case and nearer √k·ε in practice.
    public static func largestSingularValue(_ matrix: [Double], rows: Int, columns: Int) -> Double {
        precondition(matrix.count == rows * columns, "matrix has \(matrix.count) elements, not \(rows)×\(columns)")
        guard rows > 0, columns > 0, matrix.allSatisfy(\.isFinite) else { return .nan }
        guard let (scaled, exponent) = scaledToUnit(matrix) else { return 0 }
        let gram = rows >= columns
            ? SymmetricEigen.gram(scaled, rows: rows, columns: columns)
            : SymmetricEigen.gram(transposed(scaled, rows: rows, columns: columns), rows: columns, columns: rows)
        let largest = SymmetricEigen.largestEigenvalue(gram, size: min(rows, columns))
        return Double(sign: .plus, exponent: exponent, significand: largest.squareRoot())
    }

    /// The largest modulus of the eigenvalues of a square row-major matrix; NaN if the
    /// matrix is not finite or the QR iteration does not converge.
    public static func spectralRadius(_ matrix: [Double], size: Int) -> Double {
        precondition(matrix.count == size * size, "matrix has \(matrix.count) elements, not \(size)×\(size)")
        guard size > 0, matrix.allSatisfy(\.isFinite) else { return .nan }
        guard let (scaled, exponent) = scaledToUnit(matrix) else { return 0 }
        guard let eigenvalues = HessenbergQR.eigenvalues(scaled, size: size) else { return .nan }
        var radius = 0.0
        for (real, imaginary) in eigenvalues {
            radius = max(radius, imaginary == 0 ? real.magnitude : (real * real + imaginary * imaginary).squareRoot())
        }
        return Double(sign: .plus, exponent: exponent, significand: radius)
    }

    /// The matrix times 2^−e, with e the exponent of its largest magnitude, and e; nil for
    /// the zero matrix. Scaling by a power of 2 rounds nothing (but entries that become
    /// subnormal, which lie some 2^1022 below the largest and cannot matter).
    private static func scaledToUnit(_ matrix: [Double]) -> (scaled: [Double], exponent: Int)? {
        let largest = matrix.reduce(0) { max($0, $1.magnitude) }
        guard largest != 0 else { return nil }
        let exponent = Int(largest.exponent)
        return (matrix.map { Double(sign: .plus, exponent: -exponent, significand: $0) }, exponent)
    }

    private static func transposed(_ matrix: [Double], rows: Int, columns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: matrix.count)
        for i in 0..<rows {
            for j in 0..<columns { result[j * rows + i] = matrix[i * columns + j] }
        }
        return result
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
