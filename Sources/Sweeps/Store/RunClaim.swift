import AtomicIO
import Foundation
import Recurrence

/// An exclusive claim on one run, so that sweeps started side by side on the same store
/// (two shells, or a resubmitted cluster task) never train or publish the same run twice:
/// a lock (`flock`) on `.<run-id>.claim` next to the run directories. The lock dies with
/// its process, so a killed sweep leaves no stale claim behind. Writers of `runs.csv` take
/// turns under a claim of the same kind.
final class RunClaim {
    private let descriptor: Int32
    private var isReleased = false
    let url: URL

    /// Takes the claim, or returns nil when another process (or worker) holds it.
    /// - Throws: `FileFormatError` naming the claim file when it cannot be created (a
    ///   read-only or full store): that is no sign of another holder.
    convenience init?(_ url: URL, holder: String) throws(FileFormatError) {
        let descriptor = try Self.openFile(url)
        guard Self.lock(descriptor), Self.isCurrent(descriptor, url) else {
            close(descriptor)
            return nil
        }
        self.init(holding: descriptor, url: url, holder: holder)
    }

    /// Takes the claim once its holder lets go: for claims held an instant, never for a run's.
    /// - Throws: `FileFormatError` naming the claim file when it cannot be created or locked.
    convenience init(waitingFor url: URL, holder: String) throws(FileFormatError) {
        while true {
            let descriptor = try Self.openFile(url)
            var locked = flock(descriptor, LOCK_EX)
            while locked != 0 && errno == EINTR { locked = flock(descriptor, LOCK_EX) }
            guard locked == 0 else {
                let error = FileFormatError.system(url.path, "cannot lock")
                close(descriptor)
                throw error
            }
            if Self.isCurrent(descriptor, url) {
                self.init(holding: descriptor, url: url, holder: holder)
                return
            }
            close(descriptor)
        }
    }

    private init(holding descriptor: Int32, url: URL, holder: String) {
        self.descriptor = descriptor
        self.url = url
        // Who holds it, for `status`.
        ftruncate(descriptor, 0)
        _ = holder.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    private static func openFile(_ url: URL) throws(FileFormatError) -> Int32 {
        try DirectoryCreation.create(url.deletingLastPathComponent())
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileFormatError.system(url.path, "cannot create the claim file") }
        return descriptor
    }

    /// Gives the claim up; the file goes, so that claims never accumulate. The descriptor is
    /// closed exactly once: a second close could hit a descriptor another thread has since
    /// opened, and silently drop that thread's lock.
    func release() {
        guard !isReleased else { return }
        isReleased = true
        unlink(url.path)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit { release() }

    /// Takes the exclusive lock. `isHeld` (as `status` and staging cleanup ask) holds a
    /// shared lock for an instant; a second try after a moment tells that apart from a
    /// holder, which keeps its lock for the whole run.
    private static func lock(_ descriptor: Int32) -> Bool {
        for attempt in 0..<3 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            if attempt < 2 { usleep(20_000) }
        }
        return false
    }

    /// Whether the locked file is still the one at `url`: a holder removes the file as it
    /// releases, so a lock won on a file already removed claims nothing (whoever created
    /// the new file at that path holds the run).
    private static func isCurrent(_ descriptor: Int32, _ url: URL) -> Bool {
        var opened = stat(), named = stat()
        guard fstat(descriptor, &opened) == 0, stat(url.path, &named) == 0 else { return false }
        return opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
    }

    /// Whether some process holds the claim at `url` now (the file alone proves nothing).
    static func isHeld(_ url: URL) -> Bool {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }
}
