import Foundation

/// Creates a directory and its parents, as the store needs them.
public enum DirectoryCreation {
    /// - Throws: `FileFormatError` naming the directory and the system's reason ("Read-only
    ///   file system", "No space left on device", …), not Foundation's generic wording.
    public static func create(_ url: URL) throws(FileFormatError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileFormatError(path: url.path, problem: "cannot create directory: \(reason(error))")
        }
    }

    static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}
