import COpenBLAS

/// Process-wide settings of OpenBLAS, which the engine uses for LAPACK only (its GEMMs are
/// CKernels').
enum BLAS {
    /// Runs side by side share the cores one run each, so LAPACK must stay on one thread;
    /// a threaded routine inside every run would oversubscribe the machine.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    static func configure() { _ = singleThreaded }
}
