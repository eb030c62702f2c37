/// How a tensor's leading dimensions map to time (T) and batch (N). The engine computes in
/// time-major order (T, N, ·) and converts at its boundary, outside the time loop.
enum BatchLayout: Equatable {
    case timeMajor  // (T, N, ·)
    case batchFirst  // (N, T, ·)
    case unbatched  // (T, ·): one sequence, N = 1

    /// The shape of a (T, N, width) tensor in this layout.
    func shape(steps: Int, batch: Int, width: Int) -> [Int] {
        switch self {
        case .timeMajor: [steps, batch, width]
        case .batchFirst: [batch, steps, width]
        case .unbatched: [steps, width]
        }
    }

    /// Copies `source` (in this layout) into `destination` in time-major order.
    func toTimeMajor<S>(_ source: UnsafePointer<S>, _ destination: UnsafeMutablePointer<S>,
                        steps: Int, batch: Int, width: Int) {
        guard self == .batchFirst else {
            destination.update(from: source, count: steps * batch * width)
            return
        }
        for n in 0..<batch {
            for t in 0..<steps {
                (destination + (t * batch + n) * width).update(from: source + (n * steps + t) * width, count: width)
            }
        }
    }

    /// Copies time-major `source` into a new array in this layout.
    func fromTimeMajor<S>(_ source: UnsafePointer<S>, steps: Int, batch: Int, width: Int) -> [S] {
        guard self == .batchFirst else { return Array(UnsafeBufferPointer(start: source, count: steps * batch * width)) }
        return [S](unsafeUninitializedCapacity: steps * batch * width) { buffer, initialized in
            for n in 0..<batch {
                for t in 0..<steps {
                    let target = buffer.baseAddress! + (n * steps + t) * width
                    target.initialize(from: source + (t * batch + n) * width, count: width)
                }
            }
            initialized = steps * batch * width
        }
    }
}
