import Foundation
import Testing
import TestSupport

/// `vanish sweep`, `status` and `plot` as a user runs them, including being killed.
@Suite("vanish sweep command")
struct SweepCommandTests {
    /// 12 runs of a fraction of a second each.
    static let config = """
        name: resume
        seeds: 3
        model: {hidden_size: 16}
        task: {name: adding, sequence_length: 40}
        training: {iterations: 60, eval_interval: 30, eval_size: 64}
        sweep:
          sequence_length: [30, 40]
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
        """

    @Test("vanish run trains a point once, leaves a complete run alone, and skips a run another process holds")
    func runOnce() throws {
        let directory = try makeTemporaryDirectory("run-once")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs")
        let first = try runVanish(["run", config.path, "--point", "1", "--store", store.path])
        #expect(first.status == 0, "\(first.standardError)")
        let id = try #require(first.standardOutput.split(separator: ":").first.map(String.init))
        let run = store.appendingPathComponent("resume/\(id)")
        let inode = try FileManager.default.attributesOfItem(atPath: run.path)[.systemFileNumber] as? Int
        let second = try runVanish(["run", config.path, "--point", "1", "--store", store.path])
        #expect(second.status == 0 && second.standardOutput.hasPrefix("already complete in the store:\n\(id):"),
                "\(second.standardOutput)")
        #expect(try FileManager.default.attributesOfItem(atPath: run.path)[.systemFileNumber] as? Int == inode)

