import Foundation
import Recurrence

/// The durable record of a sweep: `<root>/<experiment>/<run-id>/` per run, each published
/// whole by an atomic rename, with `summary.json` holding checksums of the other files. A run
/// counts as done only when its summary parses and every checksum matches, so a run killed at
/// any point, or a file damaged later, is simply redone.
public struct RunStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func directory(for run: RunConfiguration) -> URL {
        root.appendingPathComponent(run.experiment).appendingPathComponent(run.id)
    }

    /// What the store holds for a run.
    public enum State: Equatable, Sendable {
        case missing
        /// A directory without a valid summary, or whose files do not match it.
        case corrupt(String)
        case done(RunSummary)
    }

    public func state(of run: RunConfiguration) -> State {
        state(at: directory(for: run))
    }

    public func state(at directory: URL) -> State {
        guard FileManager.default.fileExists(atPath: directory.path) else { return .missing }
        let summaryURL = directory.appendingPathComponent("summary.json")
        guard let data = try? Data(contentsOf: summaryURL) else { return .corrupt("no summary.json") }
        guard let summary = try? RunSummary.decode(data) else { return .corrupt("summary.json does not parse") }
        guard summary.runID == directory.lastPathComponent else {
            return .corrupt("summary.json names run \(summary.runID), not \(directory.lastPathComponent)")
        }
        for checksum in summary.checksums {
            guard let contents = try? Data(contentsOf: directory.appendingPathComponent(checksum.file)) else {
                return .corrupt("\(checksum.file) is missing")
            }
            guard FNV1a.hex(contents) == checksum.fnv1a64 else { return .corrupt("\(checksum.file) does not match its checksum") }
        }
        return .done(summary)
    }

    /// Publishes a finished run: every file, then the summary with their checksums.
    public func write(_ record: RunRecord) throws(FileFormatError) {
        var files = record.files
        let checksums = files.map { RunSummary.FileChecksum(file: $0.name, fnv1a64: FNV1a.hex($0.data)) }
        let summary = record.summary(checksums: checksums)
        let summaryData: Data
        do {
            summaryData = try summary.json()
        } catch {
            throw FileFormatError(path: directory(for: record.configuration).path, problem: "cannot encode summary.json: \(error)")
        }
        files.append(("summary.json", summaryData))
        try AtomicDirectory.write(files, to: directory(for: record.configuration))
        try? FileManager.default.removeItem(at: failureNote(for: record.configuration))
    }

    /// A note beside the run directories that a run failed, and why; `status` counts it, and
    /// a later successful write removes it.
    public func recordFailure(of run: RunConfiguration, message: String) {
        let note = failureNote(for: run)
        try? FileManager.default.createDirectory(at: note.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? AtomicFile.write(Data((message + "\n").utf8), to: note)
    }

    /// The claim file of a run (see `RunClaim`).
    func claimURL(for run: RunConfiguration) -> URL {
        root.appendingPathComponent(run.experiment).appendingPathComponent(".\(run.id).claim")
    }

    func failureNote(for run: RunConfiguration) -> URL {
        root.appendingPathComponent(run.experiment).appendingPathComponent("\(run.id).failed")
    }

    /// Removes staging directories that processes no longer running left behind (a run
    /// killed mid-write), so they never accumulate.
    public func removeAbandonedStaging(experiment: String) {
        let directory = root.appendingPathComponent(experiment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".old-")) {
            let marker = name.contains(".staging-") ? ".staging-" : ".old-"
            let token = name.components(separatedBy: marker).last ?? ""
            if let pid = Int32(token.prefix { $0 != "-" }), kill(pid, 0) == 0 { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
