import Foundation
import Testing
import TestSupport

/// `vanish sweep --shard`, `status`, `plot` and `reproduce --from` on a store filled shard by
/// shard: shards that overlap, damaged runs, and what is missing.
@Suite("vanish sweep --shard")
struct ShardCommandTests {
    /// 8 runs of a fraction of a second each.
    static let config = """
        name: shards
        seeds: 2
        model: {hidden_size: 8}
        task: {name: recall, sequence_length: 3, classes: 2, noise: 0.1}
        training: {learning_rate: 0.01, iterations: 30, eval_interval: 15, eval_size: 32, batch_size: 8}
        probes: {batch_size: 8}
        sweep:
          sequence_length: [2, 4]
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
        """

    /// A temporary directory with the config as shards.yaml.
    private func workspace(_ label: String) throws -> (directory: URL, config: String, runs: String, store: URL) {
        let directory = try makeTemporaryDirectory(label)
        let config = directory.appendingPathComponent("shards.yaml")
        try Data(Self.config.utf8).write(to: config)
        let runs = directory.appendingPathComponent("runs")
        return (directory, config.path, runs.path, runs.appendingPathComponent("shards"))
    }

    /// The run directories of a store.
    private func runDirectories(_ store: URL) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
        return Set(names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".json") && !$0.hasSuffix(".csv") && !$0.hasSuffix(".failed") })
    }

    /// "… 3 run(s) done, 1 already complete …" → (3, 1).
    private func counts(_ output: String) -> (done: Int, skipped: Int)? {
        guard let range = output.range(of: #"(\d+) run\(s\) done, (\d+) already complete"#, options: .regularExpression) else { return nil }
        let numbers = output[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (numbers[0], numbers[1])
    }

    @Test("shards write disjoint parts of one store; together the whole sweep, as an unsharded sweep would")
    func shardsCompleteTheStore() throws {
        let (directory, config, runs, store) = try workspace("shards")
        defer { try? FileManager.default.removeItem(at: directory) }
        var seen: Set<String> = []
        for shard in 0..<3 {
            let before = runDirectories(store)
            let result = try runVanish(["sweep", config, "--store", runs, "--shard", "\(shard)/3", "--jobs", "2"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("shards shard \(shard)/3: "), "\(result.standardOutput)")
            let added = runDirectories(store).subtracting(before)
            #expect(counts(result.standardOutput)?.done == added.count && !added.isEmpty)
            #expect(added.isDisjoint(with: seen))
            seen.formUnion(added)
        }
        #expect(seen.count == 8)
        let status = try runVanish(["status", store.path])
        #expect(status.status == 0 && status.standardOutput.contains("8 of 8 planned runs done, 3 shard(s)"), "\(status.standardOutput)")
        // The same sweep unsharded finds everything done.
        let whole = try runVanish(["sweep", config, "--store", runs])
        #expect(whole.standardOutput.contains("0 run(s) done, 8 already complete"), "\(whole.standardOutput)")
        // Resubmitting a finished shard does nothing.
        let again = try runVanish(["sweep", config, "--store", runs, "--shard", "1/3"])
        #expect(counts(again.standardOutput)?.done == 0 && again.status == 0)
    }

    @Test("--shard slurm reads the array task; more shards than runs leaves empty shards that exit 0 saying so")
    func slurmEnvironmentAndEmptyShards() throws {
        let (directory, config, runs, store) = try workspace("shard-env")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runVanish(["sweep", config, "--store", runs, "--shard", "slurm"],
                                   environment: ["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "10"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("shards shard 9/10: no runs in this shard (8 run(s) in 10 shards); nothing to do"),
                "\(result.standardOutput)")
        #expect(runDirectories(store).isEmpty)
        let status = try runVanish(["status", store.path])
        #expect(status.standardOutput.contains("0 of 8 planned runs done, 10 shard(s)"), "\(status.standardOutput)")

        for (arguments, environment, message) in [
            (["--shard", "3/3"], [:], "--shard 3/3: K must be from 0 to 2"),
            (["--shard", "1-4"], [:], "--shard '1-4': expected K/N"),
            (["--shard", "slurm"], ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "abc"],
             "SLURM_ARRAY_TASK_COUNT='abc' is not a non-negative integer"),
        ] as [([String], [String: String], String)] {
            let bad = try runVanish(["sweep", config, "--store", runs] + arguments, environment: environment)
            #expect(bad.status == 2 && bad.standardError.contains(message), "\(bad.standardError)")
            #expect(bad.standardError.split(separator: "\n").count == 1)
        }
    }

    @Test("the same shard twice at once: every run trained once, none corrupt or duplicated")
    func overlappingShards() throws {
        let (directory, config, runs, store) = try workspace("shard-overlap")
        defer { try? FileManager.default.removeItem(at: directory) }
        var processes: [(Process, Pipe)] = []
        for _ in 0..<2 {
            let process = Process(), output = Pipe()
            process.executableURL = vanishExecutable
            process.arguments = ["sweep", config, "--store", runs, "--shard", "0/2", "--jobs", "2", "--quiet"]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append((process, output))
        }
        var done = 0
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && text.contains("0 failed"), "\(text)")
            done += counts(text)?.done ?? -100
        }
        let stored = runDirectories(store)
        #expect(done == stored.count && stored.count == 4, "trained \(done) times for \(stored.count) runs")
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.path)
        #expect(entries.allSatisfy { !$0.hasPrefix(".") && !$0.hasSuffix(".failed") }, "\(entries)")
        let status = try runVanish(["status", store.path])
        #expect(status.standardOutput.contains("4 of 8 planned runs done") && !status.standardOutput.contains("corrupt:"))
    }

    @Test("a damaged .npy and an edited summary.json: status names both as corrupt, a rerun redoes exactly those")
    func corruptRunsReportedAndRedone() throws {
        let (directory, config, runs, store) = try workspace("shard-corrupt")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try runVanish(["sweep", config, "--store", runs, "--jobs", "2"]).status == 0)
        let names = runDirectories(store).sorted()
        let array = store.appendingPathComponent("\(names[0])/grad_norms_step0.npy")
        var bytes = try Data(contentsOf: array)
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: array)
        let summary = store.appendingPathComponent("\(names[1])/summary.json")
        let text = try String(contentsOf: summary, encoding: .utf8)
        // Still valid JSON, a different final loss.
        try Data(text.replacingOccurrences(of: "\"final_eval_loss\" : ", with: "\"final_eval_loss\" : 1").utf8).write(to: summary)
        #expect(try String(contentsOf: summary, encoding: .utf8) != text, "the edit must change the summary")
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) is [String: Any])

        let status = try runVanish(["status", store.path])
        #expect(status.status == 0)
        #expect(status.standardOutput.contains("\(names[0]): corrupt: grad_norms_step0.npy does not match its checksum"),
                "\(status.standardOutput)")
        #expect(status.standardOutput.contains("\(names[1]): corrupt: summary.json does not match its checksum"))
        #expect(status.standardOutput.contains("6 of 8 planned runs done"))
        let rerun = try runVanish(["sweep", config, "--store", runs])
        #expect(rerun.standardOutput.contains("2 run(s) done, 6 already complete"), "\(rerun.standardOutput)")
        let after = try runVanish(["status", store.path])
        #expect(after.standardOutput.contains("8 of 8 planned runs done") && !after.standardOutput.contains("corrupt:"))
    }

    @Test("reproduce --from an incomplete store: one line with the count, then the missing runs, non-zero exit")
    func reproduceFromIncompleteStore() throws {
        let (directory, config, runs, store) = try workspace("shard-reproduce")
        defer { try? FileManager.default.removeItem(at: directory) }
        let suite = directory.appendingPathComponent("suite")
        try FileManager.default.createDirectory(at: suite, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: config, toPath: suite.appendingPathComponent("shards.yaml").path)
        // Every role from the one config: the store is refused before any role is drawn.
        let manifest = """
            decay: shards.yaml
            weight-scale: shards.yaml
            learnability: [shards.yaml]
            hidden-states: {config: shards.yaml, variant: tanh}
            gradient-flow: {config: shards.yaml, variant: tanh}
            training-dynamics: {config: shards.yaml, variant: tanh, sequence_length: 4}
            gated-decay: shards.yaml
            gated-learnability: [shards.yaml]
            """
        try Data(manifest.utf8).write(to: suite.appendingPathComponent("suite.yaml"))
        #expect(try runVanish(["sweep", config, "--store", runs, "--shard", "0/2"]).status == 0)
        let done = runDirectories(store)
        let result = try runVanish(["reproduce", "--suite", suite.path, "--from", runs,
                                    "--out", directory.appendingPathComponent("figures").path])
        #expect(result.status != 0)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("\(8 - done.count) of 8 runs are not done (\(8 - done.count) missing)") == true, "\(lines)")
        #expect(lines.count == 1 + 8 - done.count)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  shards/") && $0.hasSuffix(": missing") })
        #expect(lines.dropFirst().allSatisfy { line in !done.contains { line.contains($0) } })
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("figures").path))
    }
}
