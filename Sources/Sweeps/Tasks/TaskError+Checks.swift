extension TaskError {
    /// The largest length, symbol count or class count a task takes: far beyond any
    /// experiment, and small enough that no size computed from them can overflow.
    static let largestInteger = 10_000_000

    /// Throws `outOfRange` unless `minimum ≤ value ≤ largestInteger`.
    static func check(
        _ value: Int, atLeast minimum: Int, task: String, parameter: String
    ) throws(TaskError) {
        guard value >= minimum, value <= largestInteger else {
            throw .outOfRange(
                task: task, parameter: parameter, value: .int(value),
                expected: "an integer from \(minimum) to \(largestInteger)")
        }
    }

    /// Throws `outOfRange` unless `value` is finite and `value ≥ minimum`.
    static func check(
        _ value: Double, atLeast minimum: Double, task: String, parameter: String
    ) throws(TaskError) {
        guard value.isFinite, value >= minimum else {
            throw .outOfRange(
                task: task, parameter: parameter, value: .double(value),
                expected: "a finite number ≥ \(minimum.formatted)")
        }
    }
}

extension Double {
    /// "0" rather than "0.0" for whole numbers in messages and docs.
    fileprivate var formatted: String {
        rounded() == self && magnitude < 1e15 ? String(Int(self)) : String(self)
    }
}
