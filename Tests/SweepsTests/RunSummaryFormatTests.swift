import Foundation
@testable import Sweeps
import Testing

/// summary.json as stores hold it: this version's form, and vanish 0.1.0's, which existing
/// stores are full of and must stay readable.
@Suite("Run summary format")
struct RunSummaryFormatTests {
    /// A diverged run's summary as vanish 0.1.0 wrote it: start and end values side by side in
    /// `blocks`, the non-finite loss as the string "nan", absent optionals left out.
    static let legacy = """
        {
          "baseline_loss" : 0.16666666666666666,
          "blocks" : [
            {
              "decay_fit_start" : {
                "factor_per_step" : 0.6,
                "fitted_steps" : 60,
                "log_slope_per_step" : -0.5108256237659907,
                "r_squared" : 0.99
              },
              "direction" : "forward",
              "layer" : 0,
              "sigma_max_start" : 1.5,
              "spectral_radius_start" : 0.9
            }
          ],
          "checksums" : [
            { "file" : "config.yaml", "fnv1a64" : "0123456789abcdef" }
          ],
          "experiment" : "boom",
          "final_eval_loss" : "nan",
          "diverged_at" : 3,
          "iterations" : 4,
          "run_id" : "adding-T60-relu-gaussian-g30-s0-0123456789abcdef",
          "seed" : 0,
          "sequence_length" : 60,
          "source_revision" : "e7935dc",
          "success" : false,
          "task" : "adding",
          "tool" : "vanish",
          "version" : "0.1.0",
          "wall_seconds" : 0.25
        }
        """

    @Test("a vanish 0.1.0 summary reads: its blocks become the start and end records, \"nan\" becomes nil")
    func legacySummary() throws {
        let summary = try RunSummary.decode(Data(Self.legacy.utf8))
        #expect(summary.divergedAt == 3 && summary.finalEvalLoss == nil && summary.variant == nil)
        #expect(summary.blocksAtStart.count == 1 && summary.blocksAtEnd.count == 1)
        let start = summary.blocksAtStart[0], end = summary.blocksAtEnd[0]
        #expect(start.layer == 0 && start.direction == .forward && start.sigmaMax == 1.5 && start.spectralRadius == 0.9)
        #expect(start.decayFit?.fittedSteps == 60 && start.decayFit?.factorPerStep == 0.6)
        #expect(end.sigmaMax == nil && end.spectralRadius == nil && end.decayFit == nil)
    }

    @Test("written and read back, a summary is the same; every optional is a null, never absent")
    func roundTrip() throws {
        let legacy = try RunSummary.decode(Data(Self.legacy.utf8))
        let data = try legacy.json()
        #expect(try RunSummary.decode(data) == legacy)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["variant", "final_eval_loss", "final_eval_accuracy", "chance_accuracy"] {
            #expect(json[key] is NSNull, "\(key)")
        }
        #expect(json["blocks"] == nil && json["blocks_at_start"] != nil)
    }
}
