import Foundation
import Plot
import Recurrence
import TensorIO
import TestSupport
import Testing

/// Every kernel path gives the same bits (issue 15), seen from the outside: the CLI under
/// VANISH_KERNELS=<each path this CPU supports> writes the same files, but for the line that
/// names the path (and a run's wall time and the checksum over both).
@Suite("VANISH_KERNELS: identical outputs on every kernel path")
struct KernelPathCommandTests {
    @Test("an unknown or unsupported path: one line, exit 2, nothing run")
    func invalidRequest() throws {
        let result = try runVanish(["--version"], environment: ["VANISH_KERNELS": "avx1024"])
        #expect(result.status == 2 && result.standardOutput.isEmpty)
        #expect(result.standardError == "vanish: error: VANISH_KERNELS=avx1024: not a kernel path (avx512, avx2 or baseline)\n")
        let missing = ["avx512", "avx2"].filter { !KernelPath.supported.contains($0) }
        for path in missing {  // only on a CPU that lacks one
            let refused = try runVanish(["--version"], environment: ["VANISH_KERNELS": path])
            #expect(refused.status == 2 && refused.standardError.hasPrefix("vanish: error: VANISH_KERNELS=\(path): this CPU has no "))
        }
        #expect(KernelPathError.unsupported("avx512", supported: ["avx2", "baseline"]).description
                == "VANISH_KERNELS=avx512: this CPU has no AVX-512 (it supports: avx2, baseline)")
        let directory = try makeTemporaryDirectory("kernels-refused")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("result")
        let analyze = try runVanish(["analyze", fixtureURL("analyze/model.safetensors").path, fixtureURL("analyze/input.npy").path,
                                     "--out", out.path], environment: ["VANISH_KERNELS": "AVX2"])
        #expect(analyze.status == 2 && !FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--version names the forced path")
    func versionNamesPath() throws {
        for path in KernelPath.supported {
            let result = try runVanish(["--version"], environment: ["VANISH_KERNELS": path])
            #expect(result.status == 0 && result.standardOutput.contains("\nkernels \(path)\n"), "\(result.standardOutput)")
        }
    }

    /// One `vanish analyze` case: a model and input, and the options it needs.
    private struct Case: Sendable {
        let name: String
        let arguments: [String]
        /// Writes model.safetensors and input.npy into `directory`.
        let write: @Sendable (URL) throws -> Void
    }

    /// A PyTorch parity fixture's weights and input as analyze reads them.
    private static func fixture(_ path: String, _ arguments: [String] = []) -> Case {
        Case(name: path, arguments: arguments) { directory in
            let file = try Safetensors.read(fixtureURL("\(path).safetensors"))
            let weights = file.tensors.filter { $0.key.hasPrefix("weight_") || $0.key.hasPrefix("bias_") }
            try Safetensors(tensors: weights).write(to: directory.appendingPathComponent("model.safetensors"))
            try Npy.write(file.tensors["input"]!, to: directory.appendingPathComponent("input.npy"))
        }
    }

