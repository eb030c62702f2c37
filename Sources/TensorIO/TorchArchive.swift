import AtomicIO
import Foundation
import ZIPFoundation

/// The entries of a torch.save zip archive, read into memory through ZIPFoundation after
/// `ZipDirectoryCheck` has vetted the archive's numbers.
///
/// torch puts every entry in one folder named after the file (`model/data.pkl`,
/// `model/data/0`, `model/byteorder`, …); like torch's own reader, this takes the folder from the
/// first entry.
struct TorchArchive {
    /// The folder the entries are in.
    let folder: String
    private let archive: Archive
    private let entries: [String: Entry]
    private let path: String

    /// Opens the archive in `data`.
    /// - Throws: `FileFormatError` for a malformed zip, a compressed entry, a duplicate entry name,
    ///   or a zip without `<folder>/data.pkl`.
    init(data: Data, path: String) throws(FileFormatError) {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        if let problem = data.withUnsafeBytes(ZipDirectoryCheck.problem(in:)) { throw failure(problem) }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw failure("not a readable zip archive (\(error))")
        }
        var entries: [String: Entry] = [:]
        var first: String?
        for entry in archive {
            first = first ?? entry.path
            guard entries.updateValue(entry, forKey: entry.path) == nil else {
                throw failure("zip entry \(PickleValue.quoted(entry.path)) appears twice")
            }
        }
        guard let first else { throw failure("not a torch.save archive: the zip archive is empty") }
        guard let slash = first.firstIndex(of: "/") else {
            throw failure("not a torch.save archive: its first entry \(PickleValue.quoted(first)) is not in a folder")
        }
        folder = String(first[..<slash])
        guard entries[folder + "/data.pkl"] != nil else {
            throw failure("not a torch.save archive: it has no entry \(PickleValue.quoted(folder + "/data.pkl"))")
        }
        self.entries = entries
        self.path = path
    }

    /// The full name of entry `name` inside the folder, e.g. `model/data/0`.
    func fullName(_ name: String) -> String {
        folder + "/" + name
    }

    /// The contents of the entry `<folder>/<name>`, or nil when there is none.
    ///
    /// Reading stops as soon as the entry yields more than it declares, and the declared size
    /// is checked against `limit` before anything is allocated.
    /// - Throws: `FileFormatError` for an entry that is not a file, larger than `limit`, shorter or
    ///   longer than it declares (its data descriptor can disagree with the central directory),
    ///   or whose CRC-32 does not match.
    func read(_ name: String, limit: Int) throws(FileFormatError) -> [UInt8]? {
        let full = PickleValue.quoted(fullName(name))
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: "zip entry \(full) \(problem)") }

        guard let entry = entries[fullName(name)] else { return nil }
        guard entry.type == .file else { throw failure("is not a file") }
        let declared = entry.uncompressedSize
        guard declared <= UInt64(limit) else { throw failure("declares \(declared) bytes, more than the \(limit) allowed") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(declared))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 16) { chunk in
                guard bytes.count + chunk.count <= Int(declared) else { throw Overflow() }
                bytes.append(contentsOf: chunk)
            }
        } catch is Overflow {
            throw failure("holds more than the \(declared) bytes it declares")
        } catch {
            throw failure("cannot be read (\(error))")
        }
        guard bytes.count == Int(declared) else { throw failure("yields \(bytes.count) of the \(declared) bytes it declares") }
        // torch writes 0 when told not to compute CRC-32s (torch.serialization.set_crc32_options(False)).
        guard entry.checksum == 0 || checksum == entry.checksum else { throw failure("fails its CRC-32 check (corrupt archive)") }
        return bytes
    }

    /// Thrown by the reading loop to stop at the first byte beyond an entry's declared size.
    private struct Overflow: Error {}
}
