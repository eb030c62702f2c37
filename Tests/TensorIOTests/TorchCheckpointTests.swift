import AtomicIO
import Foundation
@testable import TensorIO
import TestSupport
import Testing

/// torch.save checkpoints: the files PyTorch wrote in `Tests/Fixtures/torch/` against the
/// tensors beside them, and the hostile and broken files in `Tests/Fixtures/torch/bad/` (see
/// `Tests/Fixtures/make_fixtures.py`), each refused in one line.
@Suite("IOTests: TorchCheckpoint")
struct TorchCheckpointTests {
    // MARK: Checkpoints torch.save wrote

    static let goodCheckpoints = [
        "rnn_state_dict.pt", "net_state_dict.pth", "training_checkpoint.pt", "custom_key.pt",
        "rnn_float64.pt", "rnn_float16.pt", "rnn_bfloat16.pt", "lstm_state_dict.pt",
        "gru_state_dict.bin", "views.pt", "shared_storage.pt", "parameters.pt", "protocol4.pt",
        "no_crc32.pt",
    ]

    @Test("each checkpoint reads as the tensors PyTorch wrote beside it, bit for bit", arguments: goodCheckpoints)
    func goodCheckpoint(name: String) throws {
        let url = fixtureURL("torch/" + name)
        let expected = try Safetensors.read(url.deletingPathExtension().appendingPathExtension("safetensors"))
        let key = try Self.metadata(expected, "key").first
        let checkpoint = try TorchCheckpoint.read(url, key: name == "custom_key.pt" ? key : nil)

        #expect(checkpoint.names == (try Self.metadata(expected, "order")))
        #expect(Set(checkpoint.names) == Set(expected.tensors.keys))
        for (tensorName, array) in expected.tensors {
            let read = try #require(checkpoint.tensors[tensorName], "\(tensorName) missing")
            #expect(read.shape == array.shape, "\(tensorName)")
            #expect(read.dtype == array.dtype, "\(tensorName)")
            #expect(read.bitPatterns == array.bitPatterns, "\(tensorName)")
        }
        #expect(Set(checkpoint.upcast.keys) == Set(try Self.metadata(expected, "upcast")))
        #expect(checkpoint.stateDictKey == key)
        #expect(checkpoint.otherEntries.map(\.key) == (try Self.metadata(expected, "others")))
    }

    @Test("float16 and bfloat16 are upcast exactly and reported with their dtype")
    func upcastReport() throws {
        let half = try TorchCheckpoint.read(fixtureURL("torch/rnn_float16.pt"))
        #expect(half.upcast["specials"] == "float16")
        let specials = try #require(half.tensors["specials"])
        // 0, -0, 1, -2.5, max, smallest normal, a subnormal, ±inf, a quiet NaN, a negative
        // signalling NaN whose payload must survive.
        guard case .float32(let values) = specials.storage else { Issue.record("\(specials.dtype)"); return }
        #expect(values[0].bitPattern == 0 && values[1].bitPattern == 0x8000_0000)
        #expect(values[2] == 1 && values[3] == -2.5 && values[4] == 65504 && values[5] == 0x1p-14 && values[6] == 0x1p-16)
        #expect(values[7] == .infinity && values[8] == -.infinity)
        #expect(values[9].bitPattern == 0x7FC0_0000 && values[10].bitPattern == 0xFFA0_2000)
        let brain = try TorchCheckpoint.read(fixtureURL("torch/rnn_bfloat16.pt"))
        #expect(brain.upcast == Dictionary(uniqueKeysWithValues: brain.names.map { ($0, "bfloat16") }))
    }

