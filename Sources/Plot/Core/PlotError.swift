/// A figure that cannot be drawn or written as asked. One line, naming what was wrong
/// (the series, the axis, the file) and what was expected.
public struct PlotError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
