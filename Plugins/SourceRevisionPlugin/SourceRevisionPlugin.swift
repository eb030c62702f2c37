import Foundation
import PackagePlugin

/// Records the git revision the tool is built from, and whether the tree had uncommitted
/// changes, in a Swift file compiled into the target: a binary then names its revision
/// wherever it is copied, instead of guessing from the directory it runs in.
///
/// A build command whose inputs are git's record of HEAD and every source file of the
/// package: a commit, a checkout or an edit makes the build run it again. (A prebuild command
/// ran only when SwiftPM planned the build anew, so a commit alone left the old revision in
/// the binary.) The file is rewritten only when its text changes, so an unchanged tree
/// recompiles nothing. Without git or outside a checkout (a source tarball) the revision is nil.
@main
struct SourceRevisionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let output = directory.appending(path: "BuildRevision.swift")
        let package = context.package.directoryURL
        let sources = context.package.targets.flatMap { ($0 as? SourceModuleTarget)?.sourceFiles.map(\.url) ?? [] }
        return [
            .buildCommand(
                displayName: "Recording the source revision",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "record-revision", package.path, directory.path],
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"],
                inputFiles: Self.gitState(package) + sources,
                outputFiles: [output])
        ]
    }

    /// The files git rewrites on a commit, a checkout or a reset of HEAD: HEAD itself, its log,
    /// the index and the packed refs, in the repository's git directory (.git, or the one a
    /// worktree's .git file names). Those that do not exist are left out.
    private static func gitState(_ package: URL) -> [URL] {
        let dotGit = package.appending(path: ".git")
        var gitDirectory = dotGit
        if let link = try? String(contentsOf: dotGit, encoding: .utf8), link.hasPrefix("gitdir:") {
            let path = link.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        return ["HEAD", "logs/HEAD", "index", "packed-refs"]
            .map { gitDirectory.appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// $1: the package's directory; $2: where BuildRevision.swift goes.
    private static let script = #"""
        set -u
        mkdir -p "$2"
        commit=$(git -C "$1" rev-parse --verify --quiet HEAD 2>/dev/null || true)
        dirty=false
        if [ -n "$commit" ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=true; fi
        if [ -n "$commit" ]; then value="\"$commit\""; else value=nil; fi
        cat > "$2/BuildRevision.swift.new" <<EOF
        // Written by SourceRevisionPlugin at build time; not in git.
        enum BuildRevision {
            static let commit: String? = $value
            static let dirty = $dirty
        }
        EOF
        if cmp -s "$2/BuildRevision.swift.new" "$2/BuildRevision.swift"; then
            rm "$2/BuildRevision.swift.new"
        else
            mv "$2/BuildRevision.swift.new" "$2/BuildRevision.swift"
        fi
        """#
}
