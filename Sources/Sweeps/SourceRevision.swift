/// The git revision this tool was built from, recorded at build time by SourceRevisionPlugin
/// (so a binary copied anywhere still names it), with "-dirty" appended when the tree had
/// uncommitted changes to tracked files: such a build cannot be rebuilt from its commit alone.
/// Nil when it was built outside a git checkout.
public enum SourceRevision {
    public static let current: String? = BuildRevision.commit.map { BuildRevision.dirty ? $0 + "-dirty" : $0 }
}
