/// A pickle interpreter that executes nothing: it reads the opcodes a torch.save state_dict or
/// training checkpoint is written with (protocol 2, and what protocols 3–5 add for the same
/// data) and builds `PickleValue`s. Globals outside `PickleGlobal`'s allow-list are refused by
/// name; the allowed ones are never called but stand for inert values (an empty dict, a
/// `TensorReference`).
///
/// Limits keep a hostile pickle from taking unbounded memory or stack: containers nest at most
/// `maximumDepth` deep (and cannot form cycles, see `PickleValue`), as do MARKs; the stack holds at most
/// `maximumStackCount` values, the memo at most `maximumMemoCount`, and every length is checked
/// against the bytes that remain before anything is allocated.
final class Unpickler {
    /// Why a pickle was not read: a refused global (message only), or a malformed pickle at a
    /// byte offset.
    struct Failure: Error {
        let message: String
        let offset: Int?
    }

    static let maximumDepth = 100
    /// A state_dict's pickle stays far below: Python's pickler adds dict items and list elements
    /// in batches of 1000.
    static let maximumStackCount = 100_000
    /// torch writes about nine memo entries a tensor, so this leaves room for 100,000 tensors.
    static let maximumMemoCount = 1 << 20
    /// Longer GLOBAL lines are refused; Python's module and class names are far shorter.
    static let maximumGlobalLineLength = 1000

    private let bytes: [UInt8]
    private var index = 0
    /// The offset of the opcode being executed, for messages.
    private var opcodeOffset = 0
    private var stack: [PickleValue] = []
    /// The stack's length at each open MARK, innermost last.
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Runs the pickle up to its STOP opcode and returns the one value it leaves; bytes after
    /// STOP are ignored, as Python ignores them. Call once.
    func load() throws(Failure) -> PickleValue {
        while true {
            opcodeOffset = index
            let opcode = try readByte()
            // Opcodes by value, with their names and characters in Python's pickle module.
            switch opcode {
            case 0x80: // PROTO
                let version = try readByte()
                guard (2...5).contains(version) else { throw malformed("pickle protocol \(version) is not supported; expected 2 to 5") }
            case 0x95: // FRAME, only a hint for buffered readers
                let length = try readUnsigned(8)
                guard length <= UInt64(bytes.count - index) else { throw malformed("frame of \(length) bytes extends beyond the end of the pickle") }
            case 0x7D: try push(.dict(PickleDict()))                                   // EMPTY_DICT '}'
            case 0x5D: try push(.list(PickleList()))                                   // EMPTY_LIST ']'
            case 0x29: try pushTuple([])                                               // EMPTY_TUPLE ')'
            case 0x28:                                                                 // MARK '('
                guard marks.count < Self.maximumDepth else { throw malformed("more than \(Self.maximumDepth) nested MARKs") }
                marks.append(stack.count)
            case 0x58: try push(.string(readUTF8(length: readUnsigned(4))))            // BINUNICODE 'X'
            case 0x8D: try push(.string(readUTF8(length: readUnsigned(8))))            // BINUNICODE8
            case 0x8C: try push(.string(readUTF8(length: readUnsigned(1))))            // SHORT_BINUNICODE
            case 0x55: try push(.string(readLatin1(length: readUnsigned(1))))          // SHORT_BINSTRING 'U'
            case 0x54: try push(.string(readLatin1(length: readSignedLength())))       // BINSTRING 'T'
            case 0x43: try push(.bytes(readBytes(length: readUnsigned(1))))            // SHORT_BINBYTES 'C'
            case 0x42: try push(.bytes(readBytes(length: readUnsigned(4))))            // BINBYTES 'B'
            case 0x8E: try push(.bytes(readBytes(length: readUnsigned(8))))            // BINBYTES8
            case 0x4A: try push(.int(Int(Int32(truncatingIfNeeded: readUnsigned(4))))) // BININT 'J'
            case 0x4B: try push(.int(Int(readUnsigned(1))))                           // BININT1 'K'
            case 0x4D: try push(.int(Int(readUnsigned(2))))                           // BININT2 'M'
            case 0x8A: try push(.int(readLong(length: readUnsigned(1))))              // LONG1
            case 0x8B: try push(.int(readLong(length: readSignedLength())))           // LONG4
            case 0x47: try push(.float(Double(bitPattern: readBigEndian64())))        // BINFLOAT 'G'
            case 0x4E: try push(.none)                                                 // NONE 'N'
            case 0x88: try push(.bool(true))                                           // NEWTRUE
            case 0x89: try push(.bool(false))                                          // NEWFALSE
            case 0x85, 0x86, 0x87: try pushTuple(pop(Int(opcode) - 0x84))              // TUPLE1, TUPLE2, TUPLE3
            case 0x74: try pushTuple(popMark())                                        // TUPLE 't'
            case 0x73:                                                                 // SETITEM 's'
                let value = try pop()
                let key = try pop()
                try setItems([key, value])
            case 0x75: try setItems(popMark())                                         // SETITEMS 'u'
            case 0x61: try append([pop()])                                             // APPEND 'a'
            case 0x65: try append(popMark())                                           // APPENDS 'e'
            case 0x71: try store(at: Int(readUnsigned(1)))                             // BINPUT 'q'
            case 0x72: try store(at: Int(readUnsigned(4)))                             // LONG_BINPUT 'r'
            case 0x94: try store(at: memo.count)                                       // MEMOIZE
            case 0x68: try fetch(Int(readUnsigned(1)))                                 // BINGET 'h'
            case 0x6A: try fetch(Int(readUnsigned(4)))                                 // LONG_BINGET 'j'
            case 0x63: try pushGlobal(module: readLine(), name: readLine())            // GLOBAL 'c'
            case 0x93:                                                                 // STACK_GLOBAL
                let name = try pop()
                let module = try pop()
                guard case .string(let moduleName) = module, case .string(let globalName) = name else {
                    throw malformed("STACK_GLOBAL needs two strings, found \(module.kind) and \(name.kind)")
                }
                try pushGlobal(module: moduleName, name: globalName)
            case 0x52:                                                                 // REDUCE 'R'
                let arguments = try pop()
                let callable = try pop()
                try push(call(callable, arguments))
            case 0x62:                                                                 // BUILD 'b'
                let state = try pop()
                try build(state: state)
            case 0x51: try push(.storage(persistentLoad(pop())))                       // BINPERSID 'Q'
            case 0x2E:                                                                 // STOP '.'
                guard marks.isEmpty, stack.count == 1 else {
                    throw malformed("STOP with \(stack.count) values on the stack and \(marks.count) open MARKs; expected one value")
                }
                return stack[0]
            default:
                let name = Self.opcodeNames[opcode].map { "\($0) (\(opcode.hexLiteral))" } ?? opcode.hexLiteral
                throw malformed("opcode \(name) is not supported")
            }
        }
    }

