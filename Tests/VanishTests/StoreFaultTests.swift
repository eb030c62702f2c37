import Foundation
import Testing
import TestSupport

/// A run store that cannot be written: full, or read-only. Tests run as root, for whom
/// permissions are no obstacle, so the store is a real filesystem in a private mount
/// namespace (`unshare -m`): a tmpfs filled to the last pages, or remounted read-only. The
/// mount vanishes with the namespace, whatever happens to the test.
@Suite("Run store faults")
struct StoreFaultTests {
    static let small = """
        name: tiny
        seeds: 2
        model: {hidden_size: 4}
        task: {name: recall, sequence_length: 3, classes: 2}
        training: {iterations: 10, eval_interval: 5, eval_size: 16, batch_size: 8}
        probes: {batch_size: 4}
        """
    /// The same experiment with two more seeds: its first two runs are `small`'s.
    static let big = small.replacingOccurrences(of: "seeds: 2", with: "seeds: 4")

    /// Runs `script` with sh in a new mount namespace, with `STORE` (a mount point), `VANISH`,
    /// `SMALL`, `BIG`, `BEFORE`, `AFTER` and `RESULT` set; fails the test when the script does.
    private func inMountNamespace(_ script: String, _ directory: URL) throws {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in ["STORE": "store", "SMALL": "small.yaml", "BIG": "big.yaml", "BEFORE": "before", "AFTER": "after",
                              "RESULT": "result"] {
            environment[name] = directory.appendingPathComponent(value).path
        }
        environment["VANISH"] = vanishExecutable.path
        for name in ["store", "before", "after", "result"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data(Self.small.utf8).write(to: directory.appendingPathComponent("small.yaml"))
        try Data(Self.big.utf8).write(to: directory.appendingPathComponent("big.yaml"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "/bin/sh", "-c", "set -e\n" + script]
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the fault could not be set up (mount namespace and tmpfs need root): \(complaint)")
    }

    /// Every file under `directory`, by relative path, with its bytes.
    private func contents(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[path] = try Data(contentsOf: url)
            }
        }
        return result
    }

    private func read(_ directory: URL, _ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("result/\(name)"), encoding: .utf8)) ?? ""
    }

    @Test("disk full: one line naming the file that could not be written, exit 1, the sweep stops, finished runs untouched")
    func diskFull() throws {
        let directory = try makeTemporaryDirectory("disk-full")
        defer { try? FileManager.default.removeItem(at: directory) }
        try inMountNamespace("""
            mount -t tmpfs -o size=1m vanish-test "$STORE"
            "$VANISH" sweep "$SMALL" --out "$STORE" --jobs 1 --quiet > /dev/null
            cp -a "$STORE/." "$BEFORE"
            # Fill the filesystem, then give back two pages: room for the plan, not for a run.
            dd if=/dev/zero of="$STORE/filler" bs=4096 2> /dev/null || true
            truncate -s -8K "$STORE/filler"
            set +e
            "$VANISH" sweep "$BIG" --out "$STORE" --jobs 1 > "$RESULT/stdout" 2> "$RESULT/stderr"
            echo $? > "$RESULT/status"
            rm "$STORE/filler"
            cp -a "$STORE/." "$AFTER"
            """, directory)
        #expect(read(directory, "status") == "1\n")
        let stderr = read(directory, "stderr")
        let store = directory.appendingPathComponent("store/tiny").path
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.hasPrefix("vanish: error: run ") && stderr.contains(": \(store)/") && stderr.contains("No space left on device"),
                "\(stderr)")
        #expect(read(directory, "stdout").contains("0 run(s) done, 2 already complete, 1 failed, 1 not started (the store cannot be written)"),
                "\(read(directory, "stdout"))")
        let before = try contents(directory.appendingPathComponent("before/tiny"))
        let after = try contents(directory.appendingPathComponent("after/tiny"))
        #expect(before.filter { $0.key.contains("/") } == after.filter { $0.key.contains("/") }, "finished runs untouched, no partial run")
        #expect(after.keys.allSatisfy { !$0.hasPrefix(".") }, "no staging left behind: \(after.keys.sorted())")
    }

    @Test("read-only store: one line naming the path, exit 1, nothing trained, nothing changed")
    func readOnly() throws {
        let directory = try makeTemporaryDirectory("read-only")
        defer { try? FileManager.default.removeItem(at: directory) }
        try inMountNamespace("""
            mount -t tmpfs -o size=4m vanish-test "$STORE"
            "$VANISH" sweep "$SMALL" --out "$STORE" --jobs 1 --quiet > /dev/null
            rm -r "$STORE"/tiny/*-s1-*
            cp -a "$STORE/." "$BEFORE"
            mount -o remount,ro "$STORE"
            set +e
            "$VANISH" sweep "$SMALL" --out "$STORE" --jobs 1 > "$RESULT/same.stdout" 2> "$RESULT/same.stderr"
            echo $? > "$RESULT/same.status"
            "$VANISH" sweep "$BIG" --out "$STORE" --jobs 1 > "$RESULT/big.stdout" 2> "$RESULT/big.stderr"
            echo $? > "$RESULT/big.status"
            cp -a "$STORE/." "$AFTER"
            """, directory)
        let store = directory.appendingPathComponent("store/tiny").path
        // The plan is unchanged, so the sweep gets as far as taking its turn at runs.csv, and stops there.
        let same = read(directory, "same.stderr")
        #expect(read(directory, "same.status") == "1\n")
        #expect(same.split(separator: "\n").count == 1 && same.contains("\(store)/.runs.csv.lock: ")
                && same.contains("Read-only file system"), "\(same)")
        #expect(read(directory, "same.stdout").contains("0 run(s) done, 1 already complete, 0 failed, 1 not started"))
        // A new plan cannot be written: stopped before anything runs.
        let big = read(directory, "big.stderr")
        #expect(read(directory, "big.status") == "1\n")
        #expect(big == "vanish: error: \(store)/plan.json: cannot create file: Read-only file system\n", "\(big)")
        #expect(try contents(directory.appendingPathComponent("before")) == contents(directory.appendingPathComponent("after")))
    }
}
