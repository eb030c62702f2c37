import AtomicIO
import Foundation
import Recurrence

/// The durable record of a sweep: `<root>/<experiment>/<run-id>/` per run, each published
/// whole by an atomic rename, with `summary.json` holding checksums of the other files and
/// `summary.fnv1a64` the checksum of `summary.json` itself. A run counts as done only when
/// its summary parses and every checksum matches, so a run killed at any point, or a file
/// damaged or edited later, is simply redone.
///
/// Beside the run directories: `plan.json` (`SweepPlan`), `runs.csv` (`RunTable`),
/// `<run-id>.failed` notes, hidden claims (`.<run-id>.claim`) and staging directories, and
/// `report/`, the HTML report `vanish report` writes by default.
public struct RunStore: Sendable {
    public let root: URL

    /// The report's default directory in an experiment's directory; no run id has this form
    /// (ids name task, length and seed), so it is never taken for a run.
    public static let reportDirectoryName = "report"

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
        let summaryURL = directory.appendingPathComponent(RunFiles.summary)
        guard let data = try? Data(contentsOf: summaryURL) else { return .corrupt("no summary.json") }
        guard let summary = try? RunSummary.decode(data) else { return .corrupt("summary.json does not parse") }
        // Runs stored before summaries had their own checksum are read as before.
        if let sidecar = try? Data(contentsOf: directory.appendingPathComponent(RunFiles.summaryChecksum)),
           String(decoding: sidecar, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) != FNV1a.hex(data) {
            return .corrupt("summary.json does not match its checksum (\(RunFiles.summaryChecksum))")
        }
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
        files.append((RunFiles.summary, summaryData))
        files.append((RunFiles.summaryChecksum, Data((FNV1a.hex(summaryData) + "\n").utf8)))
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

    /// The names in an experiment's directory that are run directories: not the plan, not
    /// failure notes, not hidden claims or staging directories, not the report.
    public static func runDirectoryNames(in experimentDirectory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: experimentDirectory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && name != SweepPlan.fileName && name != reportDirectoryName && !name.hasSuffix(".failed")
                && FileManager.default.fileExists(atPath: experimentDirectory.appendingPathComponent(name).path,
                                                  isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// The claim file of a run (see `RunClaim`).
    func claimURL(for run: RunConfiguration) -> URL {
        claimURL(experiment: run.experiment, id: run.id)
    }

    /// `.<name>.tmp-<pid>-<random>`, the temporary that `AtomicFile` renames into place.
    private static func isTemporaryFile(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return false }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    func claimURL(experiment: String, id: String) -> URL {
        root.appendingPathComponent(experiment).appendingPathComponent(".\(id).claim")
    }

    func failureNote(for run: RunConfiguration) -> URL {
        root.appendingPathComponent(run.experiment).appendingPathComponent("\(run.id).failed")
    }

    /// Removes staging and retired directories whose writer is gone (a run killed mid-write),
    /// and what else a killed sweep leaves (a finished run's claim, an atomic file's
    /// temporary), so they never accumulate. Only the holder of a run's claim writes its directory, so a
    /// leftover whose claim is free has no writer; `flock` is cluster-wide on shared storage
    /// (NFSv4, Lustre), so this holds across nodes. In case the filesystem's locks are local
    /// to a node after all, a leftover must also be provably dead: made on this host by a
    /// process no longer running, or made elsewhere more than `foreignAge` ago (a staging
    /// directory lives only for the seconds a finished run takes to write).
    public func removeAbandonedStaging(experiment: String, foreignAge: TimeInterval = 3600) {
        let directory = root.appendingPathComponent(experiment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names {
            let url = directory.appendingPathComponent(name)
            if Self.isTemporaryFile(name) {
                // An atomic file's temporary (plan.json, a failure note), left by a writer killed
                // mid-write: writing one takes milliseconds, so an old one is abandoned
                // whichever host made it.
                let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
                if let modified, Date().timeIntervalSince(modified) > foreignAge { try? FileManager.default.removeItem(at: url) }
                continue
            }
            if name.hasPrefix("."), name.hasSuffix(".claim") {
                // The claim of a run killed after publishing but before letting go. Only a done
                // run's: whoever might claim it in between finds it done and leaves it alone.
                let id = String(name.dropFirst().dropLast(".claim".count))
                if case .done = state(at: directory.appendingPathComponent(id)), !RunClaim.isHeld(url) {
                    try? FileManager.default.removeItem(at: url)
                }
                continue
            }
            guard let leftover = AtomicDirectory.leftover(named: name),
                  !RunClaim.isHeld(claimURL(experiment: experiment, id: leftover.directory)) else { continue }
            if leftover.host == AtomicDirectory.hostName {
                if kill(leftover.pid, 0) == 0 || errno == EPERM { continue }
            } else {
                let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
                guard let modified, Date().timeIntervalSince(modified) > foreignAge else { continue }
            }
            try? FileManager.default.removeItem(at: url)
        }
    }
}
