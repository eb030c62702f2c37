import Plot
import Sweeps

extension Provenance {
    /// This tool, its source revision, and the given description (a command or a config).
    public static func vanish(_ description: String?) -> Provenance {
        Provenance(software: "vanish \(ToolVersion.current)", source: SourceRevision.current, description: description)
    }
}
