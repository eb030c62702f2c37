import CKernels

/// The instruction set the engine's GEMM, tanh and row kernels run on, chosen once per
/// process from what the CPU supports. Outputs record it beside the CPU model.
public enum KernelPath {
    public static var current: String {
        switch vanish_instruction_set_in_use() {
        case vanish_avx512: "avx512"
        case vanish_avx2: "avx2"
        default: "baseline"
        }
    }
}
