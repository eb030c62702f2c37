import Sweeps

/// The stored runs of every config of a suite, read once, and the runs that could not be read.
struct SuiteRuns {
    private let readings: [String: StoreReading]

    /// - Throws: `AnalysisError` when an experiment's directory is not in the store.
    init(_ manifest: SuiteManifest, store: RunStore) throws {
        var readings: [String: StoreReading] = [:]
        for config in manifest.configs { readings[config.name] = try store.completedRuns(of: config.name) }
        self.readings = readings
    }

    /// The runs of a role's configs, config by config, each in run-id order.
    subscript(source: SuiteManifest.Source) -> [StoredRun] {
        source.experiments.flatMap { readings[$0]?.runs ?? [] }
    }

    /// One line per experiment with runs that could not be read.
    var unreadable: [String] {
        readings.keys.sorted().compactMap { readings[$0]!.unreadableSummary }
    }
}
