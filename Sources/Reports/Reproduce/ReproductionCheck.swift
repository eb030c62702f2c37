import Foundation
import Plot
import Sweeps

/// `vanish reproduce --check DIR`: reruns the suite a committed report was made from, in a
/// fresh store, and says part by part whether every number of the new REPORT.md is the
/// committed one, and figure by figure whether the pixels are.
public struct ReproductionCheck {
    /// One line per part of the report and one for the figures, for the terminal.
    public let lines: [String]
    public let identical: Bool

    /// - Parameters:
    ///   - committed: the directory of the committed REPORT.md and figures.
    ///   - suite: the suite that made them.
    ///   - store: where to run; a fresh temporary store when nil, so that every run is redone.
    /// - Throws: `AnalysisError` when `committed` holds no REPORT.md; what `Reproduction.run`
    ///   throws.
    public static func run(committed: URL, suite: URL, store: URL?, jobs: Int, showsProgress: Bool) throws -> ReproductionCheck {
        let reportURL = committed.appendingPathComponent("REPORT.md")
        guard let old = try? String(contentsOf: reportURL, encoding: .utf8) else {
            throw AnalysisError("\(reportURL.path): no report to check against")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("figures")
        let outcome = try Reproduction.run(suite: suite, store: store ?? scratch.appendingPathComponent("runs"), output: output,
                                           jobs: jobs, rerun: true, showsProgress: showsProgress)
        let new = try String(contentsOf: output.appendingPathComponent("REPORT.md"), encoding: .utf8)
        let comparison = ReportComparison(committed: old, rerun: new)
        var lines = comparison.parts.map { part in
            part.differences.isEmpty
                ? "\(part.name): identical (\(part.compared.joined(separator: ", ")))"
                : "\(part.name): DIFFERS\n" + part.differences.map { "    " + $0 }.joined(separator: "\n")
        }
        let figures = outcome.written.filter { $0.pathExtension == "png" }
        let differing = figures.filter { !samePixels(committed.appendingPathComponent($0.lastPathComponent), $0) }
        lines.append(differing.isEmpty
            ? "figures: all \(figures.count) PNGs have identical pixels"
            : "figures: DIFFER in " + differing.map(\.lastPathComponent).joined(separator: ", ") + " (of \(figures.count))")
        return ReproductionCheck(lines: lines, identical: comparison.identical && differing.isEmpty)
    }

    /// Pixels, not bytes: the text chunks carry the revision and the machine.
    private static func samePixels(_ a: URL, _ b: URL) -> Bool {
        guard let first = try? DecodedPNG.read(a), let second = try? DecodedPNG.read(b) else { return false }
        return first.width == second.width && first.height == second.height && first.rgba == second.rgba
    }
}
