import AtomicIO
import Foundation

/// A PyTorch checkpoint as `torch.save` has written it since PyTorch 1.6 (`.pt`, `.pth`, `.bin`):
/// a zip archive holding a pickle (`data.pkl`) and one entry per tensor storage (`data/0`, …).
///
/// Reading runs nothing in the file: the pickle goes through `Unpickler`, which knows the
/// handful of globals a state_dict is made of — as `torch.load(weights_only=True)` does — and
/// refuses every other one by name, a pickled `nn.Module` included. What is read is the
/// state_dict: the pickle's top-level dict when its values are all tensors, else the dict under
/// `key`, `model_state_dict`, `state_dict` or `model` (a training checkpoint; the rest of it,
/// the optimizer's tensors included, is parsed but not read). Tensors of float32, float64, int32
/// and int64 keep their dtype; float16 and bfloat16 ones are read as float32, which is exact.
///
/// Any input either decodes or throws a one-line `FileFormatError` naming the file and, where
/// there is one, the tensor; none traps. Entries must be stored uncompressed, as torch.save
/// writes them (see `ZipDirectoryCheck`); the legacy format before 1.6 and big-endian archives
/// are refused with what to do instead.
public struct TorchCheckpoint: Equatable, Sendable {
    /// A top-level entry of a training checkpoint other than its state_dict, e.g. `epoch: 3`.
    public struct OtherEntry: Equatable, Sendable {
        /// The key as written: a string as it is, another key as Python would show it.
        public let key: String
        /// The value in a few words, such as `3`, `0.5` or `a dict of 2 entries`.
        public let summary: String
    }

    /// The key the state_dict was found under, or nil when the pickle's top level is the state_dict.
    public let stateDictKey: String?
    /// The state_dict's tensor names in the file's order.
    public let names: [String]
    public let tensors: [String: TypedArray]
    /// The tensors stored as float16 or bfloat16 and read as float32, with the stored dtype
    /// (`"float16"` or `"bfloat16"`).
    public let upcast: [String: String]
    /// The checkpoint's other top-level entries, in order, for messages.
    public let otherEntries: [OtherEntry]

    /// The largest `data.pkl` read; a state_dict's pickle takes about 90 bytes a tensor.
    static let maximumPickleLength = 64 << 20

    /// The tensors of an archive of `archiveLength` bytes may take at most this many bytes in
    /// memory: eight times the archive, plus 64 MiB. A view with stride 0 can otherwise make
    /// a few stored bytes into any number of elements.
    static func tensorBudget(archiveLength: Int) -> Int {
        min(archiveLength, Int.max / 16) * 8 + 64 << 20
    }

    /// Reads and decodes the checkpoint at `url`.
    /// - Parameter key: the top-level key of the state_dict, when the caller knows it.
    /// - Throws: `FileFormatError` for a missing or unreadable file (with the system's reason)
    ///   or one that cannot be read as a checkpoint.
    public static func read(_ url: URL, key: String? = nil) throws(FileFormatError) -> TorchCheckpoint {
        try decode(WholeFile.read(url), path: url.path, key: key)
    }

