import Foundation
import Testing
import TestSupport

/// `vanish --version` names what built it, recorded at build time: a copy of the binary far
/// from any checkout still knows its revision.
@Suite("Version and build provenance")
struct VersionProvenanceTests {
    /// `git` run in the repository the tests were built from.
    private func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repositoryURL(".").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a release-style copy in another directory names its revision, kernel path and CPU")
    func copiedBinary() throws {
        let head = try git(["rev-parse", "HEAD"])
        try #require(head.count == 40, "the tests run from a git checkout")
        let directory = try makeTemporaryDirectory("copied-binary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("vanish")
        try FileManager.default.copyItem(at: vanishExecutable, to: copy)

        let process = Process()
        process.executableURL = copy
        process.arguments = ["--version"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(process.terminationStatus == 0)
        #expect(lines.count == 4 && lines[0].hasPrefix("vanish "), "\(lines)")
        // Dirty or not as the tree was at build time, which may differ from now (an edit since).
        #expect(["revision \(head)", "revision \(head) dirty (built with uncommitted changes)"].contains(lines[safe: 1] ?? ""),
                "\(lines)")
        #expect(["kernels avx512", "kernels avx2", "kernels baseline"].contains(lines[safe: 2] ?? ""))
        #expect(lines[safe: 3]?.hasPrefix("CPU ") == true && lines[safe: 3] != "CPU ")
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
