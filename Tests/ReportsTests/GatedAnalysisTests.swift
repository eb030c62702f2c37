import Foundation
import Recurrence
import Reports
import Sweeps
import TensorIO
import TestSupport
import Testing

/// `vanish analyze` on nn.LSTM and nn.GRU state_dicts written by PyTorch (Tests/Fixtures/lstm,
/// gru): the cell is read from the shapes, the forward pass is PyTorch's, and the gated
/// outputs are there.
@Suite("Model analysis of gated cells")
struct GatedAnalysisTests {
    /// The fixture's state_dict, input and initial states as the files a user would pass.
    private func files(_ fixture: RNNFixture, in directory: URL) throws -> ModelAnalysis.Request {
        var model = Safetensors()
        for name in ParameterLayout(fixture.configuration).names { model.tensors[name] = fixture.file.tensors[name] }
        let modelURL = directory.appendingPathComponent("model.safetensors")
        try model.write(to: modelURL)
        func npy(_ key: String) throws -> URL? {
            guard let array = fixture.file.tensors[key] else { return nil }
            let url = directory.appendingPathComponent("\(key).npy")
            try Npy.write(array, to: url)
            return url
        }
        return ModelAnalysis.Request(model: modelURL, input: try npy("input")!, initialState: try npy("h0"),
                                     initialCell: try npy("c0"), batchFirst: fixture.configuration.batchFirst)
    }

    private func array(_ analysis: ModelAnalysis, _ name: String) throws -> TypedArray {
        try Npy.decode(try #require(analysis.files.first { $0.name == name }?.data, "no \(name)"), path: name)
    }

    @Test("an LSTM with a projection: cell and sizes from the shapes, PyTorch's output, h_n and c_n, every c file")
    func projectedLSTM() throws {
        let fixture = try RNNFixture("f64_l1_bi_proj3_nobias_batch_first_h0", cell: .lstm)
        let directory = try makeTemporaryDirectory("gated-analyze")
        defer { try? FileManager.default.removeItem(at: directory) }
        let analysis = try ModelAnalysis(try files(fixture, in: directory))
        #expect(analysis.summary.model.cell == "lstm" && analysis.summary.model.projSize == 3
                && analysis.summary.model.hiddenSize == fixture.configuration.hiddenSize)
        for (file, key) in [("output.npy", "output"), ("h_n.npy", "h_n"), ("c_n.npy", "c_n")] {
            let ours = try array(analysis, file), theirs = try #require(fixture.file.tensors[key])
            guard case .float64(let a) = ours.storage, case .float64(let b) = theirs.storage else {
                Issue.record("\(file): float64 expected")
                continue
            }
            #expect(ours.shape == theirs.shape, "\(file)")
            expectClose(a, b, relativeTolerance: 1e-9, file)
        }
        let blocks = 2, steps = fixture.file.tensors["input"]!.shape[1]
        for name in ["cell_grad_norms.npy", "cell_grad_log_norms.npy", "gate_mean.npy", "gate_saturated_high.npy"] {
            #expect(try array(analysis, name).shape == [blocks, steps], "\(name)")
        }
        #expect(try array(analysis, "cell.npy").shape.prefix(2) == [blocks, steps])
        #expect(try array(analysis, "grad_c0.npy").shape == fixture.file.tensors["c0"]!.shape)
        let summary = try #require(try JSONSerialization.jsonObject(with: analysis.files.first { $0.name == "summary.json" }!.data)
                                   as? [String: Any])
        let firstBlock = try #require((summary["blocks"] as? [[String: Any]])?.first)
        #expect((firstBlock["gates"] as? [[String: Any]])?.map { $0["gate"] as? String } == ["i", "f", "g", "o"])
        #expect(firstBlock.keys.contains("cell_decay_fit"))
        let validator = try JSONSchemaValidator(schemaAt: SummarySchemaTests.analyzeSchema)
        #expect(try validator.problems(in: analysis.files.first { $0.name == "summary.json" }!.data) == [])
        // With a projection the gate blocks are H × P: σ_max, but no spectral radius.
        #expect((firstBlock["gates"] as? [[String: Any]])?.allSatisfy { $0["spectral_radius"] is NSNull } == true)
    }

    @Test("a GRU: gate statistics of the update gate, no cell-state files; --c0 is refused in one line")
    func gru() throws {
        let fixture = try RNNFixture("f32_l2_uni_bias_batch_first_h0", cell: .gru)
        let directory = try makeTemporaryDirectory("gated-analyze-gru")
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try files(fixture, in: directory)
        let analysis = try ModelAnalysis(request)
        #expect(analysis.summary.model.cell == "gru")
        let names = Set(analysis.files.map(\.name))
        #expect(names.isSuperset(of: ["gate_mean.npy", "gate_saturated_high.npy", "gate_saturated_low.npy"]))
        #expect(names.isDisjoint(with: ["c_n.npy", "grad_c0.npy", "cell.npy", "cell_grad_norms.npy"]))
        guard case .float64(let mean) = try array(analysis, "gate_mean.npy").storage else {
            Issue.record("gate_mean.npy: float64 expected")
            return
        }
        #expect(!mean.isEmpty && mean.allSatisfy { $0 > 0 && $0 < 1 })
        request.initialCell = request.initialState
        #expect(throws: AnalysisError.self) { try ModelAnalysis(request) }
    }
}
