import AtomicIO
import Foundation

/// Reads a whole file for the format readers, so that a missing or unreadable file is reported
/// like a malformed one: a `FileFormatError` naming the path, in the system's words.
///
/// (Foundation's `Data(contentsOf:)` would do the reading, but its errors are Cocoa sentences
/// rather than the system's reason.)
enum WholeFile {
    /// The contents of the file at `url`.
    /// - Throws: `FileFormatError` with the path and the reason (no such file, permission denied,
    ///   is a directory, …).
    static func read(_ url: URL) throws(FileFormatError) -> Data {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFormatError.system(path, "cannot open") }
        defer { close(fd) }

        var contents = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileFormatError.system(path, "cannot read")
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[..<count])
        }
    }
}
