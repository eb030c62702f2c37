import Foundation

/// The git revision the running tool was built from, when it runs from a checkout: found by
/// walking up from the executable to the repository's `.git` and reading HEAD there, so
/// that no `git` program is needed. Nil outside a checkout.
public enum SourceRevision {
    public static let current: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let git = directory.appendingPathComponent(".git")
            if FileManager.default.fileExists(atPath: git.path) { return revision(gitDirectory: git) }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// HEAD's commit. `git` is the `.git` directory, or in a linked worktree the `.git` file
    /// that points (`gitdir: …`) to the worktree's own directory, whose HEAD names a branch
    /// kept in the repository's common directory (`commondir`).
    static func revision(gitDirectory git: URL) -> String? {
        var own = git
        if let link = try? String(contentsOf: git, encoding: .utf8), link.hasPrefix("gitdir: ") {
            let path = link.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            own = URL(fileURLWithPath: path, relativeTo: git.deletingLastPathComponent()).standardizedFileURL
        }
        var common = own
        if let relative = try? String(contentsOf: own.appendingPathComponent("commondir"), encoding: .utf8) {
            common = URL(fileURLWithPath: relative.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: own.appendingPathComponent("."))
                .standardizedFileURL
        }
        guard let head = try? String(contentsOf: own.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard head.hasPrefix("ref: ") else { return head.isEmpty ? nil : head }
        let reference = String(head.dropFirst(5))
        if let loose = try? String(contentsOf: common.appendingPathComponent(reference), encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let packed = (try? String(contentsOf: common.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }
}
