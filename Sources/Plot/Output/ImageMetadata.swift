/// Provenance written into every PNG figure: which program made it, from which revision,
/// from which config or command, and at what resolution.
///
/// Text goes into PNG text chunks keyed `Software`, `Source`, `Description`, `Machine` and
/// `Config hash` (those given): plain ASCII
/// values as tEXt, any other value (σ, χ, ‖∂L/∂hₜ‖, …) as uncompressed UTF-8 iTXt, since tEXt
/// holds Latin-1 only. Values may be long and span lines; they cannot contain NUL.
public struct ImageMetadata: Equatable, Sendable {
    /// The program and its version, e.g. "vanish 0.1.0".
    public var software: String
    /// The source revision (git commit) when known; omitted from the file when nil.
    public var source: String?
    /// The config or command that made the figure; omitted from the file when nil.
    public var description: String?
    /// The machine and the config's hash (`Provenance`'s); omitted when nil.
    public var machine: String?
    public var configHash: String?
    /// Resolution written as pHYs in pixels per metre, `round(dotsPerInch / 0.0254)`.
    /// Must be positive and finite.
    public var dotsPerInch: Double

    public init(software: String, source: String? = nil, description: String? = nil, machine: String? = nil,
                configHash: String? = nil, dotsPerInch: Double) {
        self.software = software
        self.source = source
        self.description = description
        self.machine = machine
        self.configHash = configHash
        self.dotsPerInch = dotsPerInch
    }

    /// A figure's provenance at its resolution.
    public init(_ provenance: Provenance, dotsPerInch: Double) {
        self.init(software: provenance.software, source: provenance.source, description: provenance.description,
                  machine: provenance.machine, configHash: provenance.configHash, dotsPerInch: dotsPerInch)
    }

    /// `dotsPerInch` in pixels per metre, rounded to the nearest integer, as PNG stores it.
    public var pixelsPerMetre: Int? {
        guard dotsPerInch.isFinite, dotsPerInch > 0 else { return nil }
        let perMetre = (dotsPerInch / 0.0254).rounded()
        guard perMetre >= 1, perMetre <= Double(Int32.max) else { return nil }
        return Int(perMetre)
    }

    /// The text chunks in file order, keyword first.
    var textChunks: [(key: String, value: String)] {
        Provenance(software: software, source: source, description: description, machine: machine, configHash: configHash).fields
    }
}