    /// An nn.LSTM with H = 300 > KC: its recurrent products take two blocks of k, full tiles
    /// on every path and edge tiles on each.
    private static let wideLSTM = Case(name: "wide LSTM", arguments: []) { directory in
        var state: UInt64 = 15
        func random(_ shape: [Int], scale: Float) -> TypedArray {
            let values = (0..<shape.reduce(1, *)).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
            }
            return TypedArray(shape: shape, storage: .float32(values))
        }
        let (hidden, input) = (300, 20)
        let weights = ["weight_ih_l0": random([4 * hidden, input], scale: 0.3), "weight_hh_l0": random([4 * hidden, hidden], scale: 0.06),
                       "bias_ih_l0": random([4 * hidden], scale: 0.1), "bias_hh_l0": random([4 * hidden], scale: 0.1)]
        try Safetensors(tensors: weights).write(to: directory.appendingPathComponent("model.safetensors"))
        try Npy.write(random([40, 3, input], scale: 1), to: directory.appendingPathComponent("input.npy"))
    }

    private static let cases: [Case] = [
        Case(name: "analyze fixture (2 layers, bidirectional, tanh)", arguments: ["--plot"]) { directory in
            for file in ["model.safetensors", "input.npy"] {
                try FileManager.default.copyItem(at: fixtureURL("analyze/\(file)"), to: directory.appendingPathComponent(file))
            }
        },
        fixture("rnn/f32_l2_bi_relu_long", ["--nonlinearity", "relu"]),
        fixture("rnn/f64_l1_uni_tanh_long"),
        fixture("lstm/f32_l2_bi_proj3_bias_batch_first_noh0", ["--batch-first", "--plot"]),
        fixture("lstm/f64_l1_uni_noproj_long"),
        fixture("gru/f32_l2_bi_wide_batch"),
        fixture("gru/f64_l1_uni_long"),
        wideLSTM,
    ]

    @Test("vanish analyze: outputs, gradients, norms and figure identical on every path",
          arguments: cases.indices)
    func analyze(_ index: Int) throws {
        let testCase = Self.cases[index]
        let directory = try makeTemporaryDirectory("kernels-analyze")
        defer { try? FileManager.default.removeItem(at: directory) }
        try testCase.write(directory)
        let model = directory.appendingPathComponent("model.safetensors").path
        let input = directory.appendingPathComponent("input.npy").path
        let outputs = try KernelPath.supported.map { path in
            let out = directory.appendingPathComponent(path)
            let result = try runVanish(["analyze", model, input, "--out", out.path] + testCase.arguments,
                                       environment: ["VANISH_KERNELS": path])
            #expect(result.status == 0, "\(testCase.name) \(path): \(result.standardError)")
            return out
        }
        try expectSameFiles(outputs, testCase.name)
    }

    /// Three runs of a tiny sweep, nn.RNN tanh and relu and an LSTM, trained and probed.
    static let sweepConfig = """
        name: paths
        seeds: 1
        model: {hidden_size: 20}
        task: {name: adding, sequence_length: 30}
        training: {iterations: 40, eval_interval: 20, eval_size: 32}
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
          lstm: {cell: lstm}
        """

    @Test("vanish sweep: every run file identical on every path")
    func sweep() throws {
        let directory = try makeTemporaryDirectory("kernels-sweep")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("paths.yaml")
        try Data(Self.sweepConfig.utf8).write(to: config)
        let stores = try KernelPath.supported.map { path in
            let store = directory.appendingPathComponent(path)
            let result = try runVanish(["sweep", config.path, "--store", store.path], environment: ["VANISH_KERNELS": path])
            #expect(result.status == 0, "\(path): \(result.standardError)")
            return store
        }
        try expectSameFiles(stores, "sweep")
    }

    /// Every file under the first directory exists under the others with the same contents:
    /// PNGs by their pixels (their text names the path), summary.json but for its kernel_path
    /// and wall_seconds lines, the checksum over summary.json not at all.
    private func expectSameFiles(_ directories: [URL], _ label: String) throws {
        let files = try #require(FileManager.default.subpaths(atPath: directories[0].path)).filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directories[0].appendingPathComponent(path).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !path.hasSuffix(".fnv1a64")
        }.sorted()
        #expect(files.count >= 5, "\(label): \(files)")
        for directory in directories.dropFirst() {
            for file in files {
                let (first, other) = (directories[0].appendingPathComponent(file), directory.appendingPathComponent(file))
                let same: Bool
                if file.hasSuffix(".png") {
                    let (a, b) = (try DecodedPNG.read(first), try DecodedPNG.read(other))
                    same = a.width == b.width && a.height == b.height && a.rgba == b.rgba
                } else if file.hasSuffix("summary.json") {
                    same = try masked(first) == masked(other)
                } else {
                    same = try Data(contentsOf: first) == Data(contentsOf: other)
                }
                #expect(same, "\(label): \(file) differs between \(directories[0].lastPathComponent) and \(directory.lastPathComponent)")
            }
        }
    }

    private func masked(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.contains("\"kernel_path\"") && !$0.contains("\"wall_seconds\"") }
    }
}
