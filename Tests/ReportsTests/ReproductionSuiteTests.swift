import Foundation
import Reports
import Sweeps
import TestSupport
import Testing

/// The shipped suites: both scales parse, and share the experiment names the analysis reads.
@Suite("Reproduction suites")
struct ReproductionSuiteTests {
    @Test("experiments/reproduce and experiments/reproduce-paper parse, with the same four experiments",
          arguments: ["reproduce", "reproduce-paper"])
    func suitesParse(_ name: String) throws {
        let directory = fixtureURL("../../experiments/\(name)").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["adding.yaml", "decay.yaml", "recall.yaml", "weight-scale.yaml"])
        let names = try files.map { try ExperimentConfig.load(directory.appendingPathComponent($0)).name }
        #expect(names == ["reproduce-adding", "reproduce-decay", "reproduce-recall", "reproduce-weight-scale"])
    }
}
