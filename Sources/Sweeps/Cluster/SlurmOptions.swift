/// The job-array settings of `vanish slurm`, checked.
public struct SlurmOptions: Sendable {
    /// Array tasks, one shard each.
    public var tasks: Int
    /// At most this many tasks at once (`%M`); nil: as many as Slurm allows.
    public var parallel: Int?
    public var partition: String?
    /// The wall-time limit per task, `[D-]HH:MM:SS`.
    public var time: String?
    /// CPUs per task, which is also how many runs a task trains side by side.
    public var cpusPerTask: Int

    public init(tasks: Int, parallel: Int? = nil, partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1) {
        self.tasks = tasks
        self.parallel = parallel
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
    }

    /// The default task count: one task per `cpusPerTask` runs, so that each task keeps its
    /// CPUs busy, and at most 1000 (Slurm's default MaxArraySize allows indices to 1000).
    public static func defaultTasks(runs: Int, cpusPerTask: Int) -> Int {
        let perTask = max(cpusPerTask, 1)
        return max(1, min((runs + perTask - 1) / perTask, 1000))
    }

    /// The first problem with these settings, as one line naming the option; nil when none.
    public var problem: String? {
        if tasks < 1 { return "--tasks must be at least 1, got \(tasks)" }
        if let parallel, parallel < 1 { return "--parallel must be at least 1, got \(parallel)" }
        if cpusPerTask < 1 { return "--cpus-per-task must be at least 1, got \(cpusPerTask)" }
        if let partition, partition.isEmpty || !partition.unicodeScalars.allSatisfy(Self.isPartitionCharacter) {
            return "--partition '\(partition)': expected a partition name (letters, digits, '_', '-', '.'; several separated by ',')"
        }
        if let time, !Self.isValidTime(time) {
            return "--time '\(time)': expected HH:MM:SS or D-HH:MM:SS (minutes and seconds below 60), e.g. 02:30:00"
        }
        return nil
    }

    private static func isPartitionCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.,".unicodeScalars.contains(scalar))
    }

    /// `HH:MM:SS` or `D-HH:MM:SS`: digits only, minutes and seconds below 60, not all zero.
    static func isValidTime(_ text: String) -> Bool {
        var clock = Substring(text)
        var days = 0
        if let dash = text.firstIndex(of: "-") {
            guard let value = Self.number(text[..<dash]) else { return false }
            days = value
            clock = text[text.index(after: dash)...]
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false).map(Self.number)
        guard fields.count == 3, let hours = fields[0], let minutes = fields[1], let seconds = fields[2],
              minutes < 60, seconds < 60 else { return false }
        return days + hours + minutes + seconds > 0
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
