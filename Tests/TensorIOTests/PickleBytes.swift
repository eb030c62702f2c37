/// Pickle opcodes written out by hand, as `Tests/Fixtures/make_fixtures.py` writes its hostile
/// files: building the bytes runs nothing.
enum PickleBytes {
    /// PROTO `version`, the body, STOP.
    static func pickle(_ body: [UInt8], protocol version: UInt8 = 2) -> [UInt8] {
        [0x80, version] + body + Array(".".utf8)
    }

    /// BINUNICODE.
    static func string(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        return Array("X".utf8) + le32(UInt32(utf8.count)) + utf8
    }

    /// BININT for 32-bit values, LONG1 beyond.
    static func int(_ value: Int) -> [UInt8] {
        if let small = Int32(exactly: value) { return Array("J".utf8) + le32(UInt32(bitPattern: small)) }
        return [0x8A, 8] + le64(UInt64(bitPattern: Int64(value)))
    }

    /// GLOBAL `module name`.
    static func global(_ module: String, _ name: String) -> [UInt8] {
        Array("c\(module)\n\(name)\n".utf8)
    }

    /// MARK, the items, TUPLE.
    static func tuple(_ items: [UInt8]...) -> [UInt8] {
        Array("(".utf8) + items.joined() + Array("t".utf8)
    }

    /// EMPTY_DICT, then MARK, keys and values, SETITEMS.
    static func dict(_ pairs: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        Array("}(".utf8) + pairs.flatMap { $0.key + $0.value } + Array("u".utf8)
    }

    /// `collections.OrderedDict()`, then MARK, keys and values, SETITEMS, as torch writes a state_dict.
    static func orderedDict(_ pairs: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        global("collections", "OrderedDict") + Array(")R(".utf8) + pairs.flatMap { $0.key + $0.value } + Array("u".utf8)
    }

    /// `_rebuild_tensor_v2(('storage', torch.<storage>, key, 'cpu', count), offset, size, stride, False, OrderedDict())`.
    static func tensor(key: String, count: Int, offset: Int = 0, size: [Int], stride: [Int], storage: String = "FloatStorage") -> [UInt8] {
        let id = tuple(string("storage"), global("torch", storage), string(key), string("cpu"), int(count))
        let shape = Array("(".utf8) + size.flatMap(int) + Array("t".utf8)
        let steps = Array("(".utf8) + stride.flatMap(int) + Array("t".utf8)
        let arguments = id + Array("Q".utf8) + int(offset) + shape + steps + [0x89] + global("collections", "OrderedDict") + Array(")R".utf8)
        return global("torch._utils", "_rebuild_tensor_v2") + Array("(".utf8) + arguments + Array("tR".utf8)
    }

    /// A state_dict pickle of the named tensors.
    static func stateDict(_ tensors: [(name: String, tensor: [UInt8])]) -> [UInt8] {
        pickle(orderedDict(tensors.map { (string($0.name), $0.tensor) }))
    }
}

/// The little-endian bytes of float32 values, as a storage entry holds them.
func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { le32($0.bitPattern) }
}
