import Foundation
import Recurrence

/// Publishes a set of files as one directory, all or nothing: the files are written into a
/// hidden staging directory next to the destination, which is then renamed into place. A
/// destination that already exists is replaced only after the new one is complete: an error
/// at any point leaves either the old directory or the complete new one. A process killed
/// between moving the old directory aside and renaming the new one leaves neither in place
/// (both remain as hidden siblings, which the run store removes), never a partial one.
public enum AtomicDirectory {
    /// - Parameters:
    ///   - files: file names (no subdirectories) and contents.
    ///   - directory: the directory to create or replace.
    /// - Throws: `FileFormatError` naming the path that could not be written.
    public static func write(_ files: [(name: String, data: Data)], to directory: URL) throws(FileFormatError) {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).staging-\(token)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw FileFormatError(path: directory.path, problem: "cannot create directory: \(reason(error))")
        }
        var published = false
        defer {
            if !published { try? manager.removeItem(at: staging) }
        }
        for file in files {
            do {
                try AtomicFile.write(file.data, to: staging.appendingPathComponent(file.name))
            } catch {
                // Name the file where the user will look for it, not the hidden staging copy.
                throw FileFormatError(path: directory.appendingPathComponent(file.name).path, problem: error.problem)
            }
        }
        let retired = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(token)")
        let replacing = manager.fileExists(atPath: directory.path)
        if replacing {
            guard rename(directory.path, retired.path) == 0 else {
                throw FileFormatError.system(directory.path, "cannot replace directory")
            }
        }
        guard rename(staging.path, directory.path) == 0 else {
            let error = FileFormatError.system(directory.path, "cannot move directory into place")
            if replacing { rename(retired.path, directory.path) }
            throw error
        }
        published = true
        if replacing { try? manager.removeItem(at: retired) }
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}
