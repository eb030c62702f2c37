import Foundation

/// What an experiment's directory in the run store holds, counted per variant and, when the
/// directory has a sweep plan, per shard, with the planned runs that are not done listed.
///
/// Each run is in one state, the first that applies: done (its files match their
/// checksums), running (a process holds its claim), corrupt (a directory that does not
/// check out), failed (a failure note), missing (planned, nothing there).
public struct StoreStatus {
    public enum RunState: String, Sendable {
        case done, running, corrupt, failed, missing
    }

    public struct Counts: Equatable, Sendable {
        public var done = 0
        public var succeeded = 0
        public var diverged = 0
        public var running = 0
        public var failed = 0
        public var corrupt = 0
        /// Planned runs with nothing in the store (0 without a plan).
        public var missing = 0

        /// Every run counted, each once (succeeded and diverged are among the done).
        public var total: Int { done + running + failed + corrupt + missing }

        mutating func add(_ state: RunState, summary: RunSummary?) {
            switch state {
            case .done:
                done += 1
                if summary?.success == true { succeeded += 1 }
                if summary?.divergedAt != nil { diverged += 1 }
            case .running: running += 1
            case .corrupt: corrupt += 1
            case .failed: failed += 1
            case .missing: missing += 1
            }
        }
    }

    /// By variant name ("-" for runs without one, or whose variant nothing records).
    public private(set) var counts: [String: Counts] = [:]
    /// By shard, when the directory has a plan.
    public private(set) var shardCounts: [Int: Counts] = [:]
    public private(set) var plan: SweepPlan?
    /// Corrupt and failed runs, and why.
    public private(set) var problems: [(run: String, problem: String)] = []
    /// Planned runs that are not done, in plan order, with their shard and state.
    public private(set) var unfinished: [(run: String, shard: Int, state: RunState)] = []
    /// Runs in the store that the plan does not list (from an earlier config).
    public private(set) var unplanned = 0
    /// Every run's state, planned or in the store, by run id.
    public private(set) var states: [String: RunState] = [:]
    /// The summaries of the done runs, by run id.
    public private(set) var summaries: [String: RunSummary] = [:]
    private let directory: URL

    /// - Throws: `AnalysisError` when the directory does not exist or its plan cannot be read.
    public init(directory: URL) throws(AnalysisError) {
        try self.init(directory: directory, cache: nil)
    }

    /// - Parameter cache: run directories verified before, by this process (see `RunStateCache`).
    init(directory: URL, cache: RunStateCache?) throws(AnalysisError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AnalysisError("\(directory.path): no such run store directory")
        }
        self.directory = directory
        plan = try SweepPlan.read(experimentDirectory: directory)
        let store = RunStore(root: directory.deletingLastPathComponent())
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []

