import Foundation

/// The rule for replacing an output directory: only an earlier result of the same command
/// (or an empty directory) may be replaced, never the working directory, a directory that
/// holds the inputs, or a file.
public enum ResultDirectory {
    /// - Parameters:
    ///   - destination: where the results are to go.
    ///   - inputs: files the command reads, which the destination must not contain.
    ///   - knownFiles: the names a result directory may hold; one of them, `marker`, must be
    ///     there for a non-empty directory to count as a result.
    /// - Throws: `FileFormatError` naming the destination and why it is refused.
    public static func checkReplaceable(_ destination: URL, inputs: [URL], knownFiles: Set<String>,
                                        marker: String) throws(FileFormatError) {
        let path = destination.standardizedFileURL.resolvingSymlinksInPath().path
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .standardizedFileURL.resolvingSymlinksInPath().path
        if contains(path, workingDirectory) {
            throw FileFormatError(path: destination.path, problem: "is the working directory or contains it; choose a new directory for --out")
        }
        for input in inputs where contains(path, input.standardizedFileURL.resolvingSymlinksInPath().path) {
            throw FileFormatError(path: destination.path, problem: "contains the input \(input.path); choose a new directory for --out")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw FileFormatError(path: destination.path, problem: "exists and is a file; choose a new directory for --out")
        }
        let entries = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        guard entries.isEmpty || (entries.contains(marker) && entries.isSubset(of: knownFiles)) else {
            throw FileFormatError(path: destination.path, problem: "exists and is not an earlier result (it holds "
                                + "\(entries.subtracting(knownFiles).sorted().prefix(3).joined(separator: ", "))); "
                                + "choose a new directory for --out or remove it")
        }
    }

    /// Whether `ancestor` is `path` or one of its parent directories.
    private static func contains(_ ancestor: String, _ path: String) -> Bool {
        path == ancestor || path.hasPrefix(ancestor.hasSuffix("/") ? ancestor : ancestor + "/")
    }
}