    // MARK: The stack and the memo

    private func push(_ value: PickleValue) throws(Failure) {
        guard stack.count < Self.maximumStackCount else { throw malformed("more than \(Self.maximumStackCount) values on the stack") }
        stack.append(value)
    }

    private func pushTuple(_ items: [PickleValue]) throws(Failure) {
        let tuple = PickleTuple(items)
        try checkDepth(tuple.height)
        try push(.tuple(tuple))
    }

    /// The top value, which must lie above the innermost MARK (Python keeps a fresh stack per MARK).
    private func pop() throws(Failure) -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw malformed("stack underflow") }
        return stack.removeLast()
    }

    private func pop(_ count: Int) throws(Failure) -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0) else { throw malformed("stack underflow") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private func top() throws(Failure) -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else { throw malformed("stack underflow") }
        return value
    }

    /// The values pushed since the innermost MARK, which is closed.
    private func popMark() throws(Failure) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed("no MARK to pop to") }
        defer { stack.removeLast(stack.count - mark) }
        return Array(stack[mark...])
    }

    private func store(at key: Int) throws(Failure) {
        let value = try top()
        guard memo[key] != nil || memo.count < Self.maximumMemoCount else {
            throw malformed("more than \(Self.maximumMemoCount) memo entries")
        }
        memo[key] = value
    }

    private func fetch(_ key: Int) throws(Failure) {
        guard let value = memo[key] else { throw malformed("memo entry \(key) is read but was never stored") }
        try push(value)
    }

    // MARK: Containers

    private func setItems(_ items: [PickleValue]) throws(Failure) {
        guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd number (\(items.count)) of keys and values") }
        guard case .dict(let dict) = try top() else { throw malformed("SETITEM on \(try top().kind), not a dict") }
        for pair in stride(from: 0, to: items.count, by: 2) {
            switch dict.set(items[pair + 1], for: items[pair]) {
            case .stored: break
            case .sealed: throw malformed("a dict is changed after being placed in another container (a cycle?)")
            case .unhashable: throw malformed("dict key \(items[pair].kind) is not hashable")
            }
        }
        try checkDepth(dict.height)
    }

    private func append(_ items: [PickleValue]) throws(Failure) {
        guard case .list(let list) = try top() else { throw malformed("APPEND to \(try top().kind), not a list") }
        for item in items where !list.append(item) {
            throw malformed("a list is changed after being placed in another container (a cycle?)")
        }
        try checkDepth(list.height)
    }

    private func checkDepth(_ height: Int) throws(Failure) {
        guard height <= Self.maximumDepth else { throw malformed("containers nested more than \(Self.maximumDepth) deep") }
    }

    // MARK: Globals and the calls they allow

    private func pushGlobal(module: String, name: String) throws(Failure) {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw Failure(message: PickleGlobal.refusal(module: module, name: name), offset: nil)
        }
        try push(.global(global))
    }

    /// REDUCE: the allowed callables, with stand-ins for what they would return.
    private func call(_ callable: PickleValue, _ arguments: PickleValue) throws(Failure) -> PickleValue {
        guard case .global(let global) = callable else { throw malformed("REDUCE calls \(callable.kind), not an allowed global") }
        guard case .tuple(let tuple) = arguments else { throw malformed("REDUCE arguments are \(arguments.kind), not a tuple") }
        let args = tuple.items
        switch global.kind {
        case .orderedDict:
            guard args.isEmpty else { throw malformed("collections.OrderedDict called with \(args.count) arguments; expected none") }
            return .dict(PickleDict())
        case .rebuildTensorV2, .rebuildTensorV3:
            return .tensor(try rebuildTensor(args, global: global))
        case .rebuildParameter, .rebuildParameterWithState:
            let expected = global.kind == .rebuildParameter ? 3 : 4
            guard args.count == expected, case .tensor = args[0] else {
                throw malformed("\(global.name) needs \(expected) arguments starting with a tensor, found \(describe(args))")
            }
            // An nn.Parameter is read as the tensor it holds.
            return args[0]
        case .storageType, .dtype:
            throw malformed("\(global.name) cannot be called")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`
    /// or `_rebuild_tensor_v3(…, backward_hooks, dtype[, metadata])`. Only the types are checked
    /// here; the numbers are checked when the tensor is read, where its name is known. Hooks and
    /// metadata are ignored.
    private func rebuildTensor(_ args: [PickleValue], global: PickleGlobal) throws(Failure) -> TensorReference {
        let isV3 = global.kind == .rebuildTensorV3
        let counts = isV3 ? 7...8 : 6...7
        guard counts.contains(args.count),
              case .storage(let storage) = args[0],
              case .int(let offset) = args[1],
              let size = integers(args[2]),
              let stride = integers(args[3]),
              case .bool = args[4]
        else {
            let form = "(storage, storage_offset, size, stride, requires_grad, backward_hooks\(isV3 ? ", dtype" : ""), [metadata])"
            throw malformed("\(global.name) needs \(form), found \(describe(args))")
        }
        var dtype = storage.dtype
        if isV3 {
            guard case .global(let given) = args[6], case .dtype(let tensorDType) = given.kind else {
                throw malformed("\(global.name) needs a dtype as its 7th argument, found \(args[6].kind)")
            }
            dtype = tensorDType
        }
        return TensorReference(storage: storage, dtype: dtype, offset: offset, size: size, stride: stride)
    }

    /// BINPERSID: torch's id of a storage, `('storage', torch.FloatStorage, key, location, numel)`.
    private func persistentLoad(_ id: PickleValue) throws(Failure) -> StorageReference {
        guard case .tuple(let tuple) = id, tuple.items.count == 5,
              case .string("storage") = tuple.items[0],
              case .global(let type) = tuple.items[1], case .storageType(let dtype) = type.kind,
              case .string(let key) = tuple.items[2],
              case .string = tuple.items[3],
              case .int(let count) = tuple.items[4], count >= 0
        else {
            let shown = if case .tuple(let tuple) = id { describe(tuple.items) } else { id.kind }
            throw malformed("persistent id \(shown) is not ('storage', storage type, key, location, numel)")
        }
        return StorageReference(key: key, dtype: dtype, count: count)
    }

    /// BUILD: sets attributes on the object below. Only an OrderedDict's are allowed (torch sets
    /// a state_dict's `_metadata` so), and ignored.
    private func build(state: PickleValue) throws(Failure) {
        let target = try top()
        switch (target, state) {
        case (.dict, .dict), (.dict, .none): state.seal()
        default: throw malformed("BUILD sets \(state.kind) on \(target.kind); only a dict's attributes can be set")
        }
    }

    // MARK: Reading bytes

    private func readByte() throws(Failure) -> UInt8 {
        guard index < bytes.count else { throw malformed("the pickle ends without a STOP opcode") }
        defer { index += 1 }
        return bytes[index]
    }

    /// A little-endian unsigned integer of `width` bytes.
    private func readUnsigned(_ width: Int) throws(Failure) -> UInt64 {
        try need(UInt64(width))
        var value: UInt64 = 0
        for position in (index..<index + width).reversed() {
            value = value << 8 | UInt64(bytes[position])
        }
        index += width
        return value
    }

    /// BINSTRING's and LONG4's signed 4-byte length, which must not be negative.
    private func readSignedLength() throws(Failure) -> UInt64 {
        let length = Int32(truncatingIfNeeded: try readUnsigned(4))
        guard length >= 0 else { throw malformed("negative length \(length)") }
        return UInt64(length)
    }

    private func readBigEndian64() throws(Failure) -> UInt64 {
        try need(8)
        defer { index += 8 }
        return bytes[index..<index + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// LONG1 and LONG4: a little-endian two's-complement integer of `length` bytes, which must fit in Int.
    private func readLong(length: UInt64) throws(Failure) -> Int {
        guard length <= 8 else { throw malformed("integer of \(length) bytes does not fit in 64 bits") }
        let raw = try readBytes(length: length)
        guard let last = raw.last else { return 0 }
        // Sign-extend from the highest byte.
        let fill: UInt64 = last >= 0x80 ? .max : 0
        let value = raw.reversed().reduce(fill) { $0 << 8 | UInt64($1) }
        return Int(Int64(bitPattern: value))
    }

    private func readBytes(length: UInt64) throws(Failure) -> [UInt8] {
        try need(length)
        defer { index += Int(length) }
        return Array(bytes[index..<index + Int(length)])
    }

    private func readUTF8(length: UInt64) throws(Failure) -> String {
        let start = index
        let raw = try readBytes(length: length)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw Failure(message: "string of \(length) bytes is not valid UTF-8", offset: start)
        }
        return text
    }

    /// Python 2's `str`, as torch's storage keys once were: each byte one character.
    private func readLatin1(length: UInt64) throws(Failure) -> String {
        String(String.UnicodeScalarView(try readBytes(length: length).map { Unicode.Scalar($0) }))
    }

    /// GLOBAL's module or name: UTF-8 up to a newline.
    private func readLine() throws(Failure) -> String {
        let start = index
        let end = bytes[index...].prefix(Self.maximumGlobalLineLength + 1).firstIndex(of: UInt8(ascii: "\n"))
        guard let end else { throw malformed("GLOBAL name without a newline within \(Self.maximumGlobalLineLength) bytes") }
        index = end + 1
        guard let line = String(validating: bytes[start..<end], as: UTF8.self) else {
            throw Failure(message: "GLOBAL name is not valid UTF-8", offset: start)
        }
        return line
    }

    /// Checks that `count` more bytes remain, before anything of that size is allocated.
    private func need(_ count: UInt64) throws(Failure) {
        guard count <= UInt64(bytes.count - index) else {
            throw malformed("needs \(count) more bytes, but the pickle ends after \(bytes.count - index)")
        }
    }

    // MARK: Messages

    private func malformed(_ message: String) -> Failure {
        Failure(message: message, offset: opcodeOffset)
    }

    private func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let tuple) = value else { return nil }
        let numbers = tuple.items.compactMap { item -> Int? in if case .int(let number) = item { number } else { nil } }
        return numbers.count == tuple.items.count ? numbers : nil
    }

    /// Arguments by kind, e.g. `(a storage, an int, a tuple)`, at most eight of them.
    private func describe(_ args: [PickleValue]) -> String {
        let kinds = args.prefix(8).map(\.kind) + (args.count > 8 ? ["…"] : [])
        return "(" + kinds.joined(separator: ", ") + ")"
    }

    /// The names of the opcodes this interpreter refuses, so a message can say which one it met.
    private static let opcodeNames: [UInt8: String] = [
        0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4C: "LONG",
        0x50: "PERSID", 0x53: "STRING", 0x56: "UNICODE", 0x64: "DICT", 0x67: "GET", 0x69: "INST",
        0x6C: "LIST", 0x6F: "OBJ", 0x70: "PUT", 0x81: "NEWOBJ", 0x82: "EXT1", 0x83: "EXT2",
        0x84: "EXT4", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x92: "NEWOBJ_EX",
        0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
    ]
}
