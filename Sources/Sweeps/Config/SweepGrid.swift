/// The combinations an experiment runs before seeds: every named variant (in file order)
/// with every point of the grid, the product of the sweep lists in lexicographic order (the
/// first sweep key slowest, values in list order).
///
/// A run is the base settings, then its variant's overrides, then its grid point's values.
/// A variant may not set a swept setting, so the order between the last two never matters.
struct SweepGrid {
    /// One sweep key: a setting and its list of values.
    struct Axis {
        let path: String
        /// Where the sweep key is written.
        let origin: ConfigOrigin
        let values: [ConfigOverride]
    }

    /// A named override set; the name is nil for the single implicit variant of a config
    /// without `variants:`.
    struct Variant {
        let name: String?
        let origin: ConfigOrigin?
        let overrides: [ConfigOverride]
    }

    let variants: [Variant]
    let axes: [Axis]

    /// The most runs one config may expand to.
    static let maximumRuns = 1_000_000

    /// The grid points as an index into each axis's values, in order (one empty point for a
    /// config without a sweep).
    var points: [[Int]] {
        var points: [[Int]] = []
        var index = [Int](repeating: 0, count: axes.count)
        while true {
            points.append(index)
            // Odometer: the last axis turns fastest.
            var k = axes.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < axes[k].values.count { break }
                index[k] = 0
                k -= 1
            }
            if k < 0 { return points }
        }
    }

    /// Every run: variants × grid points × seeds (seeds fastest), each resolved and checked
    /// as a whole by `resolve`.
    /// - Throws: `ConfigError` for an invalid combination, two combinations that resolve to
    ///   the same settings, or more than `maximumRuns` runs.
    func expand(
        base: [ConfigOverride], seeds: [UInt64], documentOrigin: ConfigOrigin,
        resolve: (RunDraft, String?) throws(ConfigError) -> RunConfiguration
    ) throws(ConfigError) -> [RunConfiguration] {
        var count = variants.count.multipliedReportingOverflow(by: seeds.count)
        for axis in axes where !count.overflow {
            count = count.partialValue.multipliedReportingOverflow(by: axis.values.count)
        }
        if count.overflow || count.partialValue > Self.maximumRuns {
            let at = axes.first?.origin ?? documentOrigin
            let total = count.overflow ? "more than \(Int.max)" : "\(count.partialValue)"
            throw at.error(
                "the experiment expands to \(total) runs (variants × sweep values × seeds), more than the \(Self.maximumRuns) allowed; split it")
        }

        var baseDraft = RunDraft()
        for override in base { baseDraft.apply(override) }
        let points = self.points
        var runs: [RunConfiguration] = []
        runs.reserveCapacity(count.partialValue)
        // Resolved settings (seed and variant name aside) → the combination that gave them.
        var seen: [String: (variant: Int, point: [Int])] = [:]
        for (v, variant) in variants.enumerated() {
            var variantDraft = baseDraft
            for override in variant.overrides { variantDraft.apply(override) }
            for point in points {
                var draft = variantDraft
                for (axis, index) in zip(axes, point) { draft.apply(axis.values[index]) }
                let run = try resolve(draft, variant.name)

                var settings = run
                settings.variant = nil
                settings.seed = 0
                let key = settings.resolvedYAML
                if let first = seen[key] {
                    throw duplicateError(first: first, second: (v, point))
                }
                seen[key] = (v, point)

                for seed in seeds {
                    var seeded = run
                    seeded.seed = seed
                    runs.append(seeded)
                }
            }
        }

        var ids: [String: Int] = [:]
        for (index, run) in runs.enumerated() {
            if let other = ids.updateValue(index, forKey: run.id) {
                throw documentOrigin.error(
                    "runs \(other) and \(index) have different settings but the same id \(run.id) (a hash collision); rename the experiment")
            }
        }
        return runs
    }

    /// Two combinations that resolve to the same settings: points at the later one.
    private func duplicateError(first: (variant: Int, point: [Int]), second: (variant: Int, point: [Int])) -> ConfigError {
        if first.variant != second.variant, let origin = variants[second.variant].origin {
            let name = variants[first.variant].name ?? ""
            return origin.error(
                "resolves to the same runs as variant '\(name)'\(describe(second.point)); two variants must differ in some setting")
        }
        let k = first.point.indices.first { first.point[$0] != second.point[$0] } ?? 0
        let later = axes[k].values[second.point[k]]
        let earlier = axes[k].values[first.point[k]]
        return later.origin.error(
            "gives the same runs as \(earlier.origin.keyPath)\(describe(second.point)); remove the duplicate value")
    }

    /// " (with sweep.a[1], sweep.b[0])" for a grid with more than one axis.
    private func describe(_ point: [Int]) -> String {
        guard !axes.isEmpty else { return "" }
        let values = zip(axes, point).map { axis, index in axis.values[index].origin.keyPath }
        return " (with \(values.joined(separator: ", ")))"
    }
}

// MARK: - Setting names in sweeps and variants

extension SweepGrid {
    /// Every setting a sweep or variant can name, as full paths: the schema's settings, with
    /// every task parameter of the catalog after the task's own.
    static var allSettingPaths: [String] {
        var parameters: [String] = []
        for task in TaskCatalog.names {
            for name in TaskCatalog.parameterNames(of: task) where !parameters.contains("task." + name) {
                parameters.append("task." + name)
            }
        }
        let fixed = ConfigSchema.settings.map(\.path)
        let taskSettings = fixed.prefix { $0.hasPrefix("task.") }
        return taskSettings + parameters + fixed.dropFirst(taskSettings.count)
    }

    /// The full path of a setting named in a sweep or variant: a full path (`model.init`),
    /// any `task.<parameter>`, or a unique suffix (`init`, `sequence_length`,
    /// `success.loss_fraction`).
    /// - Parameter noun: what the key is, for messages ("sweep key").
    /// - Throws: `ConfigError` at `origin` for an unknown or ambiguous name.
    static func settingPath(for key: String, at origin: ConfigOrigin, noun: String) throws(ConfigError) -> String {
        let paths = allSettingPaths
        if paths.contains(key) { return key }
        if key.hasPrefix("task."), key.count > 5, !key.dropFirst(5).contains(".") {
            return key  // a parameter of some task; checked against the run's task later
        }
        if key == "name" {
            throw origin.error("'name' is not a setting here; write task.name to sweep or vary the task")
        }
        if key == "seeds" || key == "seed" {
            throw origin.error(
                "'\(key)' is not a setting here; give seeds: at the top level (every combination runs every seed)")
        }
        let matches = paths.filter { $0.hasSuffix("." + key) && key != "name" }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw origin.error("ambiguous \(noun) '\(key)': write one of \(matches.joined(separator: ", "))")
        }
        var shortNames: [String] = []
        for path in paths {
            let short = String(path.split(separator: ".").last!)
            if short != "name", paths.filter({ $0.hasSuffix("." + short) }).count == 1, !shortNames.contains(short) {
                shortNames.append(short)
            }
        }
        if let suggestion = DidYouMean.suggestion(for: key, among: shortNames + paths) {
            throw origin.error("unknown \(noun) '\(key)'; did you mean '\(suggestion)'?")
        }
        throw origin.error(
            "unknown \(noun) '\(key)' (expected a setting: \(shortNames.joined(separator: ", ")), or a full path such as model.init)")
    }
}