        // Another process's claim on the run: nothing is trained or written.
        let other = directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other.appendingPathComponent("resume"), withIntermediateDirectories: true)
        let claim = open(other.appendingPathComponent("resume/.\(id).claim").path, O_RDWR | O_CREAT, 0o644)
        defer { close(claim) }
        #expect(flock(claim, LOCK_EX | LOCK_NB) == 0)
        let held = try runVanish(["run", config.path, "--point", "1", "--store", other.path])
        #expect(held.status == 0 && held.standardError.contains("being trained by another process"), "\(held.standardError)")
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent("resume/\(id)").path))
    }

    @Test("a store another revision wrote is not resumed unless --allow-mixed-revisions; the refusal names both revisions")
    func mixedRevisions() throws {
        let directory = try makeTemporaryDirectory("mixed-revisions")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs")
        let first = try runVanish(["run", config.path, "--point", "0", "--store", store.path])
        #expect(first.status == 0, "\(first.standardError)")
        let id = try #require(first.standardOutput.split(separator: ":").first.map(String.init))
        // As if an older vanish had written the run (its summary's own checksum is optional).
        let run = store.appendingPathComponent("resume/\(id)")
        let summary = run.appendingPathComponent("summary.json")
        let text = try String(contentsOf: summary, encoding: .utf8)
        let old = "0123456789abcdef0123456789abcdef01234567"
        let edited = text.replacingOccurrences(of: #""source_revision" : "[^"]*""#, with: "\"source_revision\" : \"\(old)\"",
                                               options: .regularExpression)
        #expect(edited != text)
        try Data(edited.utf8).write(to: summary)
        try FileManager.default.removeItem(at: run.appendingPathComponent("summary.fnv1a64"))

        for arguments in [["run", config.path, "--point", "1"], ["sweep", config.path]] {
            let refused = try runVanish(arguments + ["--store", store.path])
            let lines = refused.standardError.split(separator: "\n")
            #expect(refused.status == 2 && lines.count == 1, "\(refused.standardError)")
            #expect(refused.standardError.contains("1 completed run(s) were written by revision \(old), this vanish is revision "))
            #expect(refused.standardError.contains("--allow-mixed-revisions"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.appendingPathComponent("resume").path)
            .filter { !$0.hasPrefix(".") && $0.contains("-s") } == [id], "nothing trained when refused")
        let allowed = try runVanish(["sweep", config.path, "--store", store.path, "--allow-mixed-revisions", "--quiet"])
        #expect(allowed.status == 0 && allowed.standardOutput.contains("11 run(s) done, 1 already complete"), "\(allowed.standardOutput)")
    }

    @Test("the store's old spellings still work, unlisted: --out for run and sweep; both at once is refused")
    func legacyStoreSpellings() throws {
        let directory = try makeTemporaryDirectory("legacy-store")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("old")
        let run = try runVanish(["run", config.path, "--point", "0", "--out", store.path])
        #expect(run.status == 0, "\(run.standardError)")
        let id = try #require(run.standardOutput.split(separator: ":").first.map(String.init))
        #expect(FileManager.default.fileExists(atPath: store.appendingPathComponent("resume/\(id)/summary.json").path))
        let both = try runVanish(["sweep", config.path, "--out", store.path, "--store", store.path])
        #expect(both.status != 0 && both.standardError.contains("--out is the old name of --store"), "\(both.standardError)")
        let help = try runVanish(["sweep", "--help"])
        #expect(help.standardOutput.contains("--store") && !help.standardOutput.contains("--out"), "\(help.standardOutput)")
    }

    @Test("plot --allow-incomplete draws from the readable runs and names every run it leaves out")
    func plotNamesUnreadableRuns() throws {
        let directory = try makeTemporaryDirectory("plot-unreadable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let runs = directory.appendingPathComponent("runs")
        #expect(try runVanish(["sweep", config.path, "--store", runs.path, "--quiet"]).status == 0)
        let store = runs.appendingPathComponent("resume")
        let ids = try FileManager.default.contentsOfDirectory(atPath: store.path).filter { !$0.hasPrefix(".") && $0 != "plan.json" }.sorted()
        let damaged = Array(ids.prefix(2))
        for id in damaged {
            try Data("step\n".utf8).write(to: store.appendingPathComponent("\(id)/metrics.csv"))
        }
        let refused = try runVanish(["plot", store.path, "--out", directory.appendingPathComponent("f").path])
        #expect(refused.status == 2 && refused.standardError.contains("2 of 12 planned runs are not done"), "\(refused.standardError)")
        let plot = try runVanish(["plot", store.path, "--allow-incomplete", "--out", directory.appendingPathComponent("f").path])
        #expect(plot.status == 0, "\(plot.standardError)")
        let warnings = plot.standardError.split(separator: "\n").filter { $0.hasPrefix("vanish: warning: ") }
        #expect(warnings.count == 1 && warnings[0].contains("2 runs of resume cannot be read and are left out"), "\(plot.standardError)")
        for id in damaged { #expect(warnings.first?.contains("\(id) (corrupt: metrics.csv does not match its checksum)") == true) }
    }

    @Test("a config error: one line with file:line:column, exit 2, nothing written")
    func configError() throws {
        let directory = try makeTemporaryDirectory("badconfig")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bad.yaml")
        try Data("task: {name: adding, sequence_length: 10}\ntraining:\n  learnig_rate: 0.1\n".utf8).write(to: config)
        let result = try runVanish(["sweep", config.path, "--store", directory.appendingPathComponent("runs").path])
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("bad.yaml:3:3:") && result.standardError.contains("learning_rate"),
                "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path))
    }

    @Test("killed with SIGKILL mid-sweep (or mid-shard), a rerun redoes only what did not finish", arguments: [nil, "1/2"])
    func killAndResume(shard: String?) throws {
        let directory = try makeTemporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs/resume")
        let runs = directory.appendingPathComponent("runs").path
        // A shard runs one at a time, so that the kill lands among its 6 runs.
        let selection = shard.map { ["--shard", $0, "--jobs", "1"] } ?? ["--jobs", "2"]
        let share = shard == nil ? 12 : 6

        let process = Process()
        process.executableURL = vanishExecutable
        process.arguments = ["sweep", config.path, "--store", runs, "--quiet"] + selection
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until a few runs are complete, then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && finishedRuns(store).count < 2 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let finished = finishedRuns(store)
        #expect(finished.count >= 2 && finished.count < share, "killed after \(finished.count) runs")
        var stamps: [String: Date] = [:]
        for run in finished {
            let attributes = try FileManager.default.attributesOfItem(atPath: store.appendingPathComponent("\(run)/summary.json").path)
            stamps[run] = attributes[.modificationDate] as? Date
        }
        // The run that was cut off left nothing a reader could take for a result: every visible
        // entry is a complete run, the plan or runs.csv, and plot refuses the partial store, naming what is missing.
        let visible = try FileManager.default.contentsOfDirectory(atPath: store.path)
            .filter { !$0.hasPrefix(".") && $0 != "plan.json" && $0 != "runs.csv" }
        #expect(Set(visible) == Set(finished), "\(visible)")
        // runs.csv is as the last run before the kill left it: every planned run, none done that is not.
        let killedTable = try runTable(store)
        #expect(killedTable.count == 12 && killedTable.allSatisfy { $0.value != "done" || finished.contains($0.key) }, "\(killedTable)")
        let partial = try runVanish(["plot", store.path, "--out", directory.appendingPathComponent("partial").path])
        #expect(partial.status == 2 && partial.standardError.contains("\(12 - finished.count) of 12 planned runs are not done"),
                "\(partial.standardError)")

        let rerun = try runVanish(["sweep", config.path, "--store", runs] + selection)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("\(share - finished.count) run(s) done, \(finished.count) already complete"),
                "\(rerun.standardOutput)")
        #expect(finishedRuns(store).count == share)
        for (run, stamp) in stamps {
            let attributes = try FileManager.default.attributesOfItem(atPath: store.appendingPathComponent("\(run)/summary.json").path)
            #expect(attributes[.modificationDate] as? Date == stamp, "\(run) was redone")
        }
        #expect(try runTable(store).values.filter { $0 == "done" }.count == share)
        if shard != nil {
            // The shard did its own runs and no others; the other shard completes the store.
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: store.appendingPathComponent("plan.json"))) as? [String: Any])
            let mine = (plan["runs"] as? [[String: Any]] ?? []).filter { $0["shard"] as? Int == 1 }.compactMap { $0["id"] as? String }
            #expect(Set(finishedRuns(store)) == Set(mine))
            let other = try runVanish(["sweep", config.path, "--store", runs, "--shard", "0/2", "--jobs", "2"])
            #expect(other.status == 0 && other.standardOutput.contains("resume shard 0/2: 6 run(s) done, 0 already complete"),
                    "\(other.standardOutput)\(other.standardError)")
            #expect(finishedRuns(store).count == 12)
        }
        #expect(try runTable(store).values.allSatisfy { $0 == "done" })
        // Nothing half-written is left: no staging directories, every run complete.
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.path)
        #expect(entries.allSatisfy { !$0.hasPrefix(".") }, "\(entries)")
        let status = try runVanish(["status", store.path])
        #expect(status.status == 0 && status.standardOutput.contains("irnn") && !status.standardOutput.contains("corrupt:"))
        #expect(status.standardOutput.contains("12 of 12 planned runs done"), "\(status.standardOutput)")

        let plot = try runVanish(["plot", store.path, "--out", directory.appendingPathComponent("figures").path])
        #expect(plot.status == 0, "\(plot.standardError)")
        for name in ["gradient_decay.png", "success_vs_length.png", "training_curves.png"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("figures/\(name)").path))
        }
    }

    /// runs.csv's status column by run id.
    private func runTable(_ store: URL) throws -> [String: String] {
        let lines = try String(contentsOf: store.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("run_id,variant,") == true)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return Dictionary(rows.map { ($0[0], $0[9]) }, uniquingKeysWith: { first, _ in first })
    }

    /// Run directories whose summary.json exists (the store publishes a run whole).
    private func finishedRuns(_ store: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: store.appendingPathComponent("\($0)/summary.json").path) }
    }
}