    /// Decodes a whole checkpoint file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path, used only in errors.
    ///   - key: the top-level key of the state_dict, when the caller knows it.
    /// - Throws: `FileFormatError` saying what is wrong, naming the global, entry or tensor.
    public static func decode(_ data: Data, path: String, key: String? = nil) throws(FileFormatError) -> TorchCheckpoint {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        // A pickle's first opcode is PROTO (0x80); a zip starts with "PK".
        if data.first == 0x80 {
            throw failure("is in PyTorch's legacy format (a bare pickle, as torch.save wrote before 1.6), which is not read; save it again with torch.save(..., _use_new_zipfile_serialization=True)")
        }
        let archive = try TorchArchive(data: data, path: path)
        if let order = try archive.read("byteorder", limit: 16) {
            switch String(decoding: order, as: UTF8.self) {
            case "little": break
            case "big": throw failure("was saved on a big-endian machine (byteorder 'big'), and only little-endian archives are read; load and save it again with torch on a little-endian one")
            case let other: throw failure("byteorder entry holds \(PickleValue.quoted(other)); expected 'little'")
            }
        }
        // TorchArchive checked that data.pkl exists.
        let pickle = try archive.read("data.pkl", limit: maximumPickleLength) ?? []
        let unpickler = Unpickler(bytes: pickle)
        let top: PickleValue
        do {
            top = try unpickler.load()
        } catch {
            let location = error.offset.map { "malformed pickle \(PickleValue.quoted(archive.fullName("data.pkl"))) at byte \($0): " } ?? ""
            throw failure(location + error.message)
        }
        let found = try StateDict(in: top, key: key, path: path)

        var reader = TensorReader(archive: archive, path: path, stateDictKey: found.key, archiveLength: data.count)
        // Every layout is checked, and the memory they take counted, before any tensor is read.
        var layouts: [TensorReference.Layout] = []
        for (name, tensor) in found.tensors {
            layouts.append(try reader.reserve(tensor, name: name))
        }
        var tensors: [String: TypedArray] = [:]
        var upcast: [String: String] = [:]
        for ((name, tensor), layout) in zip(found.tensors, layouts) {
            tensors[name] = try reader.read(tensor, layout: layout, name: name)
            if tensor.dtype == .float16 || tensor.dtype == .bfloat16 {
                upcast[name] = tensor.dtype.rawValue
            }
        }
        return TorchCheckpoint(stateDictKey: found.key, names: found.tensors.map(\.name), tensors: tensors,
                               upcast: upcast, otherEntries: found.others)
    }
}

/// Reads a state_dict's tensors out of the archive: each storage entry once, all of them within
/// the checkpoint's tensor budget.
private struct TensorReader {
    let archive: TorchArchive
    let path: String
    let stateDictKey: String?
    /// The archive's size, which no storage entry can exceed.
    let archiveLength: Int
    /// The bytes the tensors still to be read may take.
    private var budget: Int
    private var storages: [String: [UInt8]] = [:]

    init(archive: TorchArchive, path: String, stateDictKey: String?, archiveLength: Int) {
        (self.archive, self.path, self.stateDictKey, self.archiveLength) = (archive, path, stateDictKey, archiveLength)
        budget = TorchCheckpoint.tensorBudget(archiveLength: archiveLength)
    }

    /// Checks the tensor's layout and takes the memory it needs out of the budget.
    mutating func reserve(_ tensor: TensorReference, name: String) throws(FileFormatError) -> TensorReference.Layout {
        let layout: TensorReference.Layout
        do { layout = try tensor.checkedLayout() } catch { throw failure(name, error.message) }
        let byteCount = layout.count * layout.dtype.byteSize  // checkedLayout checked that it fits
        guard byteCount <= budget else {
            throw failure(name, "size \(NpyHeader.pythonTuple(tensor.size)) would take \(byteCount) bytes, more than the \(budget) left of the allowance for the archive's tensors (8 × its size + 64 MiB)")
        }
        budget -= byteCount
        return layout
    }

    /// The tensor's elements, from its storage entry (read once for all the tensors that share it).
    mutating func read(_ tensor: TensorReference, layout: TensorReference.Layout, name: String) throws(FileFormatError) -> TypedArray {
        let entry = "data/" + tensor.storage.key
        if storages[entry] == nil {
            storages[entry] = try archive.read(entry, limit: archiveLength)
        }
        guard let bytes = storages[entry] else {
            throw failure(name, "its storage entry \(PickleValue.quoted(archive.fullName(entry))) is missing from the archive")
        }
        do {
            return try tensor.read(from: bytes, layout: layout, entryName: archive.fullName(entry))
        } catch {
            throw failure(name, error.message)
        }
    }

    private func failure(_ name: String, _ problem: String) -> FileFormatError {
        let place = stateDictKey.map { " in \(PickleValue.quoted($0))" } ?? ""
        return FileFormatError(path: path, problem: "tensor \(PickleValue.quoted(name))\(place): \(problem)")
    }
}