    @Test("a training checkpoint's other entries are described for messages")
    func otherEntries() throws {
        let checkpoint = try TorchCheckpoint.read(fixtureURL("torch/training_checkpoint.pt"))
        #expect(checkpoint.stateDictKey == "model_state_dict")
        #expect(checkpoint.otherEntries == [
            .init(key: "epoch", summary: "3"),
            .init(key: "optimizer_state_dict", summary: "a dict of 2 entries"),
            .init(key: "loss", summary: "0.5"),
        ])
    }

    @Test("a dict holding its state_dict under a key of its own needs the key named")
    func customKey() throws {
        let url = fixtureURL("torch/custom_key.pt")
        expectFileFormatError(path: url.path, mentioning: "holds no state_dict", "'step' (7), 'weights' (a dict of 10 entries), 'note' ('best so far')") {
            try TorchCheckpoint.read(url)
        }
        expectFileFormatError(path: url.path, mentioning: "has no key 'model'; its keys are 'step' (7)") {
            try TorchCheckpoint.read(url, key: "model")
        }
        expectFileFormatError(path: url.path, mentioning: "'note' holds 'best so far', not a state_dict") {
            try TorchCheckpoint.read(url, key: "note")
        }
        #expect(try TorchCheckpoint.read(url, key: "weights").otherEntries.map(\.key) == ["step", "note"])
    }

    @Test("a missing file reports the system's reason")
    func missingFile() {
        let path = "/nonexistent-vanish-dir/model.pt"
        expectFileFormatError(path: path, mentioning: "cannot open", "No such file") {
            try TorchCheckpoint.read(URL(fileURLWithPath: path))
        }
    }

    // MARK: Files to refuse

    static let refusals: [(file: String, fragments: [String])] = [
        ("os_system.pt", ["refuses to load global 'os.system' (only tensors, storages and containers are read; nothing in the file is run); save model.state_dict() instead"]),
        ("builtins_eval.pt", ["refuses to load global 'builtins.eval'", "save model.state_dict() instead"]),
        ("builtin_exec.pt", ["refuses to load global '__builtin__.exec'", "save model.state_dict() instead"]),
        ("whole_rnn.pt", ["refuses to load global 'torch.nn.modules.rnn.RNN' (a whole pickled model); save model.state_dict() instead"]),
        ("whole_net.pt", ["refuses to load global '__main__.Net' (a whole pickled model); save model.state_dict() instead"]),
        ("legacy.pt", ["legacy format", "torch.save(..., _use_new_zipfile_serialization=True)"]),
        ("missing_storage.pt", ["tensor 'lost': its storage entry 'archive/data/1' is missing from the archive"]),
        ("short_storage.pt", ["tensor 'ok': storage 'archive/data/0' holds 40 bytes, but the pickle declares 12 float32 elements"]),
        ("view_beyond_storage.pt", ["tensor 'rnn.weight_hh_l0': offset 0, size (4, 4) and stride (4, 1) reach beyond the end of storage 'archive/data/0', which holds 12 float32 elements"]),
        ("offset_past_end.pt", ["tensor 'fc.bias': storage offset 100 is past the end of storage 'archive/data/0'"]),
        ("huge_shape.pt", ["tensor 'w': size (1099511627776, 1099511627776) is too large: its element count overflows"]),
        ("negative_stride.pt", ["tensor 'w': stride (-1,) has a negative step"]),
        ("stride_zero_bomb.pt", ["tensor 'w': size (1048576, 1048576) would take 4398046511104 bytes, more than", "allowance"]),
        ("unsupported_dtype.pt", ["tensor 'mask': dtype bool is not supported"]),
        ("deep_nesting.pt", ["malformed pickle 'archive/data.pkl' at byte", "containers nested more than 100 deep"]),
        ("memo_out_of_range.pt", ["malformed pickle 'archive/data.pkl' at byte 12: memo entry 7 is read but was never stored"]),
        ("string_past_end.pt", ["malformed pickle 'archive/data.pkl' at byte 2: needs 2147483647 more bytes, but the pickle ends after 3"]),
        ("deflate_bomb.pt", ["zip entry 'archive/data.pkl' is compressed (method 8)"]),
        ("big_endian.pt", ["saved on a big-endian machine"]),
        ("truncated.pt", ["not a zip archive: no end-of-central-directory record"]),
        ("huge_entry_size.pt", ["declares 4294967040 bytes, which run past the end of the"]),
    ]

    @Test("each hostile or broken file is refused in one line naming the file and the problem", arguments: refusals)
    func refusal(file: String, fragments: [String]) {
        let url = fixtureURL("torch/bad/" + file)
        let error = expectFileFormatError(path: url.path) { try TorchCheckpoint.read(url) }
        for fragment in fragments {
            #expect(error?.problem.contains(fragment) == true, "\(file): \(error?.problem ?? "no error")")
        }
    }

    @Test("nothing in a hostile pickle is run: the file its command would create never appears")
    func nothingExecuted() throws {
        let marker = "/tmp/vanish-torch-fixture-executed"
        try? FileManager.default.removeItem(atPath: marker)
        for file in ["os_system.pt", "builtins_eval.pt", "builtin_exec.pt"] {
            let url = fixtureURL("torch/bad/" + file)
            // The fixture does hold the command, so the check below means something.
            #expect(try Data(contentsOf: url).range(of: Data(marker.utf8)) != nil)
            expectFileFormatError(path: url.path, mentioning: "refuses to load global") { try TorchCheckpoint.read(url) }
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// A metadata entry of an expected file: a JSON list of strings, or a string or null (as a
    /// list of zero or one).
    static func metadata(_ file: Safetensors, _ key: String) throws -> [String] {
        let json = try JSONValue.parse(Array(try #require(file.metadata[key]).utf8))
        switch json {
        case .null: return []
        case .string(let text): return [text]
        case .array(let items):
            return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default:
            Issue.record("metadata \(key) is \(json.summary)")
            return []
        }
    }
}

extension TypedArray {
    /// The elements' bit patterns, so that -0 differs from 0 and NaN equals itself.
    var bitPatterns: [UInt64] {
        switch storage {
        case .float32(let values): values.map { UInt64($0.bitPattern) }
        case .float64(let values): values.map(\.bitPattern)
        case .int32(let values): values.map { UInt64(UInt32(bitPattern: $0)) }
        case .int64(let values): values.map { UInt64(bitPattern: $0) }
        }
    }
}
