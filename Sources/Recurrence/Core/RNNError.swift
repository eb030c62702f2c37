/// A request the engine cannot carry out: a bad configuration or a tensor of the wrong shape.
/// The message is one line and names the argument and what was expected.
public struct RNNError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
