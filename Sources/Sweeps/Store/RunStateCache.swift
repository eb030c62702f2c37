import Foundation

/// The states of the run directories one sweep has verified, so that rewriting `runs.csv`
/// after every run hashes only the directories that changed: hashing every run's files
/// (weights of megabytes each) after every run would make a sweep's bookkeeping grow with
/// the square of its size.
///
/// An entry holds while the directory and every file in it keep their inode, size and
/// modification time: publishing a run replaces its directory, and editing or damaging a
/// file changes its modification time, so either is verified again.
final class RunStateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (stamps: [FileStamp], state: RunStore.State)] = [:]

    /// What identifies one version of a file without reading it.
    private struct FileStamp: Equatable {
        let name: String
        let inode: UInt64
        let size: UInt64
        let modified: Date
    }

    /// The directory's state as `RunStore.state(at:)` decides it.
    func state(at directory: URL, in store: RunStore) -> RunStore.State {
        guard let stamps = Self.stamps(directory) else { return store.state(at: directory) }
        lock.lock()
        let cached = entries[directory.path]
        lock.unlock()
        if let cached, cached.stamps == stamps { return cached.state }
        let state = store.state(at: directory)
        // Only what was read from the version stamped: a directory replaced meanwhile is read again next time.
        if Self.stamps(directory) == stamps {
            lock.lock()
            entries[directory.path] = (stamps, state)
            lock.unlock()
        }
        return state
    }

    /// The directory's own stamp, then its files' in name order; nil when it cannot be listed.
    private static func stamps(_ directory: URL) -> [FileStamp]? {
        guard let own = stamp(directory.path, name: ""),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        var stamps = [own]
        for name in names.sorted() {
            guard let file = stamp(directory.appendingPathComponent(name).path, name: name) else { return nil }
            stamps.append(file)
        }
        return stamps
    }

    private static func stamp(_ path: String, name: String) -> FileStamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
              let size = (attributes[.size] as? NSNumber)?.uint64Value,
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return FileStamp(name: name, inode: inode, size: size, modified: modified)
    }
}
