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

    @Test("a config error: one line with file:line:column, exit 2, nothing written")
    func configError() throws {
        let directory = try makeTemporaryDirectory("badconfig")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bad.yaml")
        try Data("task: {name: adding, sequence_length: 10}\ntraining:\n  learnig_rate: 0.1\n".utf8).write(to: config)
        let result = try runVanish(["sweep", config.path, "--out", directory.appendingPathComponent("runs").path])
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("bad.yaml:3:3:") && result.standardError.contains("learning_rate"),
                "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path))
    }

    @Test("killed with SIGKILL mid-sweep, a rerun redoes only what did not finish")
    func killAndResume() throws {
        let directory = try makeTemporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("resume.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs/resume")

        let process = Process()
        process.executableURL = vanishExecutable
        process.arguments = ["sweep", config.path, "--out", directory.appendingPathComponent("runs").path, "--jobs", "2", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until a few runs are complete, then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && finishedRuns(store).count < 3 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let finished = finishedRuns(store)
        #expect(finished.count >= 3 && finished.count < 12, "killed after \(finished.count) runs")
        var stamps: [String: Date] = [:]
        for run in finished {
            let attributes = try FileManager.default.attributesOfItem(atPath: store.appendingPathComponent("\(run)/summary.json").path)
            stamps[run] = attributes[.modificationDate] as? Date
        }

        let rerun = try runVanish(["sweep", config.path, "--out", directory.appendingPathComponent("runs").path, "--jobs", "2"])
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("\(12 - finished.count) run(s) done, \(finished.count) already complete"),
                "\(rerun.standardOutput)")
        #expect(finishedRuns(store).count == 12)
        for (run, stamp) in stamps {
            let attributes = try FileManager.default.attributesOfItem(atPath: store.appendingPathComponent("\(run)/summary.json").path)
            #expect(attributes[.modificationDate] as? Date == stamp, "\(run) was redone")
        }
        // Nothing half-written is left: no staging directories, every run complete.
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.path)
        #expect(entries.allSatisfy { !$0.hasPrefix(".") }, "\(entries)")
        let status = try runVanish(["status", store.path])
        #expect(status.status == 0 && status.standardOutput.contains("irnn") && !status.standardOutput.contains("corrupt:"))

        let plot = try runVanish(["plot", store.path, "--out", directory.appendingPathComponent("figures").path])
        #expect(plot.status == 0, "\(plot.standardError)")
        for name in ["gradient_decay.png", "success_vs_length.png", "training_curves.png"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("figures/\(name)").path))
        }
    }

    /// Run directories whose summary.json exists (the store publishes a run whole).
    private func finishedRuns(_ store: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: store.appendingPathComponent("\($0)/summary.json").path) }
    }
}
