import CKernels

/// The instruction set the engine's GEMM, tanh, gate and row kernels run on: the widest the
/// CPU supports, or the one the environment variable `VANISH_KERNELS` names (`avx512`, `avx2`
/// or `baseline`). Every path computes the same bits, so outputs record it beside the CPU model
/// only as provenance of speed; forcing one is how the identity is checked.
public enum KernelPath {
    /// The path in use, forced or not.
    public static var current: String { name(vanish_instruction_set_in_use()) }

    /// Every path this CPU supports, widest first.
    public static var supported: [String] {
        [vanish_avx512, vanish_avx2, vanish_baseline].filter { vanish_float_kernels_for($0) != nil }.map(name)
    }

    /// Throws when `VANISH_KERNELS` names a path this CPU lacks or no path at all; the kernels
    /// would then run on the widest path, not the one asked for. A program that lets its user
    /// force a path calls this before any work.
    public static func validateEnvironment() throws(KernelPathError) {
        let request = vanish_kernels_request().map { String(cString: $0) } ?? ""
        switch vanish_kernels_request_status() {
        case vanish_request_unknown: throw .unknown(request)
        case vanish_request_unsupported: throw .unsupported(request, supported: supported)
        default: return
        }
    }

    private static func name(_ set: vanish_instruction_set) -> String {
        switch set {
        case vanish_avx512: "avx512"
        case vanish_avx2: "avx2"
        default: "baseline"
        }
    }
}

/// A `VANISH_KERNELS` that cannot be honoured.
public enum KernelPathError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case unsupported(String, supported: [String])

    public var description: String {
        switch self {
        case .unknown(let value):
            "VANISH_KERNELS=\(value): not a kernel path (avx512, avx2 or baseline)"
        case .unsupported(let value, let supported):
            "VANISH_KERNELS=\(value): this CPU has no \(value == "avx512" ? "AVX-512" : "AVX2 with FMA") (it supports: \(supported.joined(separator: ", ")))"
        }
    }
}
