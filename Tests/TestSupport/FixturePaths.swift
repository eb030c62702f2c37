import Foundation

/// The directory `Tests/Fixtures`, found from this source file's own path so tests read the
/// committed reference files wherever the package is checked out and whatever the working
/// directory.
private let fixturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TestSupport
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures", isDirectory: true)

/// The URL of a file under `Tests/Fixtures`, e.g. `fixtureURL("io/f4_2x3.npy")`.
public func fixtureURL(_ relativePath: String) -> URL {
    fixturesDirectory.appendingPathComponent(relativePath)
}

/// The URL of a file of the repository, e.g. `repositoryURL("docs/schema/run-summary.schema.json")`.
public func repositoryURL(_ relativePath: String) -> URL {
    fixturesDirectory
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .appendingPathComponent(relativePath)
}