        var stored: [String: RunStore.State] = [:]
        for name in RunStore.runDirectoryNames(in: directory) {
            let url = directory.appendingPathComponent(name)
            stored[name] = cache?.state(at: url, in: store) ?? store.state(at: url)
        }
        var failureNotes: [String: String] = [:]
        var claimHolders: [String: String] = [:]
        for name in names {
            let url = directory.appendingPathComponent(name)
            if name.hasSuffix(".failed") {
                let reason = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                failureNotes[String(name.dropLast(".failed".count))] = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if name.hasPrefix("."), name.hasSuffix(".claim"), RunClaim.isHeld(url) {
                // The claim file names the variant of the run in progress.
                let holder = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                claimHolders[String(name.dropFirst().dropLast(".claim".count))] = holder
            }
        }

        let planned = Dictionary((plan?.runs ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = Set(stored.keys).union(failureNotes.keys).union(claimHolders.keys).union(planned.keys)
        for id in ids.sorted() {
            let state = Self.state(of: id, stored: stored, claims: claimHolders, notes: failureNotes)
            states[id] = state
            var summary: RunSummary?
            switch (state, stored[id]) {
            case (.done, .done(let doneSummary)?):
                summary = doneSummary
                summaries[id] = doneSummary
            case (.corrupt, .corrupt(let problem)?): problems.append((id, "corrupt: " + problem))
            case (.failed, _): problems.append((id, "failed: " + failureNotes[id, default: ""]))
            default: break
            }
            let holder = claimHolders[id].flatMap { $0.isEmpty || $0 == "-" ? nil : $0 }
            let variant = summary?.variant ?? planned[id]?.variant ?? holder ?? "-"
            counts[variant, default: Counts()].add(state, summary: summary)
            if let entry = planned[id] {
                shardCounts[entry.shard, default: Counts()].add(state, summary: summary)
            } else if stored[id] != nil, plan != nil {
                unplanned += 1
            }
        }
        // Shards without runs (more shards than runs) are shown too.
        for shard in 0..<(plan?.shardCount ?? 0) where shardCounts[shard] == nil { shardCounts[shard] = Counts() }
        unfinished = (plan?.runs ?? []).compactMap { entry in
            let state = states[entry.id, default: .missing]
            return state == .done ? nil : (entry.id, entry.shard, state)
        }
    }

    private static func state(of id: String, stored: [String: RunStore.State], claims: [String: String],
                              notes: [String: String]) -> RunState {
        if case .done? = stored[id] { return .done }
        if claims[id] != nil { return .running }
        if case .corrupt? = stored[id] { return .corrupt }
        return notes[id] != nil ? .failed : .missing
    }

    /// A plain-text report: with a plan, a line of totals, where runs.csv is, and a table per
    /// shard; a table per variant; then the corrupt and failed runs, and the planned runs not done.
    public var table: String {
        var lines: [String] = []
        let columns = ["done", "succeeded", "diverged", "running", "failed", "corrupt"] + (plan == nil ? [] : ["missing"])
        func row(_ label: String, _ count: Counts, runs: Bool = false) -> String {
            var values = [count.done, count.succeeded, count.diverged, count.running, count.failed, count.corrupt]
            if plan != nil { values.append(count.missing) }
            if runs { values.insert(count.total, at: 0) }
            return pad(label, 24) + values.map { pad(String($0), 10, right: true) }.joined()
        }
        if let plan {
            let done = shardCounts.values.map(\.done).reduce(0, +)
            lines.append("\(plan.experiment): \(done) of \(plan.runs.count) planned runs done, "
                         + "\(plan.shardCount) shard(s) (\(directory.appendingPathComponent(SweepPlan.fileName).path))")
            let table = directory.appendingPathComponent(RunTable.fileName).path
            lines.append(FileManager.default.fileExists(atPath: table)
                         ? "every planned run, one row each: \(table)"
                         : "\(RunTable.fileName), one row per planned run, is written by the next sweep of the config")
            lines.append(pad("shard", 24) + (["runs"] + columns).map { pad($0, 10, right: true) }.joined())
            for (shard, count) in shardCounts.sorted(by: { $0.key < $1.key }) {
                lines.append(row("\(shard)", count, runs: true))
            }
            lines.append("")
        }
        lines.append(pad("variant", 24) + columns.map { pad($0, 10, right: true) }.joined())
        for (variant, count) in counts.sorted(by: { $0.key < $1.key }) { lines.append(row(variant, count)) }
        for problem in problems { lines.append("\(problem.run): \(problem.problem) (a sweep will redo it)") }
        if let plan {
            let notDone = unfinished.filter { $0.state == .missing }
            if !notDone.isEmpty {
                lines.append("missing: \(notDone.count) planned run(s) not in the store (a sweep of their shard runs them):")
                for run in notDone { lines.append("  \(run.run) (shard \(run.shard) of \(plan.shardCount))") }
            }
            if unplanned > 0 { lines.append("\(unplanned) run(s) in the store are not in the plan (from an earlier config)") }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
