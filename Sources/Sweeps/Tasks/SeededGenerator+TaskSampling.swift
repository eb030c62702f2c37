import Recurrence

extension SeededGenerator {
    /// An index uniform in 0..<count (from 53 random bits; the bias is below 2⁻⁵³·count).
    /// Built here rather than with `Int.random(in:using:)`, whose algorithm may change.
    mutating func nextIndex(below count: Int) -> Int {
        precondition(count > 0, "nextIndex(below:) needs a positive count")
        return Swift.min(Int(nextUnit() * Double(count)), count - 1)
    }
}
