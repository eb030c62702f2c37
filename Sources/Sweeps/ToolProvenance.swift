import Recurrence

/// What produced an output, as every summary, report and figure records it: this tool's
/// version, the revision it was built from, the kernel path its numbers were computed on and
/// the CPU model.
public enum ToolProvenance {
    /// "vanish 0.1.0".
    public static var tool: String { "vanish \(ToolVersion.current)" }

    /// "kernels avx512, CPU Intel(R) Xeon(R) Processor".
    public static var machine: String { "kernels \(KernelPath.current), CPU \(cpuModel)" }

    /// The first `model name` of /proc/cpuinfo; "unknown" where there is none.
    public static let cpuModel: String = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { return name }
            }
        }
        return "unknown"
    }()

    /// What `vanish --version` prints: the version; the revision it was built from, and
    /// whether the tree was dirty; the kernel path this CPU gets; the CPU model.
    public static var versionText: String {
        let revision = BuildRevision.commit.map { BuildRevision.dirty ? "\($0) dirty (built with uncommitted changes)" : $0 }
            ?? "unknown (built outside a git checkout)"
        return "\(tool)\nrevision \(revision)\nkernels \(KernelPath.current)\nCPU \(cpuModel)"
    }

    /// FNV-1a 64 of a config's text, 16 hex digits: which configuration an output came from.
    public static func configHash(_ text: String) -> String {
        FNV1a.hex(text.utf8)
    }
}
