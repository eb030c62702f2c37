import Foundation

/// The result of running the built `vanish` executable.
public struct CommandResult {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
}

/// Runs the `vanish` executable that `swift build` put next to the test bundle.
/// - Parameter environment: variables set on top of this process's environment.
public func runVanish(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = vanishExecutable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read before waiting so a full pipe cannot block the child.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
}

/// The built `vanish` executable, for tests that manage the process themselves.
public var vanishExecutable: URL { builtProductsDirectory.appendingPathComponent("vanish") }

/// The build directory (e.g. .build/debug): the test bundle's own directory.
private var builtProductsDirectory: URL {
    var url = Bundle.main.bundleURL
    while url.pathExtension == "xctest" || url.lastPathComponent == "Contents" || url.lastPathComponent == "MacOS" {
        url.deleteLastPathComponent()
    }
    return url
}

/// A fresh temporary directory, removed by the caller.
public func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
