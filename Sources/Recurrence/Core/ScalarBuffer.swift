/// A fixed-size, zero-initialized block of scalars (or of the integer exponents that go with
/// them) that the engine owns for the lifetime of a workspace. Raw storage keeps the time
/// loop free of array copies and bounds checks.
final class ScalarBuffer<Scalar: Numeric> {
    let base: UnsafeMutablePointer<Scalar>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }
}
