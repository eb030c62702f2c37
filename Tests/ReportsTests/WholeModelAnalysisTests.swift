import AtomicIO
import Foundation
import Recurrence
import Reports
import Sweeps
import TensorIO
import TestSupport
import Testing

/// `vanish analyze` on whole models as PyTorch users save them (Tests/Fixtures/model, written by
/// make_fixtures.py): the recurrent module found among the other tensors, torch.save
/// checkpoints, and the model's own loss through its readout, against PyTorch's loss and gradients.
@Suite("Model analysis of whole models")
struct WholeModelAnalysisTests {
    let expected = try! Safetensors.read(fixtureURL("model/expected.safetensors"))

    /// One analysis of a fixture model with its loss, and the key of PyTorch's numbers for it.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let model: String
        let input: String
        let targets: String
        let readout: String
        let function: LossFunction
        let steps: LossSteps
        var batchFirst = false
        var testDescription: String { label }

        var request: ModelAnalysis.Request {
            ModelAnalysis.Request(
                model: fixtureURL("model/\(model)"), input: fixtureURL("model/\(input)"),
                loss: LossSettings(readout: readout, targets: fixtureURL("model/\(targets)"), function: function, steps: steps),
                batchFirst: batchFirst)
        }
    }

    static let cases = [
        Case(label: "ce_last", model: "rnn_fc.pt", input: "x.npy", targets: "y_last.npy", readout: "fc",
             function: .crossEntropy, steps: .last),
        Case(label: "ce_all", model: "rnn_fc.pt", input: "x.npy", targets: "y_all.npy", readout: "fc",
             function: .crossEntropy, steps: .all),
        Case(label: "unbatched", model: "rnn_fc.pt", input: "x_unbatched.npy", targets: "y_unbatched.npy", readout: "fc",
             function: .crossEntropy, steps: .all),
        Case(label: "lstm_all", model: "lstm_checkpoint.pt", input: "x_batch_first.npy", targets: "y_batch_first.npy",
             readout: "fc", function: .crossEntropy, steps: .all, batchFirst: true),
        Case(label: "gru_mse", model: "gru_head.pth", input: "x.npy", targets: "y_mse.npy", readout: "head",
             function: .mse, steps: .all),
        Case(label: "float16", model: "rnn_float16.pt", input: "x.npy", targets: "y_last.npy", readout: "fc",
             function: .crossEntropy, steps: .last),
    ]

    private func file(_ analysis: ModelAnalysis, _ name: String) throws -> Data {
        try #require(analysis.files.first { $0.name == name }?.data, "no \(name)")
    }

    private func doubles(_ array: TypedArray) -> [Double] {
        switch array.storage {
        case .float32(let values): values.map { Double($0) }
        case .float64(let values): values
        case .int32(let values): values.map { Double($0) }
        case .int64(let values): values.map { Double($0) }
        }
    }

    /// `array` against PyTorch's `key`: same shape and dtype, within 2e-4 (float32) or 1e-9 (float64)
    /// of the largest value.
    private func expectMatches(_ array: TypedArray, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let reference = expected.tensors[key] else {
            Issue.record("no \(key) in expected.safetensors", sourceLocation: sourceLocation)
            return
        }
        #expect(array.shape == reference.shape, "\(key) shape", sourceLocation: sourceLocation)
        let tolerance = reference.dtype == .float64 ? 1e-9 : 2e-4
        expectClose(doubles(array), doubles(reference), relativeTolerance: tolerance, key, sourceLocation: sourceLocation)
    }

    @Test("the loss, the output and every gradient are PyTorch's for the model's own loss", arguments: cases)
    func reproducesPyTorch(_ testCase: Case) throws {
        let analysis = try ModelAnalysis(testCase.request)
        let label = testCase.label
        let loss = try #require(analysis.summary.loss)
        let reference = doubles(try #require(expected.tensors["\(label).loss"]))[0]
        #expect(abs(loss - reference) <= (expected.tensors["\(label).loss"]!.dtype == .float64 ? 1e-9 : 2e-6) * abs(reference),
                "loss \(loss), PyTorch \(reference)")
        for name in ["output", "grad_input", "grad_h0", "grad_norms"] {
            let array = try Npy.decode(file(analysis, "\(name).npy"), path: name)
            if name == "grad_norms" {
                // Probes are float64 whatever the model's dtype; PyTorch's are in the model's.
                #expect(array.shape == expected.tensors["\(label).grad_norms"]?.shape)
                let tolerance = testCase.request.model.lastPathComponent == "lstm_checkpoint.pt" ? 1e-9 : 2e-4
                expectClose(doubles(array), doubles(expected.tensors["\(label).grad_norms"]!), relativeTolerance: tolerance,
                            "\(label).grad_norms")
            } else {
                expectMatches(array, "\(label).\(name)")
            }
        }
        // grads.safetensors holds exactly the parameters PyTorch's loss reaches, by their
        // state_dict names: the recurrent module's and the readout's, never the embedding.
        let grads = try Safetensors.decode(file(analysis, "grads.safetensors"), path: "grads.safetensors")
        let names = Set(expected.tensors.keys.filter { $0.hasPrefix("\(label).grad.") }.map { String($0.dropFirst("\(label).grad.".count)) })
        #expect(Set(grads.tensors.keys) == names)
        #expect(names.contains("\(testCase.readout).weight"))
        for (name, array) in grads.tensors { expectMatches(array, "\(label).grad.\(name)") }

        let settings = try #require(analysis.summary.lossSettings)
        #expect(settings.function == testCase.function.rawValue && settings.steps == testCase.steps.rawValue
                && settings.readout == testCase.readout)
        let validator = try JSONSchemaValidator(schemaAt: SummarySchemaTests.analyzeSchema)
        #expect(try validator.problems(in: file(analysis, "summary.json")) == [])
    }

    @Test("cross-entropy's mean is over the targets that are not -100")
    func ignoredTargets() throws {
        let analysis = try ModelAnalysis(Self.cases[1].request)
        #expect(analysis.summary.lossSettings?.meanOver == 7 * 3 - 3)
        #expect(analysis.summary.lossSettings?.targetsShape == [7, 3] && analysis.summary.lossSettings?.targetsDtype == "int64")
        #expect(analysis.summary.objective.contains("F.cross_entropy(fc(output).reshape(-1, 4), y.reshape(-1))"))
    }

    @Test("a whole model saved with safetensors gives what its torch.save twin gives")
    func safetensorsWholeModel() throws {
        var request = Self.cases[0].request
        let fromTorch = try ModelAnalysis(request)
        request.model = fixtureURL("model/rnn_fc.safetensors")
        let fromSafetensors = try ModelAnalysis(request)
        #expect(fromSafetensors.summary.model.format == "safetensors" && fromTorch.summary.model.format == "torch")
        #expect(fromSafetensors.summary.loss == fromTorch.summary.loss)
        for name in ["grads.safetensors", "grad_input.npy", "grad_norms.npy"] {
            #expect(try file(fromSafetensors, name) == file(fromTorch, name), "\(name)")
        }
    }

    @Test("without loss options the module is found, the rest listed in the file's order, gradients named as in the file")
    func defaultLossOnWholeModel() throws {
        let analysis = try ModelAnalysis(.init(model: fixtureURL("model/rnn_fc.pt"), input: fixtureURL("model/x.npy")))
        let model = analysis.summary.model
        #expect(model.module == "rnn" && model.stateDictKey == nil && model.upcast.isEmpty)
        #expect(model.otherTensors == ["fc.weight", "fc.bias", "embedding.weight"])
        #expect(analysis.summary.loss == nil && analysis.summary.lossSettings == nil)
        let grads = try Safetensors.decode(file(analysis, "grads.safetensors"), path: "grads.safetensors")
        #expect(grads.tensors.count == 16 && grads.tensors.keys.allSatisfy { $0.hasPrefix("rnn.") })
        let json = try #require(try JSONSerialization.jsonObject(with: file(analysis, "summary.json")) as? [String: Any])
        #expect(json["loss"] is NSNull && json["loss_settings"] is NSNull)
        #expect((json["model"] as? [String: Any])?["state_dict_key"] is NSNull)
    }

    @Test("a training checkpoint: the state_dict under model_state_dict, or under --key; a wrong key is named")
    func trainingCheckpoint() throws {
        var request = Self.cases[3].request
        let found = try ModelAnalysis(request)
        #expect(found.summary.model.stateDictKey == "model_state_dict" && found.summary.model.module == "lstm")
        #expect(found.summary.model.cell == "lstm" && found.summary.model.dtype == "float64")
        request.key = "model_state_dict"
        #expect(try ModelAnalysis(request).summary.loss == found.summary.loss)
        request.key = "weights"
        #expect(throws: FileFormatError.self) { try ModelAnalysis(request) }
        do {
            _ = try ModelAnalysis(request)
        } catch {
            #expect("\(error)".contains("has no key 'weights'") && "\(error)".contains("'epoch'"), "\(error)")
        }
    }

    @Test("half precision is computed in float32, and summary.json names each upcast tensor and its dtype")
    func halfPrecision() throws {
        let analysis = try ModelAnalysis(Self.cases[5].request)
        let model = analysis.summary.model
        #expect(model.dtype == "float32")
        #expect(model.upcast.map(\.tensor) == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                               "fc.weight", "fc.bias"])
        #expect(model.upcast.allSatisfy { $0.storedDtype == "float16" })
        #expect(model.otherTensors == ["embedding.weight"])
    }

    @Test("two recurrent modules: refused in one line listing them, then --module picks one")
    func twoModules() throws {
        let model = fixtureURL("model/two_modules.pt")
        let x = fixtureURL("model/x.npy")
        #expect(throws: AnalysisError("\(model.path): holds 2 recurrent modules, 'encoder.rnn', 'decoder.gru'; "
                                      + "choose one with --module (e.g. --module 'encoder.rnn')")) {
            try ModelAnalysis(.init(model: model, input: x))
        }
        #expect(throws: AnalysisError.self) { try ModelAnalysis(.init(model: model, input: x, module: "decoder")) }

        let encoder = try ModelAnalysis(.init(model: model, input: x, module: "encoder.rnn"))
        #expect(encoder.summary.model.cell == "rnn" && encoder.summary.model.hiddenSize == 4)
        #expect(encoder.summary.model.otherTensors.count == 4 + 2)
        #expect(encoder.summary.model.otherTensors.allSatisfy { $0.hasPrefix("decoder.gru.") || $0.hasPrefix("fc.") })

        // The decoder reads 4 features: its own input, here zeros of that width; fc reads its 3.
        let directory = try makeTemporaryDirectory("two-modules")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("x4.npy"), targets = directory.appendingPathComponent("y.npy")
        try Npy.write(TypedArray(shape: [5, 2, 4], storage: .float32((0..<40).map { Float($0 % 7) / 7 })), to: input)
        try Npy.write(TypedArray(shape: [2], storage: .int64([1, 0])), to: targets)
        let decoder = try ModelAnalysis(.init(
            model: model, input: input, module: "decoder.gru",
            loss: LossSettings(readout: "fc", targets: targets, function: .crossEntropy)))
        #expect(decoder.summary.model.cell == "gru" && decoder.summary.model.module == "decoder.gru")
        let grads = try Safetensors.decode(file(decoder, "grads.safetensors"), path: "g")
        #expect(grads.tensors.keys.sorted() == ["decoder.gru.bias_hh_l0", "decoder.gru.bias_ih_l0", "decoder.gru.weight_hh_l0",
                                                "decoder.gru.weight_ih_l0", "fc.bias", "fc.weight"])
    }

    /// The analysis's error for `request` with the targets `array` written to a file of the test's own.
    private func error(targets array: TypedArray, _ edit: (inout ModelAnalysis.Request) -> Void = { _ in }) throws -> String {
        let directory = try makeTemporaryDirectory("targets")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("y.npy")
        try Npy.write(array, to: url)
        var request = Self.cases[0].request
        request.loss?.targets = url
        edit(&request)
        do {
            _ = try ModelAnalysis(request)
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: url.path, with: "y.npy")
        }
    }

    @Test("targets that do not fit are named with the file, and a bad class index with its position")
    func badTargets() throws {
        #expect(try error(targets: TypedArray(shape: [3], storage: .int64([0, 4, 1]))) ==
                "y.npy: class index 4 at position [1] is outside 0..<4 (the readout has 4 outputs; -100 marks a target to ignore)")
        #expect(try error(targets: TypedArray(shape: [7, 3], storage: .int64((0..<21).map { $0 == 8 ? -1 : 0 })),
                          { $0.loss?.steps = .all }).hasPrefix("y.npy: class index -1 at position [2, 2] is outside 0..<4"))
        #expect(try error(targets: TypedArray(shape: [4], storage: .int64([0, 1, 2, 3]))) ==
                "y.npy: targets have shape [4], expected [3] (N class indices) for --loss cross-entropy --loss-steps last on this input")
        #expect(try error(targets: TypedArray(shape: [3], storage: .float32([0, 1, 2]))).hasPrefix(
            "y.npy: cross-entropy targets must be class indices, int64 or int32, got <f4"))
        #expect(try error(targets: TypedArray(shape: [3], storage: .int32([-100, -100, -100]))).hasPrefix(
            "y.npy: every target is -100 (ignored)"))
        #expect(try error(targets: TypedArray(shape: [3, 4], storage: .int64(Array(repeating: 0, count: 12))),
                          { $0.loss?.function = .mse }) == "y.npy: mse targets must be float32 or float64, got <i8")
        #expect(try error(targets: TypedArray(shape: [3, 4], storage: .float64(Array(repeating: 0, count: 12))),
                          { $0.loss?.steps = .all; $0.loss?.function = .mse }).hasPrefix(
            "y.npy: targets have shape [3, 4], expected [7, 3, 4] (T, N, K)"))
        // int32 indices are as good as int64 ones.
        #expect(try error(targets: TypedArray(shape: [3], storage: .int32([2, 0, 3]))) == "no error")
    }

    @Test("a readout that is not in the file, or does not read the RNN's output, is named")
    func badReadout() throws {
        let path = fixtureURL("model/rnn_fc.pt").path
        var request = Self.cases[0].request
        request.loss?.readout = "classifier"
        #expect(throws: AnalysisError("\(path): --readout classifier: no tensor classifier.weight (an nn.Linear's weight, "
                                      + "(K, 10)); modules with a weight here: fc, embedding")) { try ModelAnalysis(request) }
        request.loss?.readout = "embedding"
        #expect(throws: AnalysisError("\(path): embedding.weight has shape [5, 3], expected (K, 10): the readout reads the "
                                      + "RNN's output, D·H_out = 10 wide")) { try ModelAnalysis(request) }
    }

    @Test("the loss options go together, never with --grad-output")
    func lossOptions() throws {
        let y = URL(fileURLWithPath: "/data/y.npy"), g = URL(fileURLWithPath: "/data/g.npy")
        #expect(try LossSettings.options(readout: nil, targets: nil, function: nil, steps: nil, gradOutput: g) == nil)
        #expect(try LossSettings.options(readout: "fc", targets: y, function: .mse, steps: nil, gradOutput: nil)
                == LossSettings(readout: "fc", targets: y, function: .mse, steps: .last))
        #expect(throws: AnalysisError("--readout define the loss together with the other options; missing --targets Y.npy, "
                                      + "--loss cross-entropy|mse")) {
            try LossSettings.options(readout: "fc", targets: nil, function: nil, steps: nil, gradOutput: nil)
        }
        #expect(throws: AnalysisError("--grad-output /data/g.npy gives ∂L/∂output itself, and --readout, --targets, --loss define a "
                                      + "loss instead; use one or the other")) {
            try LossSettings.options(readout: "fc", targets: y, function: .crossEntropy, steps: nil, gradOutput: g)
        }
        var request = Self.cases[0].request
        request.gradOutput = fixtureURL("model/x.npy")
        #expect(throws: AnalysisError.self) { try ModelAnalysis(request) }
    }
}
