import Foundation
import Recurrence
import Reports
import TensorIO
import TestSupport
import Testing
import Theory

/// `vanish analyze`'s computation on a state_dict saved by PyTorch, against PyTorch's numbers
/// (Tests/Fixtures/analyze, written by make_fixtures.py).
@Suite("Model analysis")
struct ModelAnalysisTests {
    let expected = try! Safetensors.read(fixtureURL("analyze/expected.safetensors"))

    private func request(gradOutput: Bool) -> ModelAnalysis.Request {
        ModelAnalysis.Request(
            model: fixtureURL("analyze/model.safetensors"), input: fixtureURL("analyze/input.npy"),
            initialState: fixtureURL("analyze/h0.npy"),
            gradOutput: gradOutput ? fixtureURL("analyze/grad_output.npy") : nil)
    }

    private func file(_ analysis: ModelAnalysis, _ name: String) throws -> Data {
        try #require(analysis.files.first { $0.name == name }?.data, "no \(name)")
    }

    private func expectMatches(_ array: TypedArray, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let reference = expected.tensors[key], case .float32(let values) = reference.storage,
              case .float32(let actual) = array.storage else {
            Issue.record("\(key): missing or not float32", sourceLocation: sourceLocation)
            return
        }
        #expect(array.shape == reference.shape, "\(key) shape", sourceLocation: sourceLocation)
        expectClose(actual, values, relativeTolerance: 2e-4, key, sourceLocation: sourceLocation)
    }

