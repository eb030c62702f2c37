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

    /// Zeroed by calloc, which maps fresh pages lazily: memory is committed only where the
    /// buffer is written.
    init(count: Int) {
        self.count = count
        guard let memory = calloc(max(count, 1), MemoryLayout<Scalar>.stride) else {
            fatalError("out of memory allocating \(count) × \(MemoryLayout<Scalar>.stride) bytes")
        }
        base = memory.bindMemory(to: Scalar.self, capacity: max(count, 1))
    }

    deinit { free(base) }
}
