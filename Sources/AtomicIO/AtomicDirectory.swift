import Foundation

/// Publishes a set of files as one directory, all or nothing: the files are written into a
/// hidden staging directory next to the destination, which is then renamed into place. A
/// destination that already exists is replaced only after the new one is complete: an error
/// at any point leaves either the old directory or the complete new one. A process killed
/// between moving the old directory aside and renaming the new one leaves neither in place
/// (both remain as hidden siblings, which the run store removes), never a partial one.
///
/// The hidden siblings are named `.<name>.staging-<host>-<pid>-<random>` and
/// `.<name>.old-<host>-<pid>-<random>`: on storage shared by a cluster's nodes, a pid alone
/// does not say whether its writer is still running.
public enum AtomicDirectory {
    /// - Parameters:
    ///   - files: file names (no subdirectories) and contents.
    ///   - directory: the directory to create or replace.
    /// - Throws: `FileFormatError` naming the path that could not be written.
    public static func write(_ files: [(name: String, data: Data)], to directory: URL) throws(FileFormatError) {
        do {
            try publish(to: directory) { staging in
                for file in files {
                    do throws(FileFormatError) {
                        try AtomicFile.write(file.data, to: staging.appendingPathComponent(file.name))
                    } catch {
                        // Name the file where the user will look for it, not the hidden staging copy.
                        throw FileFormatError(path: directory.appendingPathComponent(file.name).path, problem: error.problem)
                    }
                }
            }
        } catch let error as FileFormatError {
            throw error
        } catch {
            throw FileFormatError(path: directory.path, problem: "\(error)")
        }
    }

    /// Publishes whatever `fill` writes into the staging directory it is given (files and
    /// subdirectories, written plainly: nobody else sees the staging directory), with the
    /// guarantees of `write`. For results of many files, such as a report, where a flush
    /// per file would cost more than the work.
    /// - Throws: what `fill` throws (nothing is published then), or `FileFormatError` naming
    ///   the path that could not be created or moved.
    public static func publish(to directory: URL, _ fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let token = "\(hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).staging-\(token)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw FileFormatError(path: directory.path, problem: "cannot create directory: \(DirectoryCreation.reason(error))")
        }
        var published = false
        defer {
            if !published { try? manager.removeItem(at: staging) }
        }
        try fill(staging)
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

    /// A hidden staging or retired sibling, as its name describes it.
    public struct Leftover: Equatable, Sendable {
        /// The name of the directory it was to become or was replaced.
        public let directory: String
        /// The writer's host; nil in names written before hosts were recorded.
        public let host: String?
        public let pid: Int32
    }

    /// Reads a sibling's name; nil for any other name.
    public static func leftover(named name: String) -> Leftover? {
        guard name.hasPrefix(".") else { return nil }
        for marker in [".staging-", ".old-"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            var token = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            guard token.count >= 2, UInt32(token.removeLast()) != nil, let pid = Int32(token.removeLast()) else { return nil }
            let host = token.isEmpty ? nil : token.joined(separator: "-")
            return Leftover(directory: String(name[name.index(after: name.startIndex)..<range.lowerBound]), host: host, pid: pid)
        }
        return nil
    }

    /// This machine's host name, in the characters a file name may safely hold.
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-")
                ? Character(scalar) : "_"
        }
        return name.isEmpty ? "unknown-host" : String(name)
    }()
}
