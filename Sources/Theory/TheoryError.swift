/// An argument outside the range a theory computation is defined for: one line naming the
/// argument, its range and the value given.
public struct TheoryError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
