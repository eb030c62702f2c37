@testable import Sweeps
import Foundation
import Testing
import TestSupport

/// HEAD read without a git program, from the layouts git leaves on disk.
@Suite("Source revision")
struct SourceRevisionTests {
    private let commit = "0123456789abcdef0123456789abcdef01234567"

    private func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("a branch in a loose ref, in packed-refs, and a detached HEAD")
    func checkout() throws {
        let root = try makeTemporaryDirectory("revision")
        defer { try? FileManager.default.removeItem(at: root) }
        let git = root.appendingPathComponent(".git")
        try write("ref: refs/heads/main\n", git.appendingPathComponent("HEAD"))
        try write(commit + "\n", git.appendingPathComponent("refs/heads/main"))
        #expect(SourceRevision.revision(gitDirectory: git) == commit)
        try FileManager.default.removeItem(at: git.appendingPathComponent("refs/heads/main"))
        try write("# pack-refs with: peeled\n\(commit) refs/heads/main\n", git.appendingPathComponent("packed-refs"))
        #expect(SourceRevision.revision(gitDirectory: git) == commit)
        try write(commit, git.appendingPathComponent("HEAD"))
        #expect(SourceRevision.revision(gitDirectory: git) == commit)
    }

    @Test("a linked worktree: its .git file points to its HEAD, the branch is in the common directory")
    func worktree() throws {
        let root = try makeTemporaryDirectory("revision-worktree")
        defer { try? FileManager.default.removeItem(at: root) }
        let common = root.appendingPathComponent("main/.git")
        let own = common.appendingPathComponent("worktrees/perf")
        try write("ref: refs/heads/perf\n", own.appendingPathComponent("HEAD"))
        try write("../..\n", own.appendingPathComponent("commondir"))
        try write(commit + "\n", common.appendingPathComponent("refs/heads/perf"))
        let link = root.appendingPathComponent("perf/.git")
        try write("gitdir: \(own.path)\n", link)
        #expect(SourceRevision.revision(gitDirectory: link) == commit)
    }
}
