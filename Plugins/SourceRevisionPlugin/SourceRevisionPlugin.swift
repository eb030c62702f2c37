import Foundation
import PackagePlugin

/// Records the git revision the tool is built from, and whether the tree had uncommitted
/// changes, in a Swift file compiled into the target: a binary then names its revision
/// wherever it is copied, instead of guessing from the directory it runs in.
///
/// A prebuild command, so it runs before every build and a commit or an edit is never missed.
/// The file is rewritten only when its text changes, so an unchanged tree recompiles nothing.
/// Without git or outside a checkout (a source tarball) the revision is nil.
@main
struct SourceRevisionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        return [
            .prebuildCommand(
                displayName: "Recording the source revision",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "record-revision", context.package.directoryURL.path, output.path],
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"],
                outputFilesDirectory: output)
        ]
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
