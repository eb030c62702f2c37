import Plot
import Sweeps

extension Provenance {
    /// This tool, its source revision, the machine (kernel path and CPU), the given
    /// description (a command or a config) and the hash of the configuration drawn from.
    public static func vanish(_ description: String?, configHash: String? = nil) -> Provenance {
        Provenance(software: ToolProvenance.tool, source: SourceRevision.current, description: description,
                   machine: ToolProvenance.machine, configHash: configHash)
    }
}
