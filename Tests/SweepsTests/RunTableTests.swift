import Foundation
@testable import Sweeps
import TestSupport
import Testing

/// runs.csv: one row per planned run, done or not, rewritten as runs finish.
@Suite("runs.csv")
struct RunTableTests {
    let config = try! ExperimentConfig.parse(SweepTests.tinySweep, path: "tiny.yaml")

    private func tableURL(_ root: URL) -> URL { root.appendingPathComponent("tiny/runs.csv") }

    /// runs.csv's header and rows, as an RFC 4180 reader gets them.
    private func read(_ root: URL) throws -> (header: [String], rows: [[String]]) {
        let records = try #require(CSVReader.records(try String(contentsOf: tableURL(root), encoding: .utf8)))
        return (records.first ?? [], Array(records.dropFirst()))
    }

    private func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

    @Test("after a sweep, one row per planned run in plan order, with the values of its config and summary")
    func tableAfterSweep() throws {
        let root = try makeTemporaryDirectory("table")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 1).write(into: store)
        let outcome = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        #expect(outcome.completed.count == 8 && outcome.runTableProblem == nil, "\(outcome.failed) \(outcome.runTableProblem ?? "")")
        let (header, rows) = try read(root)
        #expect(header == RunTable.columns)
        #expect(header == ["run_id", "variant", "seed", "task", "sequence_length", "cell", "nonlinearity", "init", "hidden_size",
                           "status", "success", "final_loss_over_baseline", "decay_factor_start", "decay_factor_end",
                           "sigma_max_start", "sigma_max_end", "spectral_radius_start", "spectral_radius_end"])
        #expect(rows.map(\.first) == config.runs.map(\.id))
        for (row, run) in zip(rows, config.runs) {
            guard case .done(let summary) = store.state(of: run) else {
                Issue.record("\(run.id) not done")
                continue
            }
            let start = summary.blocksAtStart[0], end = summary.blocksAtEnd[0]
            #expect(row == [
                run.id, run.variant ?? "", "\(run.seed)", run.task.name, "\(run.task.sequenceLength)", "rnn",
                run.model.nonlinearity.rawValue, run.initializationLabel, "\(run.model.hiddenSize)", "done", "\(summary.success)",
                number(summary.finalEvalLoss.map { $0 / summary.baselineLoss }),
                number(start.decayFit?.factorPerStep), number(end.decayFit?.factorPerStep),
                number(start.sigmaMax), number(end.sigmaMax), number(start.spectralRadius), number(end.spectralRadius),
            ])
            // Every number reads back to exactly the summary's.
            #expect(Double(row[13]) == end.decayFit?.factorPerStep && Double(row[15]) == end.sigmaMax)
            #expect(row[2] == "\(summary.seed)" && row[3] == summary.task && row[4] == "\(summary.sequenceLength)")
            #expect(!row[11].isEmpty && !row[12].isEmpty && !row[16].isEmpty, "a finished tiny run has a loss, a fit and a spectrum")
        }
        #expect(Set(rows.map { $0[7] }) == ["pytorch-default", "eye"] && Set(rows.map { $0[6] }) == ["tanh", "relu"])
    }

    @Test("a partial store: runs not done are missing, corrupt, failed or running, with no outcome values")
    func partialStore() throws {
        let root = try makeTemporaryDirectory("table-partial")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let assignment = ShardAssignment(config.runs, count: 2)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 2).write(into: store)
        let shard0 = assignment.runs(inShard: 0)
        _ = SweepRunner(store: store, jobs: 2, showsProgress: false).run(shard0)
        var rows = try read(root).rows
        #expect(rows.count == 8)
        for row in rows {
            let done = shard0.contains { $0.id == row[0] }
            #expect(row[9] == (done ? "done" : "missing"), "\(row)")
            if !done { #expect(row[10...].allSatisfy(\.isEmpty) && !row[1...8].contains(""), "\(row)") }
        }

        // A damaged run, a failure note and a run in progress, as a later sweep finds them.
        let corrupt = shard0[0], failed = assignment.runs(inShard: 1)[0], running = assignment.runs(inShard: 1)[1]
        try FileManager.default.removeItem(at: store.directory(for: corrupt).appendingPathComponent("metrics.csv"))
        store.recordFailure(of: failed, message: "out of memory")
        let claim = try #require(try RunClaim(store.claimURL(for: running), holder: running.variant ?? "-"))
        defer { claim.release() }
        // A sweep that finds its one run done rewrites the table as it starts, and trains nothing.
        let outcome = SweepRunner(store: store, jobs: 1, showsProgress: false).run([shard0[1]])
        #expect(outcome.skipped == [shard0[1].id] && outcome.runTableProblem == nil)
        rows = try read(root).rows
        let status = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[9]) })
        #expect(status[corrupt.id] == "corrupt" && status[failed.id] == "failed" && status[running.id] == "running")
        let statusCommand = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        for row in rows { #expect(statusCommand.states[row[0]]?.rawValue == row[9], "as `vanish status` decides: \(row[0])") }
        #expect(statusCommand.table.contains("every planned run, one row each: \(tableURL(root).path)"))
    }

    @Test("rewritten as each run finishes, and always whole")
    func rewrittenAfterEachRun() throws {
        let root = try makeTemporaryDirectory("table-progress")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 1).write(into: store)
        let watcher = TableWatcher(tableURL(root))
        let thread = Thread { watcher.watch() }
        thread.start()
        let outcome = SweepRunner(store: store, jobs: 1, showsProgress: false).run(config.runs)
        let seen = watcher.stop()
        #expect(outcome.completed.count == 8)
        // Every version read was a whole table; the done count only grew, from 0 (written as
        // the sweep started) through runs finished one at a time, to 8.
        #expect(seen.allSatisfy { $0 != nil }, "a reader saw a partial runs.csv")
        let counts = seen.compactMap { $0 }
        #expect(counts.first == 0 && counts.last == 8, "\(counts)")
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 }, "\(counts)")
        #expect(counts.contains { $0 > 0 && $0 < 8 }, "no version between the first and the last: \(counts)")
    }

    @Test("two shards swept side by side leave a runs.csv with every run done")
    func concurrentShards() throws {
        let root = try makeTemporaryDirectory("table-shards")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let assignment = ShardAssignment(config.runs, count: 2)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 2).write(into: store)
        let group = DispatchGroup()
        for shard in 0..<2 {
            group.enter()
            Thread {
                _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run(assignment.runs(inShard: shard))
                group.leave()
            }.start()
        }
        group.wait()
        let rows = try read(root).rows
        #expect(rows.count == 8 && rows.allSatisfy { $0[9] == "done" }, "\(rows.map { $0[9] })")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tiny").path)
        #expect(names.allSatisfy { !$0.hasPrefix(".") }, "no lock or temporary left: \(names)")
    }

    @Test("fields with a comma, a quote or a line break are quoted, and every field parses back")
    func quoting() throws {
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", "", "1e-05"] {
            let line = [field, "x"].map(CSVField.quoted).joined(separator: ",") + "\n"
            #expect(CSVReader.records(line) == [[field, "x"]], "\(field.debugDescription) → \(line.debugDescription)")
        }
        #expect(CSVField.quoted("a,b") == "\"a,b\"" && CSVField.quoted("q\"") == "\"q\"\"\"" && CSVField.quoted("1.5") == "1.5")
        let root = try makeTemporaryDirectory("table-parse")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: "tiny", runs: Array(config.runs.prefix(2)), shardCount: 1).write(into: store)
        _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run([config.runs[0]])
        let status = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        let table = RunTable(plan: try #require(status.plan), status: status)
        #expect(try String(contentsOf: tableURL(root), encoding: .utf8) == table.csv)
        #expect(try read(root).rows == table.rows)
        #expect(table.rows.map(\.count) == [18, 18])
    }

    @Test("a store without a plan has no runs.csv")
    func noPlan() throws {
        let root = try makeTemporaryDirectory("table-noplan")
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = SweepRunner(store: RunStore(root: root), jobs: 1, showsProgress: false).run([config.runs[0]])
        #expect(outcome.completed.count == 1 && outcome.runTableProblem == nil)
        #expect(!FileManager.default.fileExists(atPath: tableURL(root).path))
    }
}

/// Reads runs.csv over and over while a sweep runs: the done count of every version, nil for
/// a version that is not a whole table.
private final class TableWatcher: @unchecked Sendable {
    private let url: URL
    private let lock = NSLock()
    private var stopped = false
    private var seen: [Int?] = []
    private let finished = DispatchSemaphore(value: 0)

    init(_ url: URL) { self.url = url }

    func watch() {
        var last: Data?
        var finishing = false
        repeat {
            // Read the flag first, so that the last read comes after `stop`.
            lock.lock()
            finishing = stopped
            lock.unlock()
            if let data = try? Data(contentsOf: url), data != last {
                last = data
                let records = CSVReader.records(String(decoding: data, as: UTF8.self)) ?? []
                let whole = records.count == 9 && records.allSatisfy { $0.count == 18 }
                lock.lock()
                seen.append(whole ? records.filter { $0[9] == "done" }.count : nil)
                lock.unlock()
            }
            usleep(500)
        } while !finishing
        finished.signal()
    }

    /// What was seen, in order, the file's last version included.
    func stop() -> [Int?] {
        lock.lock()
        stopped = true
        lock.unlock()
        finished.wait()
        return seen
    }
}
