import Foundation
import Testing
import TestSupport

/// `vanish slurm`: the files it writes, the script run the way Slurm runs it, and submission
/// through a stand-in `sbatch`.
@Suite("vanish slurm command")
struct SlurmCommandTests {
    /// No `name:`, so the copy has to keep the file's name; 8 runs.
    static let config = ShardCommandTests.config.replacingOccurrences(of: "name: shards\n", with: "")

    /// A workspace whose paths hold a space, a quote and a dollar sign, as users' paths may.
    private func workspace(_ label: String) throws -> (directory: URL, config: String, out: URL) {
        let directory = try makeTemporaryDirectory(label).appendingPathComponent("my \"runs\" $HOME")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("Array Test.yaml")
        try Data(Self.config.utf8).write(to: config)
        return (directory, config.path, directory.appendingPathComponent("store"))
    }

    /// A directory with an executable `sbatch` that runs `body`.
    private func fakeSbatch(in directory: URL, _ body: String) throws -> String {
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let sbatch = bin.appendingPathComponent("sbatch")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: sbatch)
        chmod(sbatch.path, 0o755)
        return bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    @Test("writes config.yaml, array.sbatch and logs/ under DIR/slurm/<experiment>, and prints the sbatch command")
    func layoutAndScript() throws {
        let (directory, config, out) = try workspace("slurm-layout")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let result = try runVanish(["slurm", config, "--store", out.path, "--tasks", "3", "--parallel", "2",
                                    "--partition", "debug", "--time", "01:30:00", "--cpus-per-task", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        let job = out.appendingPathComponent("slurm/array-test")
        let script = try String(contentsOf: job.appendingPathComponent("array.sbatch"), encoding: .utf8)
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/sh")
        let directives = lines.filter { $0.hasPrefix("#SBATCH ") }
        #expect(directives == [
            "#SBATCH --job-name=vanish-array-test", "#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=2",
            "#SBATCH --output=" + job.path.replacingOccurrences(of: " ", with: "\\ ").replacingOccurrences(of: "\"", with: "\\\"")
                + "/logs/%A_%a.out",
            "#SBATCH --partition=debug", "#SBATCH --time=01:30:00",
        ])
        let command = try #require(lines.last)
        #expect(command.contains(#"sweep "\#(job.path.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$"))/config.yaml""#),
                "\(command)")
        #expect(command.contains(#"--shard "${SLURM_ARRAY_TASK_ID}/3""#) && command.hasSuffix("--jobs 2 --quiet"))
        #expect(try FileManager.default.attributesOfItem(atPath: job.appendingPathComponent("array.sbatch").path)[.posixPermissions] as? Int == 0o755)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: job.appendingPathComponent("logs").path, isDirectory: &isDirectory) && isDirectory.boolValue)
        // The copy carries the name the original took from its file name, and nothing else changes.
        let copy = try String(contentsOf: job.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(copy.hasPrefix("name: array-test") && copy.hasSuffix(Self.config))
        #expect(result.standardOutput.contains("3 task(s) for 8 run(s) of array-test"))
        let lastLine = try #require(result.standardOutput.split(separator: "\n").last)
        #expect(lastLine.trimmingCharacters(in: .whitespaces) == "sbatch " + ShellQuote.double(job.appendingPathComponent("array.sbatch").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("array-test/plan.json").path))
    }

    @Test("a changed config does not replace the copy an unfinished array still reads; the same config, or a finished array, does")
    func earlierArrayKept() throws {
        let (directory, config, out) = try workspace("slurm-earlier")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        #expect(try runVanish(["slurm", config, "--store", out.path, "--tasks", "2"]).status == 0)
        let copy = out.appendingPathComponent("slurm/array-test/config.yaml")
        let original = try Data(contentsOf: copy)
        #expect(try runVanish(["slurm", config, "--store", out.path, "--tasks", "2"]).status == 0, "the same config again")

        let changed = Self.config.replacingOccurrences(of: "seeds: 2", with: "seeds: 3")
        #expect(changed != Self.config)
        try Data(changed.utf8).write(to: URL(fileURLWithPath: config))
        let refused = try runVanish(["slurm", config, "--store", out.path, "--tasks", "2"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("8 of its 8 runs are not done") && refused.standardError.contains("remove"),
                "\(refused.standardError)")
        #expect(try Data(contentsOf: copy) == original, "the earlier array's copy is untouched")

        // Once the earlier array's runs are done, its copy may be replaced.
        for shard in 0..<2 {
            let sweep = try runVanish(["sweep", copy.path, "--store", out.path, "--shard", "\(shard)/2", "--quiet"])
            #expect(sweep.status == 0, "\(sweep.standardError)")
        }
        #expect(try runVanish(["slurm", config, "--store", out.path, "--tasks", "2"]).status == 0)
        #expect(try Data(contentsOf: copy) != original)
    }

    @Test("each array task run as Slurm runs it does its shard; together they complete the store, and a resubmitted task does nothing")
    func scriptRunsTheShards() throws {
        let (directory, config, out) = try workspace("slurm-run")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        #expect(try runVanish(["slurm", config, "--store", out.path, "--tasks", "3"]).status == 0)
        let script = out.appendingPathComponent("slurm/array-test/array.sbatch")
        // Editing the original afterwards changes nothing: the tasks read the copy.
        try Data("task: {name: adding, sequence_length: 5}\n".utf8).write(to: URL(fileURLWithPath: config))
        for task in [0, 1, 2, 1] {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = [script.path]
            // As a task resubmitted alone sees it: a count of 1.
            shell.environment = ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "1", "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            shell.standardOutput = output
            shell.standardError = output
            try shell.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0 && text.contains("array-test shard \(task)/3"), "\(text)")
        }
        let status = try runVanish(["status", out.appendingPathComponent("array-test").path])
        #expect(status.standardOutput.contains("8 of 8 planned runs done, 3 shard(s)"), "\(status.standardOutput)")
    }

