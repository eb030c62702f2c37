/// Input that an analysis cannot use: names the file (and tensor) and what was expected,
/// in one line.
public struct AnalysisError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
