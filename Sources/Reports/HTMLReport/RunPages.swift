import Foundation
import Plot
import Sweeps

/// The per-run pages of a report, drawn side by side on `jobs` threads: each run's files
/// depend on that run alone, so the result is the same whatever the order.
enum RunPages {
    /// - Parameter storeLink: the relative path from the runs/ directory to the experiment's directory.
    /// - Throws: the first failure, in run order (`PlotError` or a file error).
    static func write(_ runs: [StoredRun], into directory: URL, storeLink: String, formats: [FigureFormat],
                      provenance: Provenance, jobs: Int) throws {
        let failures = Failures()
        let workers = max(1, min(jobs, runs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: runs.count, by: workers) {
                do {
                    try write(runs[index], into: directory, storeLink: storeLink, formats: formats, provenance: provenance)
                } catch {
                    failures.record(error, at: index)
                }
            }
        }
        if let failure = failures.first { throw failure }
    }

    private static func write(_ run: StoredRun, into directory: URL, storeLink: String, formats: [FigureFormat],
                              provenance: Provenance) throws {
        let figure = try RunFigures.figure(run).map { described throws(PlotError) in
            try ExperimentReport.write(described, as: run.id, in: directory, prefix: "", formats: formats, provenance: provenance)
        }
        let page = RunPage(run: run, storeLink: storeLink + "/" + run.id)
        try Data(page.html(figure: figure, provenance: provenance).utf8).write(to: directory.appendingPathComponent("\(run.id).html"))
    }

    /// The errors of the workers, by run index, so that the one reported does not depend on timing.
    private final class Failures: @unchecked Sendable {
        private var errors: [Int: Error] = [:]
        private let lock = NSLock()

        func record(_ error: Error, at index: Int) {
            lock.lock()
            errors[index] = error
            lock.unlock()
        }

        var first: Error? { errors.min { $0.key < $1.key }?.value }
    }
}
