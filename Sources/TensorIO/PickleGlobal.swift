/// The classes, functions and dtypes a torch.save pickle may name, the same that PyTorch's
/// `torch.load(weights_only=True)` allows for state_dicts (`torch/_weights_only_unpickler.py`).
///
/// None of them is ever called: `Unpickler` builds an inert stand-in for each. Every other global
/// — `os.system`, `builtins.eval`, a pickled `nn.Module` class — is refused by name.
struct PickleGlobal: Equatable {
    enum Kind: Equatable {
        /// `collections.OrderedDict`, which a state_dict is.
        case orderedDict
        /// `torch._utils._rebuild_tensor_v2`: a tensor from a storage, offset, size and stride.
        case rebuildTensorV2
        /// `torch._utils._rebuild_tensor_v3`: the same with the dtype given apart from an untyped
        /// storage, as torch writes tensors of its newer dtypes (uint16, …).
        case rebuildTensorV3
        /// `torch._utils._rebuild_parameter`: an nn.Parameter around a tensor.
        case rebuildParameter
        /// `torch._utils._rebuild_parameter_with_state`: the same with Python attributes, ignored here.
        case rebuildParameterWithState
        /// A storage class such as `torch.FloatStorage`, naming its element type.
        case storageType(TorchDType)
        /// A dtype object such as `torch.float32`.
        case dtype(TorchDType)
    }

    let kind: Kind
    /// `module.name` as the pickle wrote it, e.g. `torch.FloatStorage`.
    let name: String

    /// The allowed global `module.name`, or nil when it is not allowed.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): kind = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): kind = .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor_v3"): kind = .rebuildTensorV3
        case ("torch._utils", "_rebuild_parameter"): kind = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): kind = .rebuildParameterWithState
        case ("torch", "UntypedStorage"), ("torch.storage", "UntypedStorage"): kind = .storageType(.uint8)
        case ("torch", _):
            if let dtype = Self.storageTypes[name] {
                kind = .storageType(dtype)
            } else if let dtype = TorchDType(rawValue: name) {
                kind = .dtype(dtype)
            } else {
                return nil
            }
        default: return nil
        }
        self.name = module + "." + name
    }

    /// torch's legacy storage classes, which its pickles still name for a tensor's storage.
    static let storageTypes: [String: TorchDType] = [
        "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16,
        "BFloat16Storage": .bfloat16, "LongStorage": .int64, "IntStorage": .int32,
        "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
        "ComplexFloatStorage": .complex64, "ComplexDoubleStorage": .complex128,
        "QInt8Storage": .qint8, "QUInt8Storage": .quint8, "QInt32Storage": .qint32,
        "QUInt4x2Storage": .quint4x2, "QUInt2x4Storage": .quint2x4,
    ]

    /// Why a global that is not allowed is refused, and what to do instead, for the error message.
    static func refusal(module: String, name: String) -> String {
        let full = PickleValue.quoted(module + "." + name)
        // A pickled nn.Module names its class first: torch's own or the user's script's.
        let isModel = module.hasPrefix("torch.nn.modules") || module == "__main__"
        let what = isModel ? "a whole pickled model" : "only tensors, storages and containers are read; nothing in the file is run"
        return "refuses to load global \(full) (\(what)); save model.state_dict() instead"
    }
}

/// The element types of torch tensors, by torch's names; the first six are read.
enum TorchDType: String {
    case float32, float64, float16, bfloat16, int32, int64
    case int8, int16, uint8, uint16, uint32, uint64, bool
    case complex32, complex64, complex128
    case qint8, quint8, qint32, quint4x2, quint2x4
    case float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz

    var byteSize: Int {
        switch self {
        case .int8, .uint8, .bool, .qint8, .quint8, .quint4x2, .quint2x4,
             .float8_e4m3fn, .float8_e5m2, .float8_e4m3fnuz, .float8_e5m2fnuz: 1
        case .float16, .bfloat16, .int16, .uint16: 2
        case .float32, .int32, .uint32, .qint32, .complex32: 4
        case .float64, .int64, .uint64, .complex64: 8
        case .complex128: 16
        }
    }

    /// The dtype a tensor of this type is read as, or nil when it is not read. float16 and
    /// bfloat16 become float32, which holds each of their values exactly.
    var readAs: DType? {
        switch self {
        case .float32, .float16, .bfloat16: .float32
        case .float64: .float64
        case .int32: .int32
        case .int64: .int64
        default: nil
        }
    }
}
