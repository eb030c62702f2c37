import Foundation
@testable import Reports
import Sweeps
import TestSupport
import Testing

/// The shipped suites: both scales' manifests name a config for every part of the report,
/// and both run the same seven experiments.
@Suite("Reproduction suites")
struct ReproductionSuiteTests {
    @Test("experiments/reproduce and experiments/reproduce-paper: every role given, the same seven experiments",
          arguments: ["reproduce", "reproduce-paper"])
    func suitesParse(_ name: String) throws {
        let directory = fixtureURL("../../experiments/\(name)").standardizedFileURL
        let manifest = try SuiteManifest.load(suite: directory)
        #expect(manifest.configs.map(\.name) == ["reproduce-decay", "reproduce-weight-scale", "reproduce-recall", "reproduce-adding",
                                                "reproduce-gated-decay", "reproduce-gated-recall", "reproduce-gated-adding"])
        #expect(manifest[.trainingDynamics].sequenceLength == 20 && manifest[.hiddenStates].variant == "tanh-default")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["adding.yaml", "decay.yaml", "gated-adding.yaml", "gated-decay.yaml", "gated-recall.yaml", "recall.yaml",
                          "suite.yaml", "weight-scale.yaml"], "no config the manifest leaves out")
    }
}
