import AtomicIO
import Foundation
@testable import TensorIO
import TestSupport
import Testing

/// The zip layer of torch checkpoints on archives built byte by byte (`StoredZip`): what
/// ZIPFoundation may be handed, and what each entry must be before its bytes are used.
@Suite("IOTests: TorchArchive")
struct TorchArchiveTests {
    typealias P = PickleBytes

    /// A one-tensor state_dict archive: `w` = [1, 2, 3] in storage `0`.
    static func simpleZip() -> StoredZip {
        .torch(pickle: P.stateDict([("w", P.tensor(key: "0", count: 3, size: [3], stride: [1]))]), storages: [("0", floatBytes([1, 2, 3]))])
    }

    private func decode(_ bytes: [UInt8], key: String? = nil) throws -> TorchCheckpoint {
        try TorchCheckpoint.decode(Data(bytes), path: "m.pt", key: key)
    }

    private func expectRefusal(_ bytes: [UInt8], _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        let error = expectFileFormatError(path: "m.pt", sourceLocation: sourceLocation) { try decode(bytes) }
        for fragment in fragments {
            #expect(error?.problem.contains(fragment) == true, "problem: \(error?.problem ?? "none")", sourceLocation: sourceLocation)
        }
    }

    @Test("an archive built here reads, with or without the ZIP64 end records and byteorder")
    func builtArchive() throws {
        var zip = Self.simpleZip()
        let expected = TypedArray(shape: [3], storage: .float32([1, 2, 3]))
        #expect(try decode(zip.bytes).tensors == ["w": expected])
        zip.zip64End = false
        zip.entries.removeAll { $0.name.hasSuffix("byteorder") }
        // No byteorder entry means little-endian, as torch reads archives older than the entry.
        #expect(try decode(zip.bytes).tensors == ["w": expected])
    }

    @Test("files that are not zip archives at all")
    func notZip() {
        expectRefusal([], "not a zip archive: no end-of-central-directory record")
        expectRefusal(Array("PK\u{3}\u{4} not really".utf8), "not a zip archive")
        expectRefusal(Array(repeating: 0x50, count: 100), "not a zip archive")
        expectRefusal([0x80, 0x02, 0x7D, 0x2E], "PyTorch's legacy format", "_use_new_zipfile_serialization=True")
    }

    @Test("a ZIP64 offset of 2^63, which ZIPFoundation would convert to off_t and trap on, is refused")
    func zip64LocalOffset() {
        var zip = Self.simpleZip()
        zip.entries[0].centralExtra = [0x01, 0x00, 8, 0] + le64(1 << 63)
        var (bytes, central) = zip.layout()
        patch(&bytes, at: central[0] + 6, le16(45))              // version needed: ZIP64
        patch(&bytes, at: central[0] + 42, le32(0xFFFF_FFFF))    // the offset is in the ZIP64 field
        expectRefusal(bytes, "zip entry 'archive/data.pkl' has no local header at byte 9223372036854775808")
    }