    @Test("reproduces PyTorch for the default loss and a given G", arguments: [false, true])
    func reproducesPyTorch(gradOutput: Bool) throws {
        let analysis = try ModelAnalysis(request(gradOutput: gradOutput))
        let label = gradOutput ? "given" : "default"
        #expect(analysis.files.map(\.name).sorted() == [
            "grad_h0.npy", "grad_input.npy", "grad_log_norms.npy", "grad_norms.npy", "grad_norms_per_sample.npy",
            "grads.safetensors", "h_n.npy", "hidden.npy", "output.npy", "summary.json",
        ])
        expectMatches(try Npy.decode(file(analysis, "output.npy"), path: "output.npy"), "\(label).output")
        expectMatches(try Npy.decode(file(analysis, "h_n.npy"), path: "h_n.npy"), "\(label).h_n")
        expectMatches(try Npy.decode(file(analysis, "grad_input.npy"), path: "grad_input.npy"), "\(label).grad_input")
        expectMatches(try Npy.decode(file(analysis, "grad_h0.npy"), path: "grad_h0.npy"), "\(label).grad_h0")
        let grads = try Safetensors.decode(file(analysis, "grads.safetensors"), path: "grads.safetensors")
        #expect(grads.tensors.count == 16)
        for (name, array) in grads.tensors { expectMatches(array, "\(label).grad.\(name)") }

        let norms = try Npy.decode(file(analysis, "grad_norms.npy"), path: "grad_norms.npy")
        let logs = try Npy.decode(file(analysis, "grad_log_norms.npy"), path: "grad_log_norms.npy")
        #expect(norms.shape == [4, 12] && logs.shape == [4, 12])
        #expect(try Npy.decode(file(analysis, "hidden.npy"), path: "hidden.npy").shape == [4, 12, 2, 6])
        #expect(try Npy.decode(file(analysis, "grad_norms_per_sample.npy"), path: "p.npy").shape == [4, 12, 2])
        if case .float64(let n) = norms.storage, case .float64(let l) = logs.storage {
            expectElementwiseClose(l, n.map { Double.log($0) }, relativeTolerance: 1e-5, "log vs direct norms")
        } else {
            Issue.record("norms must be float64")
        }

        let summary = analysis.summary
        #expect(summary.model.numLayers == 2 && summary.model.bidirectional && summary.model.bias)
        #expect(summary.model.inputSize == 3 && summary.model.hiddenSize == 6 && summary.model.dtype == "float32")
        #expect(summary.blocks.map(\.row) == [0, 1, 2, 3])
        #expect(summary.blocks.allSatisfy { ($0.diagnostics.sigmaMax ?? 0) >= ($0.diagnostics.spectralRadius ?? .infinity) })
        let json = try JSONSerialization.jsonObject(with: file(analysis, "summary.json")) as? [String: Any]
        let blocks = try #require(json?["blocks"] as? [[String: Any]])
        #expect(blocks.count == 4)
        // The block record's fields sit flat beside analyze's own; every key is there, null or not.
        for block in blocks {
            #expect(Set(block.keys) == ["layer", "direction", "sigma_max", "spectral_radius", "decay_fit", "row",
                                        "sigma_max_below_vanishing_bound", "log_grad_norm_last_step", "log_grad_norm_first_step",
                                        "non_finite_steps", "gates", "cell_decay_fit"], "\(block.keys)")
        }
        #expect(blocks.map { $0["direction"] as? String } == ["forward", "reverse", "forward", "reverse"])
        // Without a fit (the top reverse block under the default loss, which it sees only at
        // t = T−1), decay_fit is null.
        for (block, record) in zip(blocks, summary.blocks) {
            #expect((block["decay_fit"] is NSNull) == (record.diagnostics.decayFit == nil))
        }
    }

    @Test("unbatched and batch-first inputs keep PyTorch's shapes")
    func layouts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-layouts-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unbatched = directory.appendingPathComponent("x.npy")
        try Npy.write(TypedArray(shape: [7, 3], storage: .float64((0..<21).map { Double($0) / 10 })), to: unbatched)
        let analysis = try ModelAnalysis(.init(model: fixtureURL("analyze/model.safetensors"), input: unbatched))
        #expect(try Npy.decode(file(analysis, "output.npy"), path: "o").shape == [7, 12])
        #expect(try Npy.decode(file(analysis, "h_n.npy"), path: "h").shape == [4, 6])
        #expect(try Npy.decode(file(analysis, "grad_h0.npy"), path: "g").shape == [4, 6])
        #expect(try Npy.decode(file(analysis, "grad_input.npy"), path: "g").shape == [7, 3])
        // A float64 input for a float32 model is converted: computed in float32.
        #expect(try Npy.decode(file(analysis, "output.npy"), path: "o").dtype == .float32)

        let batchFirst = directory.appendingPathComponent("bf.npy")
        try Npy.write(TypedArray(shape: [2, 5, 3], storage: .float32((0..<30).map { Float($0) / 30 })), to: batchFirst)
        let bf = try ModelAnalysis(.init(model: fixtureURL("analyze/model.safetensors"), input: batchFirst, batchFirst: true))
        #expect(try Npy.decode(file(bf, "output.npy"), path: "o").shape == [2, 5, 12])
        #expect(try Npy.decode(file(bf, "h_n.npy"), path: "h").shape == [4, 2, 6])
    }

    @Test("the summary's decay fit is the least-squares line of the logged norms against T−1−t")
    func summaryFit() throws {
        let analysis = try ModelAnalysis(request(gradOutput: false))
        let logs = try Npy.decode(file(analysis, "grad_log_norms.npy"), path: "l")
        guard case .float64(let values) = logs.storage else { Issue.record("float64 expected"); return }
        let steps = logs.shape[1]
        for block in analysis.summary.blocks {
            let diagnostics = block.diagnostics
            let row = Array(values[block.row * steps..<(block.row + 1) * steps])
            let fit = DecayFit(logNorms: row, distances: (0..<steps).map { Double(steps - 1 - $0) })
            #expect(diagnostics.decayFit == fit)
            func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
            #expect(block.logGradNormLastStep == finite(row.last!) && block.logGradNormFirstStep == finite(row.first!))
            #expect(block.nonFiniteSteps == row.filter { !$0.isFinite }.count)
            if let fit {
                // Away from the loss at t = T−1 the gradient shrinks, in both directions.
                #expect(fit.logSlopePerStep < 0, "\(diagnostics.name): \(fit.logSlopePerStep)")
            } else {
                // The top reverse block sees the loss only at t = T−1: nothing to fit.
                #expect(diagnostics.layer == 1 && diagnostics.direction == .reverse && block.nonFiniteSteps == steps - 1)
            }
        }
    }
}
