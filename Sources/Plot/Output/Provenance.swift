/// Where a figure came from, written into every file it is saved as.
public struct Provenance: Equatable, Sendable {
    /// The program and its version, e.g. "vanish 0.1.0".
    public var software: String
    /// The source revision, when known.
    public var source: String?
    /// The command or configuration that made the figure.
    public var description: String?
    /// The machine the numbers were computed on, e.g. "kernels avx512, CPU Intel(R) Xeon(R)".
    public var machine: String?
    /// A hash of the configuration the figure was drawn from.
    public var configHash: String?

    public init(software: String, source: String? = nil, description: String? = nil, machine: String? = nil,
                configHash: String? = nil) {
        self.software = software
        self.source = source
        self.description = description
        self.machine = machine
        self.configHash = configHash
    }

    /// Every known field, keyword first, in the order files list them: the PNG text chunks,
    /// the SVG metadata element and the PDF keywords.
    public var fields: [(key: String, value: String)] {
        [("Software", software), ("Source", source), ("Description", description), ("Machine", machine),
         ("Config hash", configHash)].compactMap { key, value in value.map { (key, $0) } }
    }
}
