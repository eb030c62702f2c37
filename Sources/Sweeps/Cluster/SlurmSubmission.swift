import Foundation

/// Submits a batch script with `sbatch --parsable` and reads back the job id.
public enum SlurmSubmission {
    /// - Parameters:
    ///   - script: the sbatch script.
    ///   - environment: where `PATH` is looked up.
    /// - Returns: the job id as Slurm prints it, without a `;cluster` suffix.
    /// - Throws: `AnalysisError`: sbatch is not on PATH, fails (with its own message), or
    ///   prints no job id.
    public static func submit(_ script: URL, environment: [String: String]) throws(AnalysisError) -> String {
        let searchPath = environment["PATH"] ?? ""
        let candidates = searchPath.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("sbatch") }
        guard let sbatch = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw AnalysisError("sbatch: not found on PATH (\(searchPath)); run this on a Slurm login node, or submit "
                                + "\(script.path) there with sbatch")
        }
        let process = Process()
        process.executableURL = sbatch
        process.arguments = ["--parsable", script.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw AnalysisError("\(sbatch.path): cannot run: \(error.localizedDescription)")
        }
        // Read before waiting, so that a full pipe cannot block sbatch.
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let message = complaint.split(whereSeparator: \.isNewline).joined(separator: "; ")
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw AnalysisError("sbatch --parsable \(script.path) failed (exit status \(process.terminationStatus))"
                                + (message.isEmpty ? "" : ": \(message)"))
        }
        // --parsable prints "<id>" or "<id>;<cluster>".
        let line = printed.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw AnalysisError("sbatch --parsable \(script.path) printed no job id (it printed '\(printed.trimmingCharacters(in: .whitespacesAndNewlines))')")
        }
        return id
    }
}
