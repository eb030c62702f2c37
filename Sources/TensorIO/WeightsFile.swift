import AtomicIO
import Foundation

/// A model's weights in either file a PyTorch user saves them to: a `.safetensors` file
/// (`safetensors.torch.save_file(model.state_dict(), path)`) or a `torch.save` archive (`.pt`,
/// `.pth`, `.bin`, a training checkpoint included). The format is told from the bytes, not
/// the name, so a checkpoint saved under any name is read as what it is.
public struct WeightsFile: Equatable, Sendable {
    public enum Format: String, Sendable {
        case safetensors
        /// A zip archive written by `torch.save`, read by `TorchCheckpoint`.
        case torch
    }

    public let format: Format
    /// The tensor names: in the file's order for `torch.save`, by name for safetensors (whose
    /// header is a JSON object, without an order of record).
    public let names: [String]
    public let tensors: [String: TypedArray]
    /// Tensors stored as float16 or bfloat16 and read as float32, with the stored dtype.
    public let upcast: [String: String]
    /// The key of a training checkpoint the state_dict was found under; nil for a bare state_dict.
    public let stateDictKey: String?

    /// Reads the weights at `url`.
    /// - Parameter key: the top-level key of a checkpoint's state_dict, when the caller names it;
    ///   a safetensors file has none.
    /// - Throws: `FileFormatError` naming the file: unreadable, malformed, or a key given for a
    ///   safetensors file.
    public static func read(_ url: URL, key: String? = nil) throws(FileFormatError) -> WeightsFile {
        let data = try WholeFile.read(url)
        // A zip archive starts with a local file header, "PK\u{3}\u{4}"; torch.save's legacy
        // format (which TorchCheckpoint refuses with what to do) with a pickle of its magic
        // number, PROTO 2 and LONG1 0x1950a86a20f9469cfc6c. Read as a safetensors header's
        // length, the first is at least 67 MB (a header of about a million tensors), the second
        // beyond the 100 MB any reader accepts.
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC]) {
            let checkpoint = try TorchCheckpoint.decode(data, path: url.path, key: key)
            return WeightsFile(format: .torch, names: checkpoint.names, tensors: checkpoint.tensors,
                               upcast: checkpoint.upcast, stateDictKey: checkpoint.stateDictKey)
        }
        if let key {
            throw FileFormatError(path: url.path, problem: "is a safetensors file, which holds one state_dict and no keys; "
                                  + "a key (\(PickleValue.quoted(key))) names the state_dict inside a torch.save checkpoint")
        }
        let file = try Safetensors.decode(data, path: url.path)
        return WeightsFile(format: .safetensors, names: file.tensors.keys.sorted(), tensors: file.tensors, upcast: [:],
                           stateDictKey: nil)
    }
}
