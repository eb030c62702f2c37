import Foundation

/// A file that cannot be read or written as asked: names the file and says what is wrong,
/// in one line, so a command can print it as it is.
public struct FileFormatError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

extension FileFormatError {
    /// The error for a system call that just failed: `what` went wrong at `path`, and the
    /// system's reason (from errno), e.g. "cannot create file: No space left on device".
    public static func system(_ path: String, _ what: String) -> FileFormatError {
        FileFormatError(path: path, problem: "\(what): \(String(cString: strerror(errno)))")
    }
}
