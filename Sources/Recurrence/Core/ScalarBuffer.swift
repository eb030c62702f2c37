#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-size, zero-initialized block of scalars (or of the integer exponents that go with
/// them) that the engine owns for the lifetime of a workspace. Raw storage keeps the time
/// loop free of array copies and bounds checks.
final class ScalarBuffer<Scalar: Numeric> {
    let base: UnsafeMutablePointer<Scalar>
    let count: Int
    private let allocation: UnsafeMutableRawPointer

    /// Zeroed by calloc, which maps fresh pages lazily: memory is committed only where the
    /// buffer is written. `base` starts on a cache line, so that the kernels' 64-byte vectors
    /// never straddle two lines: calloc aligns to 16 bytes only, and with every matrix 16 or
    /// 32 bytes off a line the GEMMs ran 3–10 % slower in a microbenchmark.
    init(count: Int) {
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Scalar>.stride
        guard let memory = calloc(bytes + ScalarBuffer.alignment, 1) else {
            fatalError("out of memory allocating \(count) × \(MemoryLayout<Scalar>.stride) bytes")
        }
        allocation = memory
        let skip = (ScalarBuffer.alignment - Int(bitPattern: memory) % ScalarBuffer.alignment) % ScalarBuffer.alignment
        base = (memory + skip).bindMemory(to: Scalar.self, capacity: max(count, 1))
    }

    deinit { free(allocation) }

    private static var alignment: Int { 64 }
}
