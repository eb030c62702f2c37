import AtomicIO
import Foundation
import Sweeps
import TestSupport
import Testing

/// What makes a stored run trustworthy: checksums over every file, summary.json included,
/// and staging directories removed only when their writer is provably gone.
@Suite("Run store integrity")
struct StoreIntegrityTests {
    let run = try! ExperimentConfig.parse(SweepTests.tinySweep, path: "tiny.yaml").runs[0]

    @Test("a summary.json edited so that it still parses (a changed final loss) is corrupt, and redone")
    func editedSummary() throws {
        let root = try makeTemporaryDirectory("summary-edit")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        let url = store.directory(for: run).appendingPathComponent("summary.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"final_eval_loss\" : ", with: "\"final_eval_loss\" : 1")
        #expect(edited != text)
        try Data(edited.utf8).write(to: url)
        guard case .corrupt(let problem) = store.state(of: run) else {
            Issue.record("an edited summary must not count as done")
            return
        }
        #expect(problem.contains("summary.json") && problem.contains("checksum"))
        #expect(SweepRunner(store: store, jobs: 1, showsProgress: false).run([run]).completed == [run.id])
        if case .done = store.state(of: run) {} else { Issue.record("the redone run must be complete") }
    }

    @Test("a run stored before summaries had their own checksum still reads as done")
    func legacyRun() throws {
        let root = try makeTemporaryDirectory("summary-legacy")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        try FileManager.default.removeItem(at: store.directory(for: run).appendingPathComponent("summary.fnv1a64"))
        if case .done = store.state(of: run) {} else { Issue.record("a legacy run must stay done") }
    }

    /// A leftover staging directory as another writer would have left it.
    private func leftover(_ experiment: URL, host: String, pid: Int32, age: TimeInterval = 0) throws -> URL {
        let url = experiment.appendingPathComponent(".\(run.id).staging-\(host)-\(pid)-12345")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: url.appendingPathComponent("metrics.csv"))
        if age > 0 {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
        }
        return url
    }

    @Test("staging cleanup judges pids only on their own host, and never removes a directory whose run is claimed")
    func stagingAcrossHosts() throws {
        let root = try makeTemporaryDirectory("staging-hosts")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let experiment = root.appendingPathComponent(run.experiment)
        let here = AtomicDirectory.hostName
        let deadPID: Int32 = 999_999_99
        #expect(kill(deadPID, 0) != 0)

        // Another node's writer, whose pid means nothing here: kept while recent, removed when old.
        let foreignRecent = try leftover(experiment, host: "node-17.cluster", pid: deadPID)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(FileManager.default.fileExists(atPath: foreignRecent.path), "a pid from another host proves nothing")
        try FileManager.default.removeItem(at: foreignRecent)
        let foreignOld = try leftover(experiment, host: "node-17.cluster", pid: deadPID, age: 7200)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(!FileManager.default.fileExists(atPath: foreignOld.path))

        // This host: a live writer's kept, a dead one's removed.
        let live = try leftover(experiment, host: here, pid: getpid())
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(FileManager.default.fileExists(atPath: live.path))
        try FileManager.default.removeItem(at: live)
        let dead = try leftover(experiment, host: here, pid: deadPID)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(!FileManager.default.fileExists(atPath: dead.path))

        // A held claim protects even an old leftover from a dead pid: its run is being written.
        let claimed = try leftover(experiment, host: here, pid: deadPID, age: 7200)
        let claim = experiment.appendingPathComponent(".\(run.id).claim")
        let descriptor = open(claim.path, O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(FileManager.default.fileExists(atPath: claimed.path), "a claimed run's staging is in use")
        flock(descriptor, LOCK_UN)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(!FileManager.default.fileExists(atPath: claimed.path))
    }

    @Test("an atomic file's temporary left by a killed writer is removed once old, never while recent")
    func temporaryFiles() throws {
        let root = try makeTemporaryDirectory("staging-temporaries")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let experiment = root.appendingPathComponent(run.experiment)
        try FileManager.default.createDirectory(at: experiment, withIntermediateDirectories: true)
        func file(_ name: String, age: TimeInterval) throws -> URL {
            let url = experiment.appendingPathComponent(name)
            try Data("{".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -age)], ofItemAtPath: url.path)
            return url
        }
        let old = try file(".plan.json.tmp-4242-1234567", age: 7200)
        let recent = try file(".plan.json.tmp-4243-7654321", age: 5)
        let oldNote = try file(".\(run.id).failed.tmp-1-2", age: 7200)
        let notTemporary = [try file(".notes.tmp-draft", age: 7200), try file("plan.json.tmp-1-2", age: 7200)]
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(!FileManager.default.fileExists(atPath: old.path) && !FileManager.default.fileExists(atPath: oldNote.path))
        #expect(FileManager.default.fileExists(atPath: recent.path), "its writer may still be at work")
        for url in notTemporary { #expect(FileManager.default.fileExists(atPath: url.path), "not a name AtomicFile makes") }
    }

    @Test("a done run's claim left by a killed sweep is removed; a held one, or an unfinished run's, stays")
    func staleClaims() throws {
        let root = try makeTemporaryDirectory("stale-claims")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let experiment = root.appendingPathComponent(run.experiment)
        let claim = experiment.appendingPathComponent(".\(run.id).claim")
        try FileManager.default.createDirectory(at: experiment, withIntermediateDirectories: true)
        try Data().write(to: claim)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(FileManager.default.fileExists(atPath: claim.path), "the run is not done: its claim may be about to be taken")
        try store.write(try Trainer.run(run))
        let descriptor = open(claim.path, O_RDWR)
        #expect(flock(descriptor, LOCK_EX) == 0)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(FileManager.default.fileExists(atPath: claim.path), "held")
        close(descriptor)
        store.removeAbandonedStaging(experiment: run.experiment)
        #expect(!FileManager.default.fileExists(atPath: claim.path))
    }

    @Test("staging names record host and pid; other names are not leftovers")
    func leftoverNames() {
        let current = AtomicDirectory.leftover(named: ".run-1.staging-node-3.a-42-7")
        #expect(current?.directory == "run-1" && current?.host == "node-3.a" && current?.pid == 42)
        let legacy = AtomicDirectory.leftover(named: ".run-1.old-42-7")
        #expect(legacy?.directory == "run-1" && legacy?.host == nil && legacy?.pid == 42)
        #expect(AtomicDirectory.leftover(named: ".run-1.claim") == nil)
        #expect(AtomicDirectory.leftover(named: "run-1") == nil)
        #expect(!AtomicDirectory.hostName.isEmpty && !AtomicDirectory.hostName.contains("/"))
    }
}
