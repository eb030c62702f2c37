/// Checks the numbers in a zip archive's records before ZIPFoundation reads it.
///
/// ZIPFoundation 0.9.20 trusts them: it converts ZIP64 sizes and offsets to `off_t` and `Int64`
/// unchecked (a value of 2⁶³ or more traps), seeks wherever an offset points (its in-memory file
/// then traps on reading past the end), and on Linux inflates until the stream says it has
/// ended (looping forever on a truncated one). So this walks the records the way ZIPFoundation
/// will — the last end-of-central-directory record, the ZIP64 end record where ZIPFoundation
/// looks for one, each central directory entry with the sizes and offset it takes as effective,
/// and that entry's local header — and requires every offset and extent it will use to lie inside
/// the archive, and every entry to be stored uncompressed.
///
/// torch.save stores every entry uncompressed, so refusing compressed ones costs nothing for its
/// files and rules out zip bombs and the inflate loop alike.
enum ZipDirectoryCheck {
    /// What is wrong with the archive, in one line, or nil when ZIPFoundation may read it.
    static func problem(in archive: UnsafeRawBufferPointer) -> String? {
        let reader = Reader(bytes: archive)
        let length = archive.count
        // ZIPFoundation scans back from 22 bytes before the end and takes the first signature it meets.
        guard length >= 22, let end = (0...length - 22).last(where: { archive[$0] == 0x50 && reader.u32($0) == 0x0605_4B50 }) else {
            return "not a zip archive: no end-of-central-directory record (the file is truncated, or not written by torch.save)"
        }
        guard end + 22 + reader.u16(end + 20) <= length else {
            return "the zip end-of-central-directory record runs past the end of the file (truncated archive?)"
        }
        var count = UInt64(reader.u16(end + 10))
        var directory = reader.u32(end + 16)
        // ZIPFoundation looks for a ZIP64 locator just before the end record and the ZIP64 end
        // record 56 bytes before that (torch writes both).
        if end > 76, reader.u32(end - 20) == 0x0706_4B50, reader.u32(end - 76) == 0x0606_4B50, reader.u16(end - 62) >= 45 {
            count = reader.u64(end - 76 + 32)
            directory = reader.u64(end - 76 + 48)
        }
        guard directory <= UInt64(length) else {
            return "the zip central directory is said to start at byte \(directory), beyond the end of the \(length)-byte file (truncated archive?)"
        }
        var position = Int(directory)
        var index: UInt64 = 0
        while index < count {
            guard position <= length - 46, reader.u32(position) == 0x0201_4B50 else {
                return "zip central directory entry \(index + 1) of \(count) is missing at byte \(position) (truncated or corrupt archive)"
            }
            let nameLength = reader.u16(position + 28)
            let recordLength = 46 + nameLength + reader.u16(position + 30) + reader.u16(position + 32)
            guard position + recordLength <= length else {
                return "zip central directory entry \(index + 1) runs past the end of the file (truncated archive?)"
            }
            let name = String(decoding: archive[position + 46..<position + 46 + nameLength], as: UTF8.self)
            if let problem = entryProblem(reader, at: position, name: PickleValue.quoted(name)) {
                return problem
            }
            position += recordLength
            index += 1
        }
        return nil
    }

    /// The problem with the central directory entry at `position`, whose record lies inside the archive.
    private static func entryProblem(_ reader: Reader, at position: Int, name: String) -> String? {
        let length = reader.bytes.count
        guard reader.u16(position + 8) & 1 == 0 else { return "zip entry \(name) is encrypted" }
        let method = reader.u16(position + 10)
        guard method == 0 else { return compressed(name, method: method) }

        let extraStart = position + 46 + reader.u16(position + 28)
        let extra = Reader(bytes: UnsafeRawBufferPointer(rebasing: reader.bytes[extraStart..<extraStart + reader.u16(position + 30)]))
        let small = (uncompressed: reader.u32(position + 24), compressed: reader.u32(position + 20), offset: reader.u32(position + 42))
        let large = zip64Values(in: extra, small: small, diskStart: reader.u16(position + 34))
        // ZIPFoundation takes a ZIP64 value when it has one above zero and the entry counts as ZIP64.
        let isZIP64 = reader.u16(position + 6) & 0xFF >= 45 || large != nil
        func effective(_ value: UInt64, _ zip64: UInt64?) -> UInt64 {
            if isZIP64, let zip64, zip64 > 0 { zip64 } else { value }
        }
        let size = effective(small.uncompressed, large?.uncompressed)
        let compressedSize = effective(small.compressed, large?.compressed)
        let header = effective(small.offset, large?.offset)
        guard compressedSize == size else {
            return "zip entry \(name) is stored, yet declares \(compressedSize) bytes compressed and \(size) uncompressed"
        }
        guard length >= 30, header <= UInt64(length - 30), reader.u32(Int(header)) == 0x0403_4B50 else {
            return "zip entry \(name) has no local header at byte \(header) (truncated or corrupt archive)"
        }
        let local = Int(header)
        let dataStart = local + 30 + reader.u16(local + 26) + reader.u16(local + 28)
        guard dataStart <= length else { return "zip entry \(name)'s local header runs past the end of the file (truncated archive?)" }
        // ZIPFoundation decompresses by the local header's method, so it must agree.
        let localMethod = reader.u16(local + 8)
        guard localMethod == 0 else { return compressed(name, method: localMethod) }
        guard size <= UInt64(length - dataStart) else {
            return "zip entry \(name) declares \(size) bytes, which run past the end of the \(length)-byte file (truncated archive, or a false size)"
        }
        return nil
    }

    private static func compressed(_ name: String, method: Int) -> String {
        "zip entry \(name) is compressed (method \(method)); torch.save stores entries uncompressed, and compressed ones are refused, since they could inflate to far more than the file (re-save the checkpoint with torch.save)"
    }

    /// The ZIP64 extended information as ZIPFoundation reads it: from the first extra field with
    /// id 1, holding 8 bytes for each of the uncompressed size, compressed size and offset whose
    /// 32-bit field is 0xFFFFFFFF, then 4 for a disk number of 0xFFFF, in that order and nothing
    /// else; a value not stored is 0.
    private static func zip64Values(in extra: Reader, small: (uncompressed: UInt64, compressed: UInt64, offset: UInt64), diskStart: Int) -> (uncompressed: UInt64, compressed: UInt64, offset: UInt64)? {
        let present = [small.uncompressed, small.compressed, small.offset].map { $0 == 0xFFFF_FFFF }
        let expectedLength = 8 * present.filter { $0 }.count + (diskStart == 0xFFFF ? 4 : 0)
        var position = 0
        while position < extra.bytes.count - 4 {
            let fieldEnd = position + 4 + extra.u16(position + 2)
            guard fieldEnd <= extra.bytes.count else { return nil }
            if extra.u16(position) == 1 {
                guard fieldEnd - position - 4 == expectedLength else { return nil }
                var next = position + 4
                let values = present.map { isPresent -> UInt64 in
                    guard isPresent else { return 0 }
                    defer { next += 8 }
                    return extra.u64(next)
                }
                return (values[0], values[1], values[2])
            }
            position = fieldEnd
        }
        return nil
    }

    /// Little-endian integers at byte offsets the caller has checked.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer

        func u16(_ offset: Int) -> Int {
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        }

        func u32(_ offset: Int) -> UInt64 {
            UInt64(u16(offset)) | UInt64(u16(offset + 2)) << 16
        }

        func u64(_ offset: Int) -> UInt64 {
            u32(offset) | u32(offset + 4) << 32
        }
    }
}
