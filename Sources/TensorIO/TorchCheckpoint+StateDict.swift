import AtomicIO

/// Where a checkpoint's state_dict is in its pickle: the top-level dict when its values are all
/// tensors (`torch.save(model.state_dict())`), else the dict under the caller's key or the first
/// of `model_state_dict`, `state_dict` and `model` (a training checkpoint, whose other entries
/// are described for messages). Nested modules' tensors are in it under dotted names already.
struct StateDict {
    /// The keys looked under, in order, when the caller names none.
    static let conventionalKeys = ["model_state_dict", "state_dict", "model"]

    /// The key the state_dict is under, or nil for the top level.
    let key: String?
    let tensors: [(name: String, tensor: TensorReference)]
    let others: [TorchCheckpoint.OtherEntry]

    /// Finds the state_dict in the pickle's value `top`.
    /// - Throws: `FileFormatError` when `top` is not a dict, has no state_dict (listing its keys),
    ///   or the state_dict has a key that is not a string or a value that is not a tensor.
    init(in top: PickleValue, key requested: String?, path: String) throws(FileFormatError) {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        guard case .dict(let checkpoint) = top else {
            throw failure("holds \(top.summary), not a dict; expected a state_dict or a checkpoint dict holding one")
        }
        let key: String
        if let requested {
            guard checkpoint[requested] != nil else {
                throw failure("has no key \(PickleValue.quoted(requested)); its keys are \(Self.keyList(checkpoint))")
            }
            key = requested
        } else if let all = Self.tensors(of: checkpoint) {
            (self.key, tensors, others) = (nil, all, [])
            return
        } else if let conventional = Self.conventionalKeys.first(where: { checkpoint[$0] != nil }) {
            key = conventional
        } else {
            throw failure("holds no state_dict: expected a dict of tensors, or one under 'model_state_dict', 'state_dict' or 'model'; its keys are \(Self.keyList(checkpoint))")
        }

        let value = checkpoint[key] ?? .none
        guard case .dict(let stateDict) = value else {
            throw failure("\(PickleValue.quoted(key)) holds \(value.summary), not a state_dict")
        }
        var tensors: [(name: String, tensor: TensorReference)] = []
        for (name, value) in stateDict.entries {
            guard case .string(let text) = name else {
                throw failure("state_dict \(PickleValue.quoted(key)) has a key \(name.summary) that is not a string")
            }
            guard case .tensor(let tensor) = value else {
                throw failure("entry \(PickleValue.quoted(text)) of state_dict \(PickleValue.quoted(key)) holds \(value.summary), not a tensor")
            }
            tensors.append((text, tensor))
        }
        self.key = key
        self.tensors = tensors
        others = checkpoint.entries.compactMap { entry in
            switch entry.key {
            case .string(key): nil
            case .string(let text): TorchCheckpoint.OtherEntry(key: text, summary: entry.value.summary)
            default: TorchCheckpoint.OtherEntry(key: entry.key.summary, summary: entry.value.summary)
            }
        }
    }

    /// The dict's entries when every key is a string and every value a tensor.
    private static func tensors(of dict: PickleDict) -> [(name: String, tensor: TensorReference)]? {
        var tensors: [(name: String, tensor: TensorReference)] = []
        for (key, value) in dict.entries {
            guard case .string(let name) = key, case .tensor(let tensor) = value else { return nil }
            tensors.append((name, tensor))
        }
        return tensors
    }

    /// The first keys with their values in brief, e.g. `'epoch' (3), 'net' (a dict of 10 entries)`.
    private static func keyList(_ dict: PickleDict) -> String {
        guard !dict.entries.isEmpty else { return "none" }
        let shown = dict.entries.prefix(8).map { "\($0.key.summary) (\($0.value.summary))" }
        return shown.joined(separator: ", ") + (dict.entries.count > 8 ? ", …" : "")
    }
}
