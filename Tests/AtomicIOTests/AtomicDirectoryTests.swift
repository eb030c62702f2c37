import AtomicIO
import Foundation
import TestSupport
import Testing

@Suite("Atomic directory publishing")
struct AtomicDirectoryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-atomic-\(UUID())")

    private func contents(_ url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    @Test("creates, then replaces as a whole")
    func createAndReplace() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let destination = root.appendingPathComponent("out")
        try AtomicDirectory.write([("a.txt", Data("1".utf8)), ("b.txt", Data("2".utf8))], to: destination)
        #expect(contents(destination) == ["a.txt", "b.txt"])
        try AtomicDirectory.write([("c.txt", Data("3".utf8))], to: destination)
        #expect(contents(destination) == ["c.txt"])
        #expect(contents(root) == ["out"], "no staging or retired directories left behind")
    }

    @Test("a failure leaves the old directory and nothing else")
    func failureLeavesOld() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let destination = root.appendingPathComponent("out")
        try AtomicDirectory.write([("a.txt", Data("1".utf8))], to: destination)
        // A file name that cannot be created (a subdirectory that does not exist) fails mid-way.
        #expect(throws: FileFormatError.self) {
            try AtomicDirectory.write([("b.txt", Data("2".utf8)), ("missing/c.txt", Data("3".utf8))], to: destination)
        }
        #expect(contents(destination) == ["a.txt"])
        #expect(contents(root) == ["out"])
    }

    @Test("an impossible destination is an error naming the path")
    func impossibleDestination() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("plain-file")
        try Data().write(to: file)
        do {
            try AtomicDirectory.write([("a.txt", Data())], to: file.appendingPathComponent("out"))
            Issue.record("expected an error")
        } catch {
            #expect(error.path.contains("plain-file"))
        }
    }
}
