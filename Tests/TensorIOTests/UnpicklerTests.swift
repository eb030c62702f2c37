import Foundation
@testable import TensorIO
import Testing

/// The restricted unpickler on pickles built by hand: each opcode it reads, each global it
/// allows or refuses, and each limit.
@Suite("IOTests: Unpickler")
struct UnpicklerTests {
    typealias P = PickleBytes

    // MARK: Values

    @Test("scalars: None, booleans, every integer and string opcode, BINFLOAT")
    func scalars() throws {
        let items: [UInt8] = Array("N".utf8) + [0x88, 0x89]
            + Array("J".utf8) + le32(UInt32(bitPattern: -7)) + Array("K".utf8) + [200] + Array("M".utf8) + le16(65535)
            + [0x8A, 0] + [0x8A, 1, 0xFF] + [0x8A, 2, 0x00, 0x80] + [0x8A, 8] + le64(UInt64(bitPattern: .min))
            + [0x8B] + le32(3) + [1, 2, 3]
            + Array("G".utf8) + (0..<8).map { UInt8(truncatingIfNeeded: (-1.5).bitPattern >> (56 - 8 * $0)) }
            + P.string("é😀") + [0x8C, 2] + Array("ab".utf8) + [0x8D] + le64(1) + Array("c".utf8)
            + Array("U".utf8) + [2, 0x41, 0xE9] + Array("T".utf8) + le32(1) + Array("z".utf8)
            + Array("C".utf8) + [2, 0, 0xFF] + Array("B".utf8) + le32(1) + [7] + [0x8E] + le64(0)
        let value = try load(Array("](".utf8) + items + Array("e".utf8))
        let summaries = try #require(list(value)).map(\.summary)
        #expect(summaries == [
            "None", "True", "False", "-7", "200", "65535", "0", "-1", "-32768", "\(Int.min)", "197121",
            "-1.5", "'é😀'", "'ab'", "'c'", "'Aé'", "'z'", "bytes of length 2", "bytes of length 1", "bytes of length 0",
        ])
    }

    @Test("tuples of every size, and their heights")
    func tuples() throws {
        // ((None,), (None, None), (None, None, None)) and (None, None, None, ()).
        let value = try load(Array("N".utf8) + [0x85] + Array("NN".utf8) + [0x86] + Array("NNN".utf8) + [0x87] + [0x87]
            + Array("(NNN)t".utf8) + [0x86])
        guard case .tuple(let outer) = value else { Issue.record("\(value.kind)"); return }
        #expect(outer.items.map(\.summary) == ["a tuple of 3 items", "a tuple of 4 items"])
        #expect(outer.height == 3)
    }

    @Test("dicts keep insertion order; an equal key replaces the value in place, as in Python")
    func dicts() throws {
        // {'a': 1, 1: 'one', 'b': 2}, then 'a' again, True (== 1) and 1.0 (== 1).
        let value = try load(P.dict([(P.string("a"), P.int(1)), (P.int(1), P.string("one")), (P.string("b"), P.int(2))])
            + P.string("a") + P.int(10) + Array("s".utf8) + [0x88] + P.string("true") + Array("s".utf8)
            + Array("G".utf8) + [0x3F, 0xF0, 0, 0, 0, 0, 0, 0] + P.string("float") + Array("s".utf8))
        guard case .dict(let dict) = value else { Issue.record("\(value.kind)"); return }
        #expect(dict.entries.map { "\($0.key.summary): \($0.value.summary)" } == ["'a': 10", "1: 'float'", "'b': 2"])
    }

    @Test("the memo shares containers: a list stored, then filled, is fetched filled")
    func memoSharing() throws {
        // [x, x] where x = [] is stored by BINPUT, filled, then fetched by BINGET; also
        // LONG_BINPUT/LONG_BINGET and MEMOIZE.
        let value = try load(Array("]q".utf8) + [0] + Array("(]q".utf8) + [1] + Array("(NNe".utf8)
            + Array("h".utf8) + [1] + [0x94] + Array("j".utf8) + le32(2) + Array("r".utf8) + le32(300) + Array("j".utf8) + le32(300) + Array("e".utf8))
        let items = try #require(list(value))
        #expect(items.map(\.summary) == ["a list of 2 items", "a list of 2 items", "a list of 2 items", "a list of 2 items"])
        guard case .list(let first) = items[0], case .list(let second) = items[1] else { return }
        #expect(first === second)
    }

    @Test("FRAME is a hint and read past; one claiming more than remains is refused")
    func frames() throws {
        #expect(try load([0x95] + le64(2) + Array("N".utf8), protocol: 4).summary == "None")
        expectFailure([0x80, 4, 0x95] + le64(100) + Array("N.".utf8), "frame of 100 bytes extends beyond the end of the pickle", at: 2)
    }

    // MARK: Globals

    @Test("globals outside the allow-list are refused by name, through GLOBAL and STACK_GLOBAL", arguments: [
        ("os", "system"), ("builtins", "eval"), ("__builtin__", "exec"), ("subprocess", "Popen"), ("posix", "system"),
        ("torch", "load"), ("torch.nn.modules.linear", "Linear"), ("__main__", "Net"), ("collections", "defaultdict"),
        ("torch._utils", "_rebuild_qtensor"), ("torch.storage", "_load_from_bytes"), ("numpy.core.multiarray", "_reconstruct"),
    ])
    func refusedGlobal(module: String, name: String) {
        for body in [P.global(module, name), [0x8C, UInt8(module.utf8.count)] + Array(module.utf8) + [0x8C, UInt8(name.utf8.count)] + Array(name.utf8) + [0x93]] {
            let unpickler = Unpickler(bytes: P.pickle(body + Array(")R".utf8), protocol: 4))
            do {
                _ = try unpickler.load()
                Issue.record("\(module).\(name) was loaded")
            } catch {
                #expect(error.message.hasPrefix("refuses to load global '\(module).\(name)' ("))
                #expect(error.message.hasSuffix("; save model.state_dict() instead"))
                #expect(error.offset == nil)
            }
        }
    }

    @Test("allowed globals: storage classes and dtypes are values, and cannot be called")
    func allowedGlobals() throws {
        let value = try load(Array("(".utf8) + P.global("torch", "HalfStorage") + P.global("torch.storage", "UntypedStorage")
            + P.global("torch", "bfloat16") + P.global("torch", "uint16") + Array("t".utf8))
        guard case .tuple(let tuple) = value else { return }
        #expect(tuple.items.map(\.summary) == ["torch.HalfStorage", "torch.storage.UntypedStorage", "torch.bfloat16", "torch.uint16"])
        expectFailure(P.pickle(P.global("torch", "float32") + Array(")R".utf8)), "torch.float32 cannot be called", at: 2 + 15 + 1)
        expectFailure(P.pickle(P.global("torch", "FloatStorage") + Array("(K".utf8) + [3] + Array("tR".utf8)), "torch.FloatStorage cannot be called")
        expectFailure(P.pickle(P.global("collections", "OrderedDict") + Array("(]tR".utf8)), "collections.OrderedDict called with 1 arguments; expected none")
    }

    @Test("STACK_GLOBAL needs two strings")
    func stackGlobalTypes() {
        expectFailure(P.pickle(Array("NN".utf8) + [0x93], protocol: 4), "STACK_GLOBAL needs two strings, found None and None")
    }

    @Test("GLOBAL names must end in a newline soon and be UTF-8")
    func globalLines() {
        expectFailure(P.pickle(Array("c".utf8) + Array(repeating: UInt8(ascii: "a"), count: 2000)), "GLOBAL name without a newline within 1000 bytes")
        expectFailure(P.pickle(Array("cos".utf8) + [0xFF] + Array("\nsystem\n".utf8)), "GLOBAL name is not valid UTF-8", at: 3)
    }

    // MARK: Calls

    @Test("REDUCE calls only allowed globals, with a tuple")
    func reduce() {
        expectFailure(P.pickle(Array("N)R".utf8)), "REDUCE calls None, not an allowed global")
        expectFailure(P.pickle(P.global("collections", "OrderedDict") + Array("NR".utf8)), "REDUCE arguments are None, not a tuple")
    }

    @Test("_rebuild_tensor_v2 with or without metadata, v3 with a dtype, parameters around tensors")
    func rebuildTensors() throws {
        let id = P.tuple(P.string("storage"), P.global("torch", "DoubleStorage"), P.string("7"), P.string("cuda:0"), P.int(6))
        let common = id + Array("Q".utf8) + P.int(1) + P.tuple(P.int(2)) + P.tuple(P.int(3)) + [0x88] + Array("}".utf8)
        let v2 = P.global("torch._utils", "_rebuild_tensor_v2") + Array("(".utf8) + common + Array("NtR".utf8)
        guard case .tensor(let tensor) = try load(v2) else { Issue.record("not a tensor"); return }
        #expect(tensor.storage.key == "7" && tensor.storage.count == 6 && tensor.dtype == .float64)
        #expect(tensor.offset == 1 && tensor.size == [2] && tensor.stride == [3])

        let untyped = P.tuple(P.string("storage"), P.global("torch", "UntypedStorage"), P.string("0"), P.string("cpu"), P.int(8))
        let v3 = P.global("torch._utils", "_rebuild_tensor_v3") + Array("(".utf8) + untyped + Array("Q".utf8)
            + P.int(0) + P.tuple(P.int(4)) + P.tuple(P.int(1)) + [0x89] + Array("}".utf8) + P.global("torch", "uint16") + Array("tR".utf8)
        guard case .tensor(let newer) = try load(v3) else { Issue.record("not a tensor"); return }
        #expect(newer.dtype == .uint16 && newer.storage.dtype == .uint8)

        let parameter = P.global("torch._utils", "_rebuild_parameter") + Array("(".utf8) + v2 + [0x88] + Array("}t".utf8) + Array("R".utf8)
        #expect(try load(parameter).kind == "a tensor")
        let stateful = P.global("torch._utils", "_rebuild_parameter_with_state") + Array("(".utf8) + v2 + [0x88] + Array("}}t".utf8) + Array("R".utf8)
        #expect(try load(stateful).kind == "a tensor")
        expectFailure(P.pickle(P.global("torch._utils", "_rebuild_parameter") + Array("(N".utf8) + [0x88] + Array("}tR".utf8)),
                      "torch._utils._rebuild_parameter needs 3 arguments starting with a tensor, found (None, a bool, a dict)")
    }

    /// A storage argument: `('storage', torch.FloatStorage, '0', 'cpu', 2)` loaded by BINPERSID.
    static let storageArgument = P.tuple(P.string("storage"), P.global("torch", "FloatStorage"), P.string("0"), P.string("cpu"), P.int(2)) + Array("Q".utf8)

    @Test("_rebuild_tensor_v2 arguments of the wrong kind", arguments: [
        P.int(0) + P.tuple(P.int(2)) + P.tuple(P.int(1)) + [0x89] + Array("}".utf8),                          // no storage
        storageArgument + Array("N".utf8) + P.tuple(P.int(2)) + P.tuple(P.int(1)) + [0x89] + Array("}".utf8), // offset None
        storageArgument + P.int(0) + P.tuple(P.string("2")) + P.tuple(P.int(1)) + [0x89] + Array("}".utf8),   // size of a string
        storageArgument + P.int(0) + P.tuple(P.int(2)) + Array("N".utf8) + [0x89] + Array("}".utf8),          // stride None
        storageArgument + P.int(0) + P.tuple(P.int(2)) + P.tuple(P.int(1)) + Array("N}".utf8),                // requires_grad None
        storageArgument + P.int(0) + P.tuple(P.int(2)) + P.tuple(P.int(1)),                                    // too few
        storageArgument + P.int(0) + P.tuple(P.int(2)) + P.tuple(P.int(1)) + Array("N}NN".utf8),              // too many
    ])
    func rebuildTensorArguments(arguments: [UInt8]) {
        let body = P.global("torch._utils", "_rebuild_tensor_v2") + Array("(".utf8) + arguments + Array("tR".utf8)
        expectFailure(P.pickle(body), "torch._utils._rebuild_tensor_v2 needs (storage, storage_offset, size, stride, requires_grad, backward_hooks, [metadata]), found (")
    }

    @Test("persistent ids other than torch's storage tuple are refused", arguments: [
        Array("N".utf8),
        P.tuple(P.string("module"), P.global("torch", "FloatStorage"), P.string("0"), P.string("cpu"), P.int(1)),
        P.tuple(P.string("storage"), P.global("torch", "float32"), P.string("0"), P.string("cpu"), P.int(1)),
        P.tuple(P.string("storage"), P.global("torch", "FloatStorage"), P.int(0), P.string("cpu"), P.int(1)),
        P.tuple(P.string("storage"), P.global("torch", "FloatStorage"), P.string("0"), P.string("cpu"), P.int(-1)),
        P.tuple(P.string("storage"), P.global("torch", "FloatStorage"), P.string("0"), P.string("cpu")),
    ])
    func persistentIDs(id: [UInt8]) {
        expectFailure(P.pickle(id + Array("Q".utf8)), "is not ('storage', storage type, key, location, numel)")
    }

    @Test("BUILD sets only a dict's attributes, which are ignored")
    func build() throws {
        let built = try load(P.global("collections", "OrderedDict") + Array(")R}b".utf8))
        #expect(built.summary == "a dict of 0 entries")
        expectFailure(P.pickle(Array("]}b".utf8)), "BUILD sets a dict on a list; only a dict's attributes can be set")
        expectFailure(P.pickle(Array("}]b".utf8)), "BUILD sets a list on a dict")
    }

    // MARK: Limits and malformed pickles

    @Test("containers nest at most 100 deep: lists, dicts, tuples")
    func depth() throws {
        #expect(try load(Array(repeating: UInt8(ascii: "]"), count: 100) + Array(repeating: UInt8(ascii: "a"), count: 99)).height == 100)
        expectFailure(P.pickle(Array(repeating: UInt8(ascii: "]"), count: 101) + Array(repeating: UInt8(ascii: "a"), count: 100)),
                      "containers nested more than 100 deep", at: 2 + 101 + 99)
        expectFailure(P.pickle(Array("N".utf8) + Array(repeating: 0x85, count: 101)), "containers nested more than 100 deep", at: 3 + 100)
        // d1[None] = d2, …, d100[None] = d101.
        let dicts = Array(repeating: Array("}N".utf8), count: 100).joined() + Array("}".utf8) + Array(repeating: UInt8(ascii: "s"), count: 100)
        expectFailure(P.pickle(Array(dicts)), "containers nested more than 100 deep")
        expectFailure(P.pickle(Array(repeating: UInt8(ascii: "("), count: 101)), "more than 100 nested MARKs", at: 2 + 100)
    }

    @Test("a container cannot change once inside another, so no cycle can form", arguments: [
        "]q\u{0}h\u{0}a",                 // x.append(x)
        "}q\u{0}Nh\u{0}s",                // x[None] = x
        "]q\u{0}]h\u{0}ah\u{0}Na",         // y.append(x); x.append(None)
        "}q\u{0}(h\u{0}th\u{0}NNs",        // (x,); x[None] = None
    ])
    func noCycles(body: String) {
        expectFailure(P.pickle(Array(body.utf8)), "is changed after being placed in another container (a cycle?)")
    }

    @Test("the stack holds at most 100,000 values and the memo 2^20 entries")
    func sizeLimits() throws {
        expectFailure(P.pickle(Array(repeating: UInt8(ascii: "N"), count: 100_001)), "more than 100000 values on the stack", at: 2 + 100_000)
        let memoize = Array("N".utf8) + Array(repeating: 0x94, count: 1 << 20)
        #expect(try load(memoize, protocol: 4).summary == "None")
        expectFailure(P.pickle(memoize + [0x94], protocol: 4), "more than 1048576 memo entries")
        // Storing again under a key already used does not count.
        #expect(try load(Array("N".utf8) + Array(repeating: [UInt8(ascii: "q"), 5], count: 10).joined()).summary == "None")
    }

    @Test("malformed pickles are refused at the byte where they go wrong", arguments: [
        (Array("h".utf8) + [3], "memo entry 3 is read but was never stored", 2),
        (Array("a".utf8), "stack underflow", 2),
        (Array("](a".utf8), "stack underflow", 4),
        (Array("Ne".utf8), "no MARK to pop to", 3),
        (Array("NNNs".utf8), "SETITEM on None, not a dict", 5),
        (Array("}(Nu".utf8), "SETITEMS with an odd number (1) of keys and values", 5),
        (Array("NNa".utf8), "APPEND to None, not a list", 4),
        (Array("}]Ns".utf8), "dict key a list is not hashable", 5),
        (Array("X".utf8) + le32(2) + [0xC3, 0x28], "string of 2 bytes is not valid UTF-8", 7),
        ([0x8D] + le64(1 << 62), "needs 4611686018427387904 more bytes, but the pickle ends after 1", 2),
        (Array("T".utf8) + le32(UInt32(bitPattern: -5)), "negative length -5", 2),
        ([0x8A, 9] + Array(repeating: 0, count: 9), "integer of 9 bytes does not fit in 64 bits", 2),
        (Array("NN".utf8), "STOP with 2 values on the stack and 0 open MARKs; expected one value", 4),
        (Array("(N".utf8), "STOP with 1 values on the stack and 1 open MARKs", 4),
        ([0x81], "opcode NEWOBJ (0x81) is not supported", 2),
        (Array("i".utf8), "opcode INST (0x69) is not supported", 2),
        (Array("I1\n".utf8), "opcode INT (0x49) is not supported", 2),
        ([0xFE], "opcode 0xFE is not supported", 2),
    ])
    func malformed(body: [UInt8], message: String, offset: Int) {
        expectFailure(P.pickle(body), message, at: offset)
    }

    @Test("protocols 2 to 5 are read; others are refused")
    func protocols() throws {
        for version: UInt8 in 2...5 { #expect(try load(Array("N".utf8), protocol: version).summary == "None") }
        for version: UInt8 in [0, 1, 6] {
            expectFailure(P.pickle(Array("N".utf8), protocol: version), "pickle protocol \(version) is not supported; expected 2 to 5", at: 0)
        }
    }

    @Test("a pickle without STOP, or cut anywhere, is refused; bytes after STOP are ignored")
    func truncation() throws {
        let whole = P.stateDict([("w", P.tensor(key: "0", count: 6, size: [2, 3], stride: [3, 1]))])
        for length in 0..<whole.count {
            let unpickler = Unpickler(bytes: Array(whole[..<length]))
            #expect(throws: Unpickler.Failure.self) { try unpickler.load() }
        }
        let unpickler = Unpickler(bytes: whole + Array("garbage".utf8))
        #expect(try unpickler.load().summary == "a dict of 1 entries")
    }

    // MARK: Helpers

    private func load(_ body: [UInt8], protocol version: UInt8 = 2) throws -> PickleValue {
        let unpickler = Unpickler(bytes: P.pickle(body, protocol: version))
        return try unpickler.load()
    }

    private func list(_ value: PickleValue) -> [PickleValue]? {
        if case .list(let list) = value { list.items } else { nil }
    }

    /// Expects the pickle to be refused with a message containing `fragment`, at byte `offset` when given.
    private func expectFailure(_ pickle: [UInt8], _ fragment: String, at offset: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let unpickler = Unpickler(bytes: pickle)
        do {
            let value = try unpickler.load()
            Issue.record("expected a failure mentioning \(fragment), got \(value.summary)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
            #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
            if let offset {
                #expect(error.offset == offset, "offset \(String(describing: error.offset))", sourceLocation: sourceLocation)
            }
        }
    }
}
