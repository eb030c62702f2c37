/// A Python object as `Unpickler` rebuilds it from a torch.save pickle: plain data, containers,
/// and stand-ins for the few torch objects a state_dict is made of. Nothing here can run code.
///
/// Lists and dicts are classes because a pickle shares them through its memo and fills them
/// after storing them there. To keep every value a finite tree of bounded height, a container is
/// sealed once it is placed inside another one, and a sealed container cannot change: a pickle
/// that tries (which is what a cycle takes) is refused, and so a height computed on insertion
/// stays true.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// An allowed class, function or dtype, named by a GLOBAL or STACK_GLOBAL opcode.
    case global(PickleGlobal)
    /// A storage named by torch's persistent id, not yet read from the archive.
    case storage(StorageReference)
    /// A tensor rebuilt by `torch._utils._rebuild_tensor_v2` (or v3), not yet read.
    case tensor(TensorReference)

    /// The number of container levels: 0 for a scalar, 1 for a container of scalars.
    var height: Int {
        switch self {
        case .tuple(let tuple): tuple.height
        case .list(let list): list.height
        case .dict(let dict): dict.height
        default: 0
        }
    }

    /// Marks a list or dict as placed inside another container, after which it cannot change.
    func seal() {
        switch self {
        case .list(let list): list.isSealed = true
        case .dict(let dict): dict.isSealed = true
        default: break
        }
    }

    /// What kind of value this is, with an article, for messages: "a dict", "a tensor".
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int: "an int"
        case .float: "a float"
        case .string: "a str"
        case .bytes: "bytes"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        case .global(let global): "'\(global.name)'"
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }

    /// A short description for messages: scalars as Python writes them, strings quoted and cut to
    /// about 100 characters, containers and tensors by their kind and size.
    var summary: String {
        switch self {
        case .none: "None"
        case .bool(let value): value ? "True" : "False"
        case .int(let value): String(value)
        case .float(let value): String(value)
        case .string(let text): PickleValue.quoted(text)
        case .bytes(let bytes): "bytes of length \(bytes.count)"
        case .tuple(let tuple): "a tuple of \(tuple.items.count) items"
        case .list(let list): "a list of \(list.items.count) items"
        case .dict(let dict): "a dict of \(dict.entries.count) entries"
        case .global(let global): global.name
        case .storage(let storage): "a storage of \(storage.count) \(storage.dtype.rawValue) elements"
        case .tensor(let tensor): "a \(tensor.dtype.rawValue) tensor of size \(NpyHeader.pythonTuple(tensor.size))"
        }
    }

    /// `text` as a Python string literal cut to about 100 characters, so a hostile name cannot make a huge message.
    static func quoted(_ text: String) -> String {
        let quoted = PythonLiteral.quoted(String(text.prefix(100)))
        return text.count > 100 ? quoted + "…" : quoted
    }
}

/// An immutable tuple and its height, computed once.
struct PickleTuple {
    let items: [PickleValue]
    let height: Int

    /// The tuple of `items`, which are sealed by it.
    init(_ items: [PickleValue]) {
        items.forEach { $0.seal() }
        self.items = items
        height = 1 + (items.map(\.height).max() ?? 0)
    }
}

/// A Python list; see `PickleValue` for why it is a class and when it is sealed.
final class PickleList {
    private(set) var items: [PickleValue] = []
    private(set) var height = 1
    fileprivate(set) var isSealed = false

    /// Appends `item`, sealing it.
    /// - Returns: false when this list is sealed, and so cannot change.
    func append(_ item: PickleValue) -> Bool {
        item.seal()
        guard !isSealed else { return false }
        items.append(item)
        height = max(height, item.height + 1)
        return true
    }
}

/// A Python dict (or OrderedDict): entries in insertion order, a later value for an equal key
/// replacing the earlier one in place, as in Python.
final class PickleDict {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var positions: [PickleKey: Int] = [:]
    private(set) var height = 1
    fileprivate(set) var isSealed = false

    enum SetResult {
        case stored
        /// This dict is sealed, and so cannot change.
        case sealed
        /// The key is of a kind Python cannot hash (a list, a dict) or this reader does not (a tensor).
        case unhashable
    }

    /// Sets `value` for `key`, sealing both.
    func set(_ value: PickleValue, for key: PickleValue) -> SetResult {
        key.seal()
        value.seal()
        guard !isSealed else { return .sealed }
        guard let hashable = PickleKey(key) else { return .unhashable }
        if let position = positions[hashable] {
            entries[position].value = value
        } else {
            positions[hashable] = entries.count
            entries.append((key, value))
        }
        height = max(height, key.height + 1, value.height + 1)
        return .stored
    }

    /// The value for the string key `key`, if any.
    subscript(key: String) -> PickleValue? {
        positions[.string(key)].map { entries[$0].value }
    }
}

/// A dict key as Python compares keys: `True == 1 == 1.0`, tuples by their items.
private enum PickleKey: Hashable {
    case none
    case int(Int)
    case float(UInt64)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleKey])
    case global(String)

    init?(_ value: PickleValue) {
        switch value {
        case .none: self = .none
        case .bool(let flag): self = .int(flag ? 1 : 0)
        case .int(let number): self = .int(number)
        case .float(let number):
            if let integer = Int(exactly: number) { self = .int(integer) } else { self = .float(number.bitPattern) }
        case .string(let text): self = .string(text)
        case .bytes(let bytes): self = .bytes(bytes)
        case .tuple(let tuple):
            var keys: [PickleKey] = []
            for item in tuple.items {
                guard let key = PickleKey(item) else { return nil }
                keys.append(key)
            }
            self = .tuple(keys)
        case .global(let global): self = .global(global.name)
        case .list, .dict, .storage, .tensor: return nil
        }
    }
}
