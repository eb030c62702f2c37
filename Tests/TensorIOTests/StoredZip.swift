import Foundation

/// A zip archive of stored (uncompressed) entries built byte by byte, for tests that need an
/// archive made to measure: a mutated pickle with a valid CRC-32, ZIP64 fields, a false size.
struct StoredZip {
    struct Entry {
        var name: String
        var data: [UInt8]
        /// Extra field bytes for the central directory record, e.g. a ZIP64 field.
        var centralExtra: [UInt8] = []
        /// When set, the entry has a data descriptor (flag bit 3) declaring this uncompressed size.
        var descriptorSize: UInt32?
    }

    var entries: [Entry]
    /// Whether to write a ZIP64 end record and locator before the end record, as torch does.
    var zip64End = false

    /// A torch.save layout: `<folder>/data.pkl`, `byteorder`, each storage as `data/<key>`, `version`.
    static func torch(pickle: [UInt8], storages: [(key: String, bytes: [UInt8])] = [], folder: String = "archive") -> StoredZip {
        let entries = [Entry(name: "data.pkl", data: pickle), Entry(name: "byteorder", data: Array("little".utf8))]
            + storages.map { Entry(name: "data/" + $0.key, data: $0.bytes) }
            + [Entry(name: "version", data: Array("3\n".utf8))]
        return StoredZip(entries: entries.map { Entry(name: folder + "/" + $0.name, data: $0.data) }, zip64End: true)
    }

    /// The archive's bytes: local headers and data, the central directory, the end records.
    var bytes: [UInt8] { layout().bytes }

    /// The archive's bytes, and where each entry's central directory record starts in them.
    func layout() -> (bytes: [UInt8], central: [Int]) {
        var bytes: [UInt8] = []
        var localOffsets: [Int] = []
        for entry in entries {
            localOffsets.append(bytes.count)
            let name = Array(entry.name.utf8)
            bytes += le32(0x0403_4B50) + le16(20) + le16(entry.flags) + le16(0) + le16(0) + le16(0x21)
            bytes += le32(crc32(entry.data)) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            bytes += le16(name.count) + le16(0) + name + entry.data
            if let size = entry.descriptorSize {
                bytes += le32(0x0807_4B50) + le32(crc32(entry.data)) + le32(size) + le32(size)
            }
        }
        let directoryStart = bytes.count
        var centralOffsets: [Int] = []
        for (entry, offset) in zip(entries, localOffsets) {
            centralOffsets.append(bytes.count)
            let name = Array(entry.name.utf8)
            bytes += le32(0x0201_4B50) + le16(20) + le16(20) + le16(entry.flags) + le16(0) + le16(0) + le16(0x21)
            bytes += le32(crc32(entry.data)) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            bytes += le16(name.count) + le16(entry.centralExtra.count) + le16(0) + le16(0) + le16(0) + le32(0)
            bytes += le32(UInt32(offset)) + name + entry.centralExtra
        }
        let directoryEnd = bytes.count
        if zip64End {
            bytes += le32(0x0606_4B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            bytes += le64(UInt64(entries.count)) + le64(UInt64(entries.count))
            bytes += le64(UInt64(directoryEnd - directoryStart)) + le64(UInt64(directoryStart))
            bytes += le32(0x0706_4B50) + le32(0) + le64(UInt64(directoryEnd)) + le32(1)
        }
        bytes += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        bytes += le32(UInt32(directoryEnd - directoryStart)) + le32(UInt32(directoryStart)) + le16(0)
        return (bytes, centralOffsets)
    }
}

extension StoredZip.Entry {
    /// UTF-8 names (bit 11), and a data descriptor (bit 3) when there is one.
    var flags: Int { 0x800 | (descriptorSize == nil ? 0 : 0x8) }
}

func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

/// Overwrites the bytes at `offset` with `value`, little-endian.
func patch(_ bytes: inout [UInt8], at offset: Int, _ value: [UInt8]) {
    bytes.replaceSubrange(offset..<offset + value.count, with: value)
}

/// The CRC-32 of zip (polynomial 0xEDB88320), a byte at a time.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc = crc >> 8 ^ crcTable[Int((crc ^ UInt32(byte)) & 0xFF)]
    }
    return ~crc
}

private let crcTable: [UInt32] = (0..<256).map { index in
    (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? crc >> 1 ^ 0xEDB8_8320 : crc >> 1 }
}
