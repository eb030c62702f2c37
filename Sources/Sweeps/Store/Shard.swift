/// Which part of a sweep one process runs: shard `index` of `count`, counting from 0 like
/// Slurm's array indices (`--shard K/N`, or `--shard slurm`).
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// - Precondition: `0 ≤ index < count`.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// Reads `K/N`, or `slurm` for `SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT` from
    /// `environment`.
    /// - Throws: `AnalysisError`, one line saying what was given and what is expected.
    public init(parsing text: String, environment: [String: String]) throws(AnalysisError) {
        if text == "slurm" {
            let id = try Self.number("SLURM_ARRAY_TASK_ID", environment)
            let count = try Self.number("SLURM_ARRAY_TASK_COUNT", environment)
            guard count >= 1, id < count else {
                // A resubmitted part of an array (sbatch --array=2) counts only its own tasks.
                throw AnalysisError("--shard slurm: SLURM_ARRAY_TASK_ID=\(id) is not below SLURM_ARRAY_TASK_COUNT=\(count); "
                                    + "slurm counts only the tasks submitted, so give the shard as --shard K/N")
            }
            self.init(index: id, count: count)
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw AnalysisError("--shard '\(text)': expected K/N (shard K of N, K from 0 to N-1, e.g. 0/4) or 'slurm'")
        }
        guard count >= 1 else { throw AnalysisError("--shard \(text): N must be at least 1") }
        guard (0..<count).contains(index) else {
            throw AnalysisError("--shard \(text): K must be from 0 to \(count - 1) (shards count from 0, like Slurm array indices)")
        }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    private static func number(_ name: String, _ environment: [String: String]) throws(AnalysisError) -> Int {
        guard let text = environment[name] else {
            throw AnalysisError("--shard slurm: \(name) is not set (run inside a Slurm job array, or give --shard K/N)")
        }
        guard let value = Int(text), value >= 0 else {
            throw AnalysisError("--shard slurm: \(name)='\(text)' is not a non-negative integer")
        }
        return value
    }
}
