import Foundation

/// Relative paths between places on disk, so that a report's links into the run store
/// resolve from wherever `--out` put the report, from file:// and after copying report and
/// store together.
enum RelativePath {
    /// The path from the directory `base` to `target` ("../../runs/x/file.npy").
    static func from(_ base: URL, to target: URL) -> String {
        let from = resolved(base).pathComponents, to = resolved(target).pathComponents
        var shared = 0
        while shared < min(from.count, to.count), from[shared] == to[shared] { shared += 1 }
        let parts = Array(repeating: "..", count: from.count - shared) + to[shared...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The absolute path with symbolic links resolved as far as the path exists: a report's
    /// directory is made later, so only its existing ancestors can be resolved.
    static func resolved(_ url: URL) -> URL {
        let standard = url.standardizedFileURL
        var existing = standard, missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        return missing.reduce(existing.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }
    }
}
