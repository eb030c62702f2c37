import Foundation
import Testing
import TestSupport

/// `vanish report`, `vanish sweep --report` and `vanish plot --format` as a user runs them.
@Suite("vanish report command")
struct ReportCommandTests {
    /// 4 runs of a fraction of a second each.
    static let config = """
        name: browse
        seeds: 2
        model: {hidden_size: 4}
        task: {name: adding, sequence_length: 5}
        training: {iterations: 10, eval_interval: 10, eval_size: 16, batch_size: 8}
        sweep:
          sequence_length: [4, 5]
        """

    @Test("sweep --report writes the report into the store; report rewrites it; plot writes the figures as SVG and PDF")
    func sweepReportAndFormats() throws {
        let directory = try makeTemporaryDirectory("report-command")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("browse.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs")
        let sweep = try runVanish(["sweep", config.path, "--store", store.path, "--quiet", "--report"])
        #expect(sweep.status == 0, "\(sweep.standardError)")
        let index = store.appendingPathComponent("browse/report/index.html")
        #expect(sweep.standardOutput.contains("wrote \(index.path)"), "\(sweep.standardOutput)")
        let status = try runVanish(["status", store.appendingPathComponent("browse").path])
        #expect(status.standardOutput.contains("browse: 4 of 4 planned runs done") && !status.standardOutput.contains("corrupt:"),
                "the report is not taken for a run: \(status.standardOutput)")

        let out = directory.appendingPathComponent("elsewhere")
        let report = try runVanish(["report", store.appendingPathComponent("browse").path, "--out", out.path, "--format", "png"])
        #expect(report.status == 0 && report.standardOutput.contains("(4 run page(s))"), "\(report.standardError)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/training_curves.png").path))

        let figures = directory.appendingPathComponent("figures")
        let plot = try runVanish(["plot", store.appendingPathComponent("browse").path, "--out", figures.path, "--format", "svg", "--format", "pdf"])
        #expect(plot.status == 0, "\(plot.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: figures.path).sorted() == [
            "gradient_decay.pdf", "gradient_decay.svg", "success_vs_length.pdf", "success_vs_length.svg",
            "training_curves.pdf", "training_curves.svg",
        ])
    }

    @Test("a directory that is not an experiment's, or an --out that is not a report, is one error line and nothing written")
    func badInput() throws {
        let directory = try makeTemporaryDirectory("report-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let notes = directory.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes.appendingPathComponent("drafts"), withIntermediateDirectories: true)
        let refused = try runVanish(["report", notes.path])
        #expect(refused.status == 2 && refused.standardOutput.isEmpty)
        #expect(refused.standardError.hasPrefix("vanish: error: \(notes.path): not an experiment's directory")
                && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: notes.path) == ["drafts"])
        let missing = try runVanish(["report", directory.appendingPathComponent("nowhere").path])
        #expect(missing.status == 2 && missing.standardError.hasPrefix("vanish: error: ") && missing.standardError.contains("no such directory"))

        let config = directory.appendingPathComponent("browse.yaml")
        try Data(Self.config.utf8).write(to: config)
        let store = directory.appendingPathComponent("runs")
        #expect(try runVanish(["sweep", config.path, "--store", store.path, "--quiet"]).status == 0)
        let occupied = try runVanish(["report", store.appendingPathComponent("browse").path, "--out", notes.path])
        #expect(occupied.status == 2 && occupied.standardError.contains("is not an earlier result"), "\(occupied.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: notes.path) == ["drafts"])
    }
}
