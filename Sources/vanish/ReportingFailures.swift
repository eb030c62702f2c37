import ArgumentParser
import Foundation

/// Runs `body`; an error becomes one line on stderr ("vanish: error: …") and the given exit
/// code, instead of a stack trace. Input errors use 2, failures to write results 1.
func reportingFailures<T>(exitCode: Int32, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("vanish: error: \(error)\n".utf8))
        throw ExitCode(exitCode)
    }
}
