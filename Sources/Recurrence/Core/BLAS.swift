import COpenBLAS

/// Process-wide BLAS settings.
enum BLAS {
    /// Runs side by side share the cores one run each, so BLAS itself must stay on one thread;
    /// a threaded GEMM inside every run would oversubscribe the machine.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    static func configure() { _ = singleThreaded }
}