    @Test("ZIP64 sizes of 2^64 - 1 are refused before ZIPFoundation reads them")
    func zip64Sizes() {
        var zip = Self.simpleZip()
        zip.entries[0].centralExtra = [0x01, 0x00, 16, 0] + le64(.max) + le64(.max)
        var (bytes, central) = zip.layout()
        patch(&bytes, at: central[0] + 20, le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF))
        expectRefusal(bytes, "zip entry 'archive/data.pkl' declares 18446744073709551615 bytes, which run past the end")
        // A ZIP64 field whose length does not match the fields it replaces is ignored, as ZIPFoundation ignores it.
        zip.entries[0].centralExtra = [0x01, 0x00, 8, 0] + le64(.max)
        (bytes, central) = zip.layout()
        patch(&bytes, at: central[0] + 20, le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF))
        expectRefusal(bytes, "declares 4294967295 bytes, which run past the end")
    }

    @Test("a central directory beyond the file, through the ZIP64 end record or the 32-bit one")
    func directoryBeyondFile() {
        var bytes = Self.simpleZip().bytes
        // The ZIP64 end record's directory offset, 56 + 20 + 22 bytes before the end.
        patch(&bytes, at: bytes.count - 98 + 48, le64(1 << 63))
        expectRefusal(bytes, "the zip central directory is said to start at byte 9223372036854775808, beyond the end")
        var zip = Self.simpleZip()
        zip.zip64End = false
        bytes = zip.bytes
        patch(&bytes, at: bytes.count - 6, le32(0xFFFF_FF00))
        expectRefusal(bytes, "the zip central directory is said to start at byte 4294967040")
    }

    @Test("a local header offset beyond the file, a local header cut off, an entry count too high")
    func localHeaders() {
        var (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[1] + 42, le32(UInt32(bytes.count + 10)))
        expectRefusal(bytes, "zip entry 'archive/byteorder' has no local header at byte")
        (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[1] + 42, le32(UInt32(central[0] - 31)))
        expectRefusal(bytes, "has no local header")
        bytes = Self.simpleZip().bytes
        patch(&bytes, at: bytes.count - 98 + 32, le64(5))
        expectRefusal(bytes, "zip central directory entry 5 of 5 is missing")
    }

    @Test("compressed, encrypted and inconsistent entries are refused")
    func entryKinds() {
        var (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[2] + 10, le16(8))
        expectRefusal(bytes, "zip entry 'archive/data/0' is compressed (method 8)")
        (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: 8, le16(8))  // the first local header says deflate; the directory says stored
        expectRefusal(bytes, "zip entry 'archive/data.pkl' is compressed (method 8)")
        (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[0] + 8, le16(0x801))
        expectRefusal(bytes, "zip entry 'archive/data.pkl' is encrypted")
        (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[2] + 20, le32(11))
        expectRefusal(bytes, "zip entry 'archive/data/0' is stored, yet declares 11 bytes compressed and 12 uncompressed")
    }

    @Test("an entry that yields more or less than its data descriptor declares, or fails its CRC-32")
    func entryContents() {
        var zip = Self.simpleZip()
        zip.entries[2].descriptorSize = 4
        expectRefusal(zip.bytes, "zip entry 'archive/data/0' holds more than the 4 bytes it declares")
        zip.entries[2].descriptorSize = 100
        expectRefusal(zip.bytes, "zip entry 'archive/data/0' yields 12 of the 100 bytes it declares")
        var (bytes, central) = Self.simpleZip().layout()
        patch(&bytes, at: central[2] + 16, le32(12345))
        expectRefusal(bytes, "zip entry 'archive/data/0' fails its CRC-32 check")
    }

    @Test("a zip that is not laid out as torch.save lays it out")
    func layout() {
        var zip = Self.simpleZip()
        zip.entries.append(zip.entries[2])
        expectRefusal(zip.bytes, "zip entry 'archive/data/0' appears twice")
        zip = StoredZip(entries: [.init(name: "data.pkl", data: P.pickle(Array("}".utf8)))])
        expectRefusal(zip.bytes, "not a torch.save archive: its first entry 'data.pkl' is not in a folder")
        zip = StoredZip(entries: [])
        expectRefusal(zip.bytes, "not a torch.save archive: the zip archive is empty")
        zip = Self.simpleZip()
        zip.entries.remove(at: 0)
        expectRefusal(zip.bytes, "not a torch.save archive: it has no entry 'archive/data.pkl'")
        zip = Self.simpleZip()
        zip.entries[1].data = Array("middle".utf8)
        expectRefusal(zip.bytes, "byteorder entry holds 'middle'; expected 'little'")
        zip.entries[1].data = Array(repeating: 0x6C, count: 17)
        expectRefusal(zip.bytes, "zip entry 'archive/byteorder' declares 17 bytes, more than the 16 allowed")
    }

    @Test("the folder is whatever torch named it after the file")
    func folderName() throws {
        let pickle = P.stateDict([("w", P.tensor(key: "0", count: 3, size: [3], stride: [1]))])
        let zip = StoredZip.torch(pickle: pickle, storages: [("0", floatBytes([1, 2, 3]))], folder: "my model (v2)")
        #expect(try decode(zip.bytes).names == ["w"])
    }
}
