/// A fixed-size, zero-initialized block of scalars that the engine owns for the lifetime of
/// a workspace. Raw storage keeps the time loop free of array copies and bounds checks.
final class ScalarBuffer<Scalar: RNNScalar> {
    let base: UnsafeMutablePointer<Scalar>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    func zero() { base.update(repeating: 0, count: count) }

    func copy(from source: UnsafePointer<Scalar>, count: Int) {
        base.update(from: source, count: count)
    }

    func array(count: Int? = nil, from offset: Int = 0) -> [Scalar] {
        Array(UnsafeBufferPointer(start: base + offset, count: count ?? self.count - offset))
    }
}
