import Foundation
import Recurrence

/// Runs a sweep's runs side by side, each on one thread with one BLAS thread, skipping runs
/// the store already holds complete; a run that fails is reported and the others go on. A
/// store that cannot be written (full, read-only) stops the sweep instead: every later run
/// would train only to fail the same way. Each experiment's `runs.csv` is rewritten as the
/// sweep starts and whenever one of its runs finishes.
public struct SweepRunner: Sendable {
    public let store: RunStore
    public let jobs: Int
    /// Progress lines on stderr.
    public let showsProgress: Bool

    public init(store: RunStore, jobs: Int, showsProgress: Bool) {
        self.store = store
        self.jobs = max(1, jobs)
        self.showsProgress = showsProgress
    }

    public struct Outcome: Sendable {
        public var completed: [String] = []
        public var skipped: [String] = []
        public var failed: [(id: String, message: String)] = []
        /// Runs never started because the store could not be written.
        public var notStarted: [String] = []
        /// Why `runs.csv` could not be written (the first time), if it could not; the runs are in the store.
        public var runTableProblem: String?
    }

    public func run(_ runs: [RunConfiguration]) -> Outcome {
        for experiment in Set(runs.map(\.experiment)) { store.removeAbandonedStaging(experiment: experiment) }
        var outcome = Outcome()
        let cache = RunStateCache()
        var pending: [RunConfiguration] = []
        for run in runs {
            if case .done = cache.state(at: store.directory(for: run), in: store) { outcome.skipped.append(run.id) } else { pending.append(run) }
        }
        // Longest first: the last runs to start are then the short ones, so no worker is left
        // with a long run while the others idle.
        pending = RunConfiguration.costliestFirst(pending).map { pending[$0.index] }
        let queue = WorkQueue(pending, total: runs.count, alreadyDone: outcome.skipped.count, showsProgress: showsProgress)
        let refreshTable: @Sendable (String) -> Void = { [store] experiment in
            do {
                try store.rewriteRunTable(experiment: experiment, cache: cache)
            } catch {
                queue.noteTableProblem("\(error)")
            }
        }
        for experiment in Set(runs.map(\.experiment)).sorted() { refreshTable(experiment) }
        // A store where runs.csv cannot be written cannot take the runs either.
        if queue.tableProblem != nil { queue.stop() }
        // Threads of our own: Dispatch would cap the workers at the core count, and --jobs
        // is the user's to choose.
        let workers = DispatchGroup()
        for _ in 0..<min(jobs, max(pending.count, 1)) {
            workers.enter()
            let thread = Thread { [store] in
                defer { workers.leave() }
                while let run = queue.next() {
                    let started = Date()
                    // Another sweep on the same store may hold the run, or have finished it
                    // since this one looked: either way it is not ours to do.
                    let claim: RunClaim?
                    do {
                        claim = try RunClaim(store.claimURL(for: run), holder: run.variant ?? "-")
                    } catch {
                        queue.stop()
                        queue.finished(run.id, seconds: 0, failure: "\(error)")
                        continue
                    }
                    guard let claim else {
                        queue.skipped(run.id)
                        continue
                    }
                    defer { claim.release() }
                    if case .done = store.state(of: run) {
                        queue.skipped(run.id)
                        continue
                    }
                    let record: RunRecord
                    do {
                        record = try Trainer.run(run) { iteration in
                            queue.progress(run.id, iteration: iteration, of: run.training.iterations)
                        }
                    } catch {
                        store.recordFailure(of: run, message: "\(error)")
                        refreshTable(run.experiment)
                        queue.finished(run.id, seconds: Date().timeIntervalSince(started), failure: "\(error)")
                        continue
                    }
                    do {
                        try store.write(record)
                        refreshTable(run.experiment)
                        queue.finished(run.id, seconds: Date().timeIntervalSince(started), failure: nil)
                    } catch {
                        queue.stop()
                        store.recordFailure(of: run, message: "\(error)")
                        queue.finished(run.id, seconds: Date().timeIntervalSince(started), failure: "\(error)")
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        workers.wait()
        outcome.completed = queue.completed
        outcome.skipped += queue.skippedHere
        outcome.failed = queue.failed
        outcome.notStarted = queue.notStarted
        outcome.runTableProblem = queue.tableProblem
        return outcome
    }
}

/// Hands out runs to workers and reports progress; shared between threads under a lock.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [RunConfiguration]
    private var nextIndex = 0
    private let total: Int
    private var done: Int
    private let showsProgress: Bool
    private let started = Date()
    private(set) var completed: [String] = []
    private(set) var failed: [(id: String, message: String)] = []
    /// Runs another sweep held or finished while this one ran.
    private(set) var skippedHere: [String] = []

    init(_ runs: [RunConfiguration], total: Int, alreadyDone: Int, showsProgress: Bool) {
        self.runs = runs
        self.total = total
        self.done = alreadyDone
        self.showsProgress = showsProgress
        if showsProgress && alreadyDone > 0 { report("\(alreadyDone) of \(total) runs already done") }
    }

    func next() -> RunConfiguration? {
        lock.lock()
        defer { lock.unlock() }
        guard !isStopped, nextIndex < runs.count else { return nil }
        defer { nextIndex += 1 }
        return runs[nextIndex]
    }

    private var isStopped = false

    /// Hands out no more runs; those not yet handed out are `notStarted`.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        isStopped = true
    }

    var notStarted: [String] {
        lock.lock()
        defer { lock.unlock() }
        return isStopped ? runs[nextIndex...].map(\.id) : []
    }

    private var active: [String: (iteration: Int, of: Int)] = [:]
    private var lastReport = Date.distantPast

    /// Notes a run's iteration; at most once a second, a line with every active run's.
    func progress(_ id: String, iteration: Int, of total: Int) {
        guard showsProgress else { return }
        lock.lock()
        defer { lock.unlock() }
        active[id] = (iteration, total)
        guard Date().timeIntervalSince(lastReport) >= 1 else { return }
        lastReport = Date()
        let running = active.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.iteration)/\($0.value.of)" }
        report("  running: " + running.joined(separator: ", "))
    }

    /// The first reason `runs.csv` could not be written.
    private(set) var tableProblem: String?

    func noteTableProblem(_ problem: String) {
        lock.lock()
        defer { lock.unlock() }
        if tableProblem == nil { tableProblem = problem }
    }

    func skipped(_ id: String) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        skippedHere.append(id)
    }

    func finished(_ id: String, seconds: Double, failure: String?) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        active[id] = nil
        if let failure { failed.append((id, failure)) } else { completed.append(id) }
        guard showsProgress else { return }
        let finishedHere = completed.count + failed.count
        let remaining = total - done
        let eta = Date().timeIntervalSince(started) / Double(finishedHere) * Double(remaining)
        let status = failure.map { "FAILED: \($0)" } ?? String(format: "%.1f s", seconds)
        report("[\(done)/\(total)] \(id) \(status)" + (remaining > 0 ? String(format: " · ETA %.0f s", eta) : ""))
    }

    private func report(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
