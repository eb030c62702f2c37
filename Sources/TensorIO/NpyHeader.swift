import AtomicIO

/// The dictionary at the start of a `.npy` file — `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (3, 4), }` — reduced to what this toolkit can read: a little-endian dtype and a
/// C-order shape.
struct NpyHeader: Equatable {
    var dtype: DType
    var shape: [Int]

    /// The dtypes this reader accepts, as named in error messages.
    static let supportedDescrs = DType.allCases.map(\.npyDescr).joined(separator: ", ")

    /// Reads and checks the header literal.
    /// - Parameters:
    ///   - bytes: the header text between the length field and the data.
    ///   - isUTF8: true for version 3.0, whose header is UTF-8; earlier versions are Latin-1.
    ///   - fileOffset: where `bytes` start in the file, so syntax errors can point into the file.
    ///   - path: the file, for errors.
    /// - Throws: `FileFormatError` for a malformed literal, wrong keys, an unsupported dtype,
    ///   Fortran order, or a shape that is not a tuple of non-negative integers.
    init(parsing bytes: [UInt8], isUTF8: Bool, fileOffset: Int, path: String) throws(FileFormatError) {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(bytes, isUTF8: isUTF8)
        } catch {
            throw failure("malformed header: \(error.message) at file offset \(fileOffset + error.offset)")
        }
        guard case .dict(let entries) = literal else {
            throw failure("malformed header: expected a Python dict like {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }, found \(literal.briefDescription)")
        }

        let expectedKeys = ["descr", "fortran_order", "shape"]
        let keyList = "expected keys 'descr', 'fortran_order' and 'shape'"
        var values: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard expectedKeys.contains(key) else { throw failure("header has unexpected key \(PythonLiteral.quoted(key)); \(keyList)") }
            guard values.updateValue(value, forKey: key) == nil else { throw failure("malformed header: duplicate key \(PythonLiteral.quoted(key))") }
        }
        for key in expectedKeys where values[key] == nil {
            throw failure("header has no '\(key)' key; \(keyList)")
        }

        dtype = try Self.dtype(from: values["descr"]!, failure: failure)
        shape = try Self.shape(from: values["shape"]!, failure: failure)

        guard case .boolean(let isFortranOrder) = values["fortran_order"]! else {
            throw failure("fortran_order must be True or False, found \(values["fortran_order"]!.briefDescription)")
        }
        // With at most one dimension longer than 1, Fortran and C order lay out the same bytes.
        if isFortranOrder && shape.filter({ $0 > 1 }).count > 1 {
            throw failure("Fortran order is not supported; save with np.ascontiguousarray")
        }
    }

    private static func dtype(from descr: PythonLiteral, failure: (String) -> FileFormatError) throws(FileFormatError) -> DType {
        guard case .string(let name) = descr else {
            if case .list = descr {
                throw failure("structured dtype \(descr.briefDescription) is not supported; expected one of \(supportedDescrs)")
            }
            throw failure("descr must be a dtype string like '<f4', found \(descr.briefDescription)")
        }
        if let dtype = DType.allCases.first(where: { $0.npyDescr == name }) { return dtype }
        if name.hasPrefix(">") {
            throw failure("big-endian dtype \(PythonLiteral.quoted(name)) is not supported; expected one of \(supportedDescrs) (convert with a.astype(a.dtype.newbyteorder('<')))")
        }
        throw failure("dtype \(PythonLiteral.quoted(name)) is not supported; expected one of \(supportedDescrs)")
    }

    private static func shape(from literal: PythonLiteral, failure: (String) -> FileFormatError) throws(FileFormatError) -> [Int] {
        let items: [PythonLiteral]
        if case .tuple(let tuple) = literal { items = tuple } else { items = [] }
        let shape = items.compactMap { item -> Int? in
            if case .integer(let dimension) = item { dimension } else { nil }
        }
        guard case .tuple = literal, shape.count == items.count else {
            throw failure("shape must be a tuple of integers like (3, 4), found \(literal.briefDescription)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw failure("shape \(pythonTuple(shape)) has a negative dimension")
        }
        return shape
    }

    /// The dict literal as `np.save` writes it — keys sorted, then spare spaces so the first axis
    /// can grow in place — but without the padding and newline that align the data.
    static func literal(dtype: DType, shape: [Int]) -> String {
        var text = "{'descr': '\(dtype.npyDescr)', 'fortran_order': False, 'shape': \(pythonTuple(shape)), }"
        // numpy.lib.format reserves room for a first dimension of up to 21 digits.
        if let first = shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        return text
    }

    /// A shape written as a Python tuple: `()`, `(5,)`, `(2, 3)`.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    }
}