    @Test("--submit runs sbatch --parsable and ends with the job id alone, cluster name dropped")
    func submits() throws {
        let (directory, config, out) = try workspace("slurm-submit")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let arguments = directory.appendingPathComponent("arguments")
        let path = try fakeSbatch(in: directory, "printf '%s\\n' \"$@\" > '\(arguments.path.replacingOccurrences(of: "'", with: "'\\''"))'; echo '4242;cluster-a'")
        let result = try runVanish(["slurm", config, "--store", out.path, "--tasks", "2", "--submit"], environment: ["PATH": path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasSuffix("\nSubmitted batch job 4242\n"), "\(result.standardOutput)")
        let given = try String(contentsOf: arguments, encoding: .utf8)
        #expect(given == "--parsable\n" + out.appendingPathComponent("slurm/array-test/array.sbatch").path + "\n")
    }

    @Test("sbatch missing or failing: one line with the reason (sbatch's own message), non-zero exit")
    func submissionFailures() throws {
        let (directory, config, out) = try workspace("slurm-fail")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let missing = try runVanish(["slurm", config, "--store", out.path, "--submit"], environment: ["PATH": directory.appendingPathComponent("none").path])
        #expect(missing.status == 1 && missing.standardError.contains("sbatch: not found on PATH"), "\(missing.standardError)")
        #expect(missing.standardError.split(separator: "\n").count == 1)
        let path = try fakeSbatch(in: directory, "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2; exit 1")
        let failing = try runVanish(["slurm", config, "--store", out.path, "--submit"], environment: ["PATH": path])
        #expect(failing.status == 1 && failing.standardError.contains("(exit status 1): sbatch: error: Batch job submission failed: Invalid partition"),
                "\(failing.standardError)")
        #expect(failing.standardError.split(separator: "\n").count == 1)
        #expect(!failing.standardOutput.contains("Submitted batch job"))
    }

    @Test("bad options: one line naming the option, nothing written", arguments: [
        (["--tasks", "0"], "--tasks must be at least 1"), (["--parallel", "0"], "--parallel must be at least 1"),
        (["--cpus-per-task", "0"], "--cpus-per-task must be at least 1"), (["--time", "1:60:00"], "--time '1:60:00'"),
        (["--time", "90"], "--time '90'"), (["--time", "00:00:00"], "--time '00:00:00'"),
        (["--partition", "a b"], "--partition 'a b'"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let (directory, config, out) = try workspace("slurm-bad")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let result = try runVanish(["slurm", config, "--store", out.path] + arguments)
        #expect(result.status != 0 && result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("more tasks than runs: a note, and the empty tasks end at once with exit 0")
    func moreTasksThanRuns() throws {
        let (directory, config, out) = try workspace("slurm-many")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let result = try runVanish(["slurm", config, "--store", out.path, "--tasks", "10", "--time", "1-00:00:00"])
        #expect(result.status == 0 && result.standardError.contains("10 tasks for 8 run(s): tasks 8…9 have no runs"), "\(result.standardError)")
        let sweep = try runVanish(["sweep", out.appendingPathComponent("slurm/array-test/config.yaml").path, "--store", out.path, "--shard", "9/10"])
        #expect(sweep.status == 0 && sweep.standardOutput.contains("no runs in this shard"), "\(sweep.standardOutput)")
    }
}

/// Double-quoting for sh, as the script and the printed command use it.
enum ShellQuote {
    static func double(_ text: String) -> String {
        "\"" + text.reduce(into: "") { result, character in
            if "$`\"\\".contains(character) { result.append("\\") }
            result.append(character)
        } + "\""
    }
}
