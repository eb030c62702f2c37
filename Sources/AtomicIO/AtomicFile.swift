import Foundation

/// Writes whole files so that a reader sees either the old file or the complete new one:
/// the bytes go to a temporary file in the same directory, are flushed, and then renamed
/// over the destination. A failure leaves no temporary file behind.
public enum AtomicFile {
    /// Writes `data` to `url` atomically.
    /// - Throws: `FileFormatError` naming the path and the system's reason (missing directory,
    ///   permission, disk full, …).
    public static func write(_ data: Data, to url: URL) throws(FileFormatError) {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileFormatError.system(path, "cannot create file") }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            let complete = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
            guard complete else { throw FileFormatError.system(path, "cannot write") }
            guard fsync(fd) == 0 else { throw FileFormatError.system(path, "cannot flush") }
        }
        guard rename(temporary, path) == 0 else { throw FileFormatError.system(path, "cannot move into place") }
        succeeded = true
    }
}
