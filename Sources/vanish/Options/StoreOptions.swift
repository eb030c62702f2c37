import ArgumentParser

/// `--store DIR`, the run store's root, in every command that reads or writes one. Earlier
/// versions called it `--out` (sweep, run, slurm) and `--runs` (reproduce); those spellings
/// are still read, unlisted, so that existing scripts keep working.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp("The run store's root directory.", valueName: "dir"))
    var store: String?

    @Option(name: .customLong("runs"), help: .hidden)
    var legacyRuns: String?

    /// The store's root, or nil when none was given.
    var root: String? { store ?? legacyRuns }

    func validate() throws {
        if store != nil && legacyRuns != nil { throw ValidationError("--runs is the old name of --store; give one of them") }
        if root?.isEmpty == true { throw ValidationError("--store must name a directory") }
    }
}

/// `--out DIR` as the run store's root: how sweep, run and slurm spelled `--store` before it
/// existed. Read, unlisted, so that existing scripts keep working.
struct LegacyStoreOut: ParsableArguments {
    @Option(name: .customLong("out"), help: .hidden)
    var out: String?
}

extension StoreOptions {
    /// The store's root from `--store`, `--runs` or the legacy `--out`, else `fallback`.
    func root(legacy: LegacyStoreOut, default fallback: String?) throws -> String? {
        if root != nil && legacy.out != nil { throw ValidationError("--out is the old name of --store; give one of them") }
        if legacy.out?.isEmpty == true { throw ValidationError("--store must name a directory") }
        return root ?? legacy.out ?? fallback
    }
}
