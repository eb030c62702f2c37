import ArgumentParser
import Foundation

/// The one way commands speak on stderr: `vanish: error: …`, `vanish: warning: …`,
/// `vanish: note: …`, a line each, never a stack trace.
enum Diagnostics {
    static func error(_ message: String) { write("error", message) }
    static func warning(_ message: String) { write("warning", message) }
    static func note(_ message: String) { write("note", message) }

    private static func write(_ kind: String, _ message: String) {
        FileHandle.standardError.write(Data("vanish: \(kind): \(message)\n".utf8))
    }
}

/// Runs `body`; an error becomes one `vanish: error:` line and the given exit code. Input
/// errors use 2, failures to write results 1.
func reportingFailures<T>(exitCode: Int32, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        Diagnostics.error("\(error)")
        throw ExitCode(exitCode)
    }
}
