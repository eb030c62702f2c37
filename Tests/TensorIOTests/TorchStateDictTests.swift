import AtomicIO
import Foundation
@testable import TensorIO
import TestSupport
import Testing

/// Tensors and state_dicts of torch checkpoints built by hand: views gathered by strides, each
/// dtype, the numbers a pickle can get wrong, and where the state_dict is found.
@Suite("IOTests: TorchCheckpoint tensors")
struct TorchStateDictTests {
    typealias P = PickleBytes

    /// Storage `0`: the float32 values 0, 1, …, 23.
    static let counting = ("0", floatBytes((0..<24).map(Float.init)))

    private func read(_ tensors: [(name: String, tensor: [UInt8])], storages: [(key: String, bytes: [UInt8])] = [counting]) throws -> TorchCheckpoint {
        try TorchCheckpoint.decode(Data(StoredZip.torch(pickle: P.stateDict(tensors), storages: storages).bytes), path: "v.pt")
    }

    private func floats(_ array: TypedArray?) -> [Float]? {
        guard case .float32(let values) = array?.storage else { return nil }
        return values
    }

    @Test("views: permuted strides with an offset, a size-1 dimension with any stride, stride 0")
    func views() throws {
        let checkpoint = try read([
            // A (2, 3, 2) view from offset 1 with strides (1, 8, 3): element [i][j][k] = 1 + i + 8j + 3k.
            ("permuted", P.tensor(key: "0", count: 24, offset: 1, size: [2, 3, 2], stride: [1, 8, 3])),
            // A size-1 dimension may have any stride, even one that overflows when added.
            ("odd_stride", P.tensor(key: "0", count: 24, offset: 5, size: [1, 3], stride: [Int.max, 2])),
            ("broadcast", P.tensor(key: "0", count: 24, offset: 23, size: [2, 2], stride: [0, 0])),
            ("scalar", P.tensor(key: "0", count: 24, offset: 7, size: [], stride: [])),
        ])
        #expect(checkpoint.names == ["permuted", "odd_stride", "broadcast", "scalar"])
        var expected: [Float] = []
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<2 { expected.append(Float(1 + i + 8 * j + 3 * k)) }
            }
        }
        #expect(floats(checkpoint.tensors["permuted"]) == expected)
        #expect(checkpoint.tensors["permuted"]?.shape == [2, 3, 2])
        #expect(floats(checkpoint.tensors["odd_stride"]) == [5, 7, 9])
        #expect(floats(checkpoint.tensors["broadcast"]) == [23, 23, 23, 23])
        #expect(checkpoint.tensors["scalar"] == TypedArray(shape: [], storage: .float32([7])))
    }

    @Test("empty tensors read nothing, wherever their offset points and however large their other dimensions")
    func emptyTensors() throws {
        let checkpoint = try read([
            ("past_the_end", P.tensor(key: "0", count: 24, offset: 1000, size: [0, 3], stride: [3, 1])),
            ("huge", P.tensor(key: "0", count: 24, size: [0, 1 << 40, 1 << 40], stride: [1, 1, 1])),
        ])
        #expect(checkpoint.tensors["past_the_end"] == TypedArray(shape: [0, 3], storage: .float32([])))
        #expect(checkpoint.tensors["huge"]?.elementCount == 0)
    }

    @Test("each dtype read: float64 and int64 strided, int32, bfloat16 strided, float16")
    func dtypes() throws {
        let doubles = (0..<6).flatMap { le64((Double($0) * -0.5).bitPattern) }
        let longs = (0..<4).flatMap { le64(UInt64(bitPattern: Int64($0) - 2)) }
        let ints = [Int32.min, -1, .max].flatMap { le32(UInt32(bitPattern: $0)) }
        let brains: [UInt8] = [0x80, 0x3F, 0x00, 0x40, 0x40, 0xC0]  // 1, 2, -3
        let halves: [UInt8] = [0x00, 0x3C, 0x01, 0x00, 0x00, 0xFC]  // 1, 2^-24, -inf
        let checkpoint = try read([
            ("f64", P.tensor(key: "d", count: 6, size: [3, 2], stride: [1, 3], storage: "DoubleStorage")),
            ("i64", P.tensor(key: "l", count: 4, offset: 1, size: [2], stride: [2], storage: "LongStorage")),
            ("i32", P.tensor(key: "i", count: 3, size: [3], stride: [1], storage: "IntStorage")),
            ("bf16", P.tensor(key: "b", count: 3, size: [2], stride: [2], storage: "BFloat16Storage")),
            ("f16", P.tensor(key: "h", count: 3, size: [3], stride: [1], storage: "HalfStorage")),
        ], storages: [("d", doubles), ("l", longs), ("i", ints), ("b", brains), ("h", halves)])
        #expect(checkpoint.tensors["f64"] == TypedArray(shape: [3, 2], storage: .float64([0, -1.5, -0.5, -2, -1, -2.5])))
        #expect(checkpoint.tensors["i64"] == TypedArray(shape: [2], storage: .int64([-1, 1])))
        #expect(checkpoint.tensors["i32"] == TypedArray(shape: [3], storage: .int32([.min, -1, .max])))
        #expect(checkpoint.tensors["bf16"] == TypedArray(shape: [2], storage: .float32([1, -3])))
        #expect(checkpoint.tensors["f16"] == TypedArray(shape: [3], storage: .float32([1, 0x1p-24, -.infinity])))
        #expect(checkpoint.upcast == ["bf16": "bfloat16", "f16": "float16"])
    }

    @Test("_rebuild_tensor_v3 reads a dtype over an untyped storage; its newer dtypes are refused")
    func rebuildV3() throws {
        func v3(_ dtype: String, size: Int) -> [UInt8] {
            let id = P.tuple(P.string("storage"), P.global("torch", "UntypedStorage"), P.string("0"), P.string("cpu"), P.int(96))
            return P.global("torch._utils", "_rebuild_tensor_v3") + Array("(".utf8) + id + Array("Q".utf8) + P.int(2)
                + P.tuple(P.int(size)) + P.tuple(P.int(1)) + [0x89] + Array("}".utf8) + P.global("torch", dtype) + Array("tR".utf8)
        }
        #expect(floats(try read([("w", v3("float32", size: 3))]).tensors["w"]) == [2, 3, 4])
        let error = expectFileFormatError(path: "v.pt", mentioning: "tensor 'u': dtype uint16 is not supported") { try read([("u", v3("uint16", size: 3))]) }
        #expect(error != nil)
    }

    @Test("numbers a pickle can get wrong name the tensor", arguments: [
        (P.tensor(key: "0", count: 24, size: Array(repeating: 1, count: 65), stride: Array(repeating: 1, count: 65)), "has 65 dimensions, more than 64"),
        (P.tensor(key: "0", count: 24, size: [2, 3], stride: [3]), "size (2, 3) and stride (3,) differ in length"),
        (P.tensor(key: "0", count: 24, size: [2, -3], stride: [3, 1]), "size (2, -3) has a negative dimension"),
        (P.tensor(key: "0", count: 24, offset: -1, size: [2], stride: [1]), "storage offset -1 is negative"),
        (P.tensor(key: "0", count: 24, size: [2], stride: [Int.max]), "offset 0, size (2,) and stride (9223372036854775807,) reach beyond the end"),
        (P.tensor(key: "0", count: 24, size: [Int.max, 2], stride: [1, 1]), "is too large: its element count overflows"),
        (P.tensor(key: "0", count: 25, size: [2], stride: [1]), "storage 'archive/data/0' holds 96 bytes, but the pickle declares 25 float32 elements"),
        (P.tensor(key: "0", count: 1 << 62, size: [2], stride: [1]), "but the pickle declares 4611686018427387904 float32 elements"),
        (P.tensor(key: "0", count: 24, size: [1, 2, 3, 4, 5, 6, 7, 8, 9, -1], stride: Array(repeating: 0, count: 10)), "size (1, 2, 3, 4, 5, 6, 7, 8, …) has a negative dimension"),
        (P.tensor(key: "0", count: 24, size: [2], stride: [1], storage: "ComplexFloatStorage"), "dtype complex64 is not supported"),
    ])
    func badNumbers(tensor: [UInt8], fragment: String) {
        expectFileFormatError(path: "v.pt", mentioning: "tensor 'rnn.weight_hh_l0': ", fragment) { try read([("rnn.weight_hh_l0", tensor)]) }
    }

    @Test("the tensors may take at most 8 times the archive plus 64 MiB: one storage named many times cannot exceed it")
    func budget() throws {
        // Each name is a 2-byte BINGET of the same (1024, 1024) broadcast, 4 MiB apiece.
        let tensor = P.tensor(key: "0", count: 24, size: [1024, 1024], stride: [0, 0])
        let names = (0..<40).map { "t\($0)" }
        let body = P.global("collections", "OrderedDict") + Array(")R(".utf8) + P.string("t0") + tensor + Array("q".utf8) + [1]
            + names.dropFirst().flatMap { P.string($0) + Array("h".utf8) + [1] } + Array("u".utf8)
        let zip = StoredZip.torch(pickle: P.pickle(body), storages: [Self.counting])
        expectFileFormatError(path: "b.pt", mentioning: "tensor 't16': size (1024, 1024) would take 4194304 bytes, more than the") {
            try TorchCheckpoint.decode(Data(zip.bytes), path: "b.pt")
        }
    }

    // MARK: Where the state_dict is

    private func decode(_ body: [UInt8], key: String? = nil) throws -> TorchCheckpoint {
        try TorchCheckpoint.decode(Data(StoredZip.torch(pickle: P.pickle(body), storages: [Self.counting]).bytes), path: "s.pt", key: key)
    }

    static let tensor = P.tensor(key: "0", count: 24, size: [2], stride: [1])

    @Test("a state_dict under 'state_dict' or 'model', looked for in that order after 'model_state_dict'")
    func conventionalKeys() throws {
        let inner = P.orderedDict([(P.string("w"), Self.tensor)])
        let checkpoint = try decode(P.dict([(P.string("model"), P.dict([])), (P.string("state_dict"), inner), (P.string("step"), P.int(9))]))
        #expect(checkpoint.stateDictKey == "state_dict")
        #expect(checkpoint.names == ["w"])
        #expect(checkpoint.otherEntries == [.init(key: "model", summary: "a dict of 0 entries"), .init(key: "step", summary: "9")])
        #expect(try decode(P.dict([(P.string("model"), inner), (P.int(3), P.string("x"))])).otherEntries == [.init(key: "3", summary: "'x'")])
    }

    @Test("an empty top-level dict is an empty state_dict; a later value for a name replaces the earlier")
    func emptyAndDuplicates() throws {
        #expect(try decode(P.dict([])).names.isEmpty)
        let twice = P.tensor(key: "0", count: 24, offset: 10, size: [2], stride: [1])
        let checkpoint = try decode(P.dict([(P.string("w"), Self.tensor), (P.string("b"), Self.tensor), (P.string("w"), twice)]))
        #expect(checkpoint.names == ["w", "b"])
        #expect(floats(checkpoint.tensors["w"]) == [10, 11])
    }

    @Test("pickles that hold no state_dict, or one with more than tensors", arguments: [
        (Array("]".utf8), "holds a list of 0 items, not a dict; expected a state_dict or a checkpoint dict holding one"),
        (P.dict([(P.string("w"), tensor), (P.string("lr"), Array("G".utf8) + [0x3F, 0x50, 0x62, 0x4D, 0xD2, 0xF1, 0xA9, 0xFC])]),
         "holds no state_dict: expected a dict of tensors, or one under 'model_state_dict', 'state_dict' or 'model'; its keys are 'w' (a float32 tensor of size (2,)), 'lr' (0.001)"),
        (P.dict([(P.string("model"), P.string("rnn"))]), "'model' holds 'rnn', not a state_dict"),
        (P.dict([(P.string("state_dict"), P.dict([(P.string("w"), tensor), (P.string("_extra_state"), Array("N".utf8))]))]),
         "entry '_extra_state' of state_dict 'state_dict' holds None, not a tensor"),
        (P.dict([(P.string("state_dict"), P.dict([(P.int(0), tensor)]))]), "state_dict 'state_dict' has a key 0 that is not a string"),
    ])
    func noStateDict(body: [UInt8], fragment: String) {
        expectFileFormatError(path: "s.pt", mentioning: fragment) { try decode(body) }
    }

    @Test("key lists in messages stop after eight keys")
    func longKeyList() {
        let pairs = (0..<12).map { (P.string("k\($0)"), P.int($0)) }
        expectFileFormatError(path: "s.pt", mentioning: "its keys are 'k0' (0), 'k1' (1)", "'k7' (7), …") { try decode(P.dict(pairs)) }
    }
}
