import AtomicIO
import Foundation
import TensorIO
import TestSupport
import Testing

/// `WeightsFile`: either file a PyTorch user saves weights to, told apart by its bytes.
@Suite("Weights files")
struct WeightsFileTests {
    @Test("a torch.save archive under any name is read as one, a training checkpoint with its key and upcast tensors")
    func torchArchives() throws {
        let checkpoint = try WeightsFile.read(fixtureURL("model/lstm_checkpoint.pt"))
        #expect(checkpoint.format == .torch && checkpoint.stateDictKey == "model_state_dict")
        #expect(checkpoint.names.first == "lstm.weight_ih_l0" && checkpoint.names.last == "embedding.weight")
        #expect(Set(checkpoint.names) == Set(checkpoint.tensors.keys))
        let half = try WeightsFile.read(fixtureURL("model/rnn_float16.pt"))
        #expect(half.upcast["fc.weight"] == "float16" && half.tensors["fc.weight"]?.dtype == .float32)
        // The same archive named .safetensors is still an archive.
        let directory = try makeTemporaryDirectory("weights")
        defer { try? FileManager.default.removeItem(at: directory) }
        let renamed = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.copyItem(at: fixtureURL("model/rnn_fc.pt"), to: renamed)
        #expect(try WeightsFile.read(renamed).tensors == WeightsFile.read(fixtureURL("model/rnn_fc.pt")).tensors)
    }

    @Test("a safetensors file whose header length starts with 0x80 (a pickle's first byte) is read as safetensors")
    func safetensorsStartingLikeAPickle() throws {
        let url = fixtureURL("analyze/model.safetensors")
        #expect(try Data(contentsOf: url).first == 0x80)
        let weights = try WeightsFile.read(url)
        #expect(weights.format == .safetensors && weights.stateDictKey == nil && weights.upcast.isEmpty)
        #expect(weights.names == weights.names.sorted() && weights.names.count == 16)
        #expect(weights.tensors == (try Safetensors.read(url)).tensors)
    }

    @Test("the legacy format is refused with what to do; a key for a safetensors file is refused")
    func refusals() throws {
        let legacy = fixtureURL("torch/bad/legacy.pt")
        expectFileFormatError(path: legacy.path, mentioning: "legacy format", "_use_new_zipfile_serialization=True") {
            try WeightsFile.read(legacy)
        }
        let safetensors = fixtureURL("model/rnn_fc.safetensors")
        expectFileFormatError(path: safetensors.path, mentioning: "is a safetensors file", "'model_state_dict'") {
            try WeightsFile.read(safetensors, key: "model_state_dict")
        }
    }
}
