import AtomicIO
import Recurrence
import Testing

/// Expects `body` to throw a `FileFormatError` for `path` whose problem is one line and contains
/// every fragment (case-sensitive); records failures at the caller's line.
/// - Returns: the error, for further checks, or nil when `body` did not throw one.
@discardableResult
public func expectFileFormatError<Result>(
    path: String,
    mentioning fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Result
) -> FileFormatError? {
    // The closure's error type stays `any Error`: Swift does not infer typed throws for closures.
    do {
        let result = try body()
        Issue.record("expected a FileFormatError mentioning \(fragments), but got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch let error as FileFormatError {
        #expect(error.path == path, "error names \(error.path)", sourceLocation: sourceLocation)
        #expect(!error.problem.contains("\n"), "problem is not one line: \(error.problem)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.problem.contains(fragment), "problem: \(error.problem)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected a FileFormatError, but got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
