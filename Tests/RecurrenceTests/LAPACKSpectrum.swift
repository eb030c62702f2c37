import COpenBLAS

/// LAPACK's σ_max (`dgesvd`) and spectral radius (`dgeev`), from OpenBLAS: the reference the
/// tests hold `Spectrum`'s own implementations to. Not for the tool: OpenBLAS picks its
/// kernels by CPU, so these differ in the last bits between machines.
enum LAPACKSpectrum {
    static func largestSingularValue(_ matrix: [Double], rows: Int, columns: Int) -> Double {
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

    static func spectralRadius(_ matrix: [Double], size: Int) -> Double {
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
        return zip(real, imaginary).map(modulus).max() ?? .nan
    }

    /// |re + i·im| without overflow for entries near the largest Double.
    private static func modulus(_ real: Double, _ imaginary: Double) -> Double {
        let scale = max(real.magnitude, imaginary.magnitude)
        guard scale != 0 else { return 0 }
        let (x, y) = (real / scale, imaginary / scale)
        return scale * (x * x + y * y).squareRoot()
    }

    /// A LAPACK call as LAPACK asks: once with lwork = −1 for the workspace size, then with it.
    private static func withOptimalWorkspace(
        _ routine: (_ work: UnsafeMutablePointer<Double>, _ workSize: UnsafeMutablePointer<Int32>) -> Int32
    ) -> Int32 {
        openblas_set_num_threads(1)
        var query = [Double](repeating: 0, count: 1)
        var workSize: Int32 = -1
        let info = routine(&query, &workSize)
        guard info == 0 else { return info }
        workSize = Int32(max(query[0], 1))
        var work = [Double](repeating: 0, count: Int(workSize))
        return routine(&work, &workSize)
    }
}
