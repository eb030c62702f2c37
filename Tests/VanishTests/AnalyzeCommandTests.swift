import Foundation
import Recurrence
import TensorIO
import TestSupport
import Testing

/// `vanish analyze` as a user runs it: exit codes, one-line errors, nothing half-written.
@Suite("vanish analyze command")
struct AnalyzeCommandTests {
    let model = fixtureURL("analyze/model.safetensors").path
    let input = fixtureURL("analyze/input.npy").path

    @Test("writes every result and prints an overview")
    func succeeds() throws {
        let directory = try makeTemporaryDirectory("analyze")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("result")
        let result = try runVanish(["analyze", model, input, "--out", out.path,
                                    "--h0", fixtureURL("analyze/h0.npy").path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("2 layer(s), bidirectional, tanh"))
        #expect(result.standardOutput.contains("layer 1 reverse"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files.count == 10 && files.contains("summary.json") && files.contains("grads.safetensors"))
        let expected = try Safetensors.read(fixtureURL("analyze/expected.safetensors"))
        let output = try Npy.read(out.appendingPathComponent("output.npy"))
        guard case .float32(let actual) = output.storage,
              case .float32(let reference)? = expected.tensors["default.output"]?.storage else {
            Issue.record("output must be float32")
            return
        }
        expectClose(actual, reference, relativeTolerance: 2e-4, "output.npy")
    }

    @Test("bad input: one line naming the file, exit 2, nothing written", arguments: [
        ("truncated.safetensors", "model"), ("notjson.safetensors", "model"), ("ints.npy", "input"), ("rank4.npy", "input"),
        ("badh0.npy", "h0"), ("badg.npy", "grad"), ("missing.npy", "input"),
    ])
    func badInput(file: String, role: String) throws {
        let directory = try makeTemporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(file)
        let modelBytes = try Data(contentsOf: URL(fileURLWithPath: model))
        switch file {
        case "truncated.safetensors": try modelBytes.prefix(modelBytes.count - 10).write(to: path)
        case "notjson.safetensors":
            var bytes = Data([8, 0, 0, 0, 0, 0, 0, 0])
            bytes.append(Data("{oops!!!".utf8))
            try bytes.write(to: path)
        case "ints.npy": try Npy.write(TypedArray(shape: [4, 2, 3], storage: .int64(Array(repeating: 1, count: 24))), to: path)
        case "rank4.npy": try Npy.write(TypedArray(shape: [1, 4, 2, 3], storage: .float32(Array(repeating: 1, count: 24))), to: path)
        case "badh0.npy": try Npy.write(TypedArray(shape: [4, 6], storage: .float32(Array(repeating: 0, count: 24))), to: path)
        case "badg.npy": try Npy.write(TypedArray(shape: [12, 2, 6], storage: .float32(Array(repeating: 0, count: 144))), to: path)
        default: break  // missing.npy stays missing
        }
        let out = directory.appendingPathComponent("out")
        var arguments = ["analyze", role == "model" ? path.path : model, role == "input" ? path.path : input, "--out", out.path]
        if role == "h0" { arguments += ["--h0", path.path] }
        if role == "grad" { arguments += ["--grad-output", path.path] }
        let result = try runVanish(arguments)
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("vanish: error: \(path.path)"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test("an output that cannot be written: exit 1, one line naming the path")
    func unwritableOutput() throws {
        let directory = try makeTemporaryDirectory("unwritable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data().write(to: blocker)
        let result = try runVanish(["analyze", model, input, "--out", blocker.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains(blocker.path))
    }

    @Test("unknown nonlinearity is a usage error")
    func usage() throws {
        let directory = try makeTemporaryDirectory("usage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runVanish(["analyze", model, input, "--out", directory.appendingPathComponent("out").path,
                                    "--nonlinearity", "sigmoid"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("sigmoid"))
    }

    @Test("--out never replaces the working directory, the inputs' directory or foreign files")
    func safeDestination() throws {
        let directory = try makeTemporaryDirectory("dest")
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelCopy = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: model), to: modelCopy)
        try Data("keep".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let foreign = directory.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("thesis.tex"))
        for (out, reason) in [(".", "working directory"), (directory.path, "working directory"),
                              (modelCopy.path, "contains the input"), (foreign.path, "not an earlier result")] {
            let result = try runVanish(["analyze", modelCopy.path, input, "--out", out], in: directory)
            #expect(result.status == 2, "\(out)")
            #expect(result.standardError.contains(reason), "\(result.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("notes.txt").path))
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("thesis.tex").path))
        // An earlier result is replaced.
        let results = directory.appendingPathComponent("results")
        for plot in [false, true] {
            let result = try runVanish(["analyze", modelCopy.path, input, "--out", results.path] + (plot ? ["--plot"] : []),
                                       in: directory)
            #expect(result.status == 0, "\(result.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent("grad_norms.png").path))
    }

    @Test("a whole torch.save model with its own loss: PyTorch's loss in summary.json and the readout's gradient in grads.safetensors")
    func wholeModelLoss() throws {
        let directory = try makeTemporaryDirectory("analyze-loss")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("result")
        let result = try runVanish(["analyze", fixtureURL("model/rnn_fc.pt").path, fixtureURL("model/x.npy").path,
                                    "--readout", "fc", "--targets", fixtureURL("model/y_all.npy").path,
                                    "--loss", "cross-entropy", "--loss-steps", "all", "--out", out.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("F.cross_entropy(fc(output).reshape(-1, 4), y.reshape(-1))"))
        #expect(result.standardOutput.contains("not read: embedding.weight"))
        let expected = try Safetensors.read(fixtureURL("model/expected.safetensors"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                                   as? [String: Any])
        guard case .float32(let loss)? = expected.tensors["ce_all.loss"]?.storage,
              case .float32(let reference)? = expected.tensors["ce_all.grad.fc.weight"]?.storage,
              case .float32(let actual)? = try Safetensors.read(out.appendingPathComponent("grads.safetensors")).tensors["fc.weight"]?.storage
        else {
            Issue.record("float32 loss and fc.weight gradients expected")
            return
        }
        let value = try #require(summary["loss"] as? Double)
        #expect(abs(value - Double(loss[0])) <= 2e-6 * Double(loss[0]), "\(value) vs \(loss[0])")
        expectClose(actual, reference, relativeTolerance: 2e-4, "fc.weight")
    }

    @Test("bad loss and module options: one line naming what and where, exit 2, nothing written", arguments: [
        ("several modules", ["two_modules.pt", "x.npy"], "holds 2 recurrent modules, 'encoder.rnn', 'decoder.gru'; choose one with --module"),
        ("unknown module", ["rnn_fc.pt", "x.npy", "--module", "encoder"], "--module 'encoder' is not a recurrent module of this file"),
        ("missing readout", ["rnn_fc.pt", "x.npy", "--readout", "classifier", "--targets", "y_last.npy", "--loss", "cross-entropy"],
         "--readout classifier: no tensor classifier.weight"),
        ("readout alone", ["rnn_fc.pt", "x.npy", "--readout", "fc"], "--readout define the loss together with the other options; missing --targets"),
        ("targets shape", ["rnn_fc.pt", "x.npy", "--readout", "fc", "--targets", "y_all.npy", "--loss", "cross-entropy"],
         "y_all.npy: targets have shape [7, 3], expected [3] (N class indices)"),
        ("grad-output with loss", ["rnn_fc.pt", "x.npy", "--readout", "fc", "--targets", "y_last.npy", "--loss", "mse",
                                   "--grad-output", "y_mse.npy"], "gives ∂L/∂output itself, and --readout, --targets, --loss define a loss"),
        ("index out of range", ["gru_head.pth", "x.npy", "--readout", "head", "--targets", "y_last.npy", "--loss", "cross-entropy"],
         "y_last.npy: class index 2 at position [0] is outside 0..<2"),
        ("key for safetensors", ["rnn_fc.safetensors", "x.npy", "--key", "model_state_dict"], "is a safetensors file, which holds one state_dict"),
    ])
    func badLossOptions(label: String, arguments: [String], message: String) throws {
        let directory = try makeTemporaryDirectory("bad-loss")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let resolved = arguments.map { $0.hasSuffix(".npy") || $0.contains(".p") || $0.hasSuffix(".safetensors")
            ? fixtureURL("model/\($0)").path : $0 }
        let result = try runVanish(["analyze"] + resolved + ["--out", out.path])
        #expect(result.status == 2, "\(label): \(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(label): \(result.standardError)")
        #expect(result.standardError.hasPrefix("vanish: error: "), "\(label)")
        #expect(result.standardError.contains(message), "\(label): \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(label)")
    }
}
