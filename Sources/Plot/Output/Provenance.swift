/// Where a figure came from, written into every file it is saved as.
public struct Provenance: Equatable, Sendable {
    /// The program and its version, e.g. "vanish 0.1.0".
    public var software: String
    /// The source revision, when known.
    public var source: String?
    /// The command or configuration that made the figure.
    public var description: String?

    public init(software: String, source: String? = nil, description: String? = nil) {
        self.software = software
        self.source = source
        self.description = description
    }
}
