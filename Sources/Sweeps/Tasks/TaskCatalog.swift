/// Builds a task from its name and parameters, with one-line errors (used by the config
/// parser). Adding a task: implement `SequenceTask`, then add its name, its parameter
/// names and a case in `make`.
public enum TaskCatalog {
    /// Every task name, in documentation order.
    public static let names = ["adding", "copy", "recall", "temporal-order", "delayed-recall"]

    /// The task's own parameter keys besides `sequence_length` (for did-you-mean and docs);
    /// empty for an unknown task.
    public static func parameterNames(of task: String) -> [String] {
        switch task {
        case "copy": ["symbols", "length"]
        case "recall": ["classes", "noise"]
        case "delayed-recall": ["symbols", "length"]
        default: []
        }
    }

    /// Builds a task; parameters left out take their defaults.
    /// - Parameters:
    ///   - name: one of `names`.
    ///   - sequenceLength: the dependency length T (`sequence_length`).
    ///   - parameters: the task's own keys (see `parameterNames(of:)`); integers may be
    ///     given as whole doubles (8.0), numbers as integers.
    /// - Throws: `TaskError` for an unknown name or key, a wrong type or an out-of-range
    ///   value, checked in that order (keys in sorted order).
    public static func make(
        name: String, sequenceLength: Int, parameters: [String: TaskParameter]
    ) throws(TaskError) -> any SequenceTask {
        guard names.contains(name) else { throw .unknownTask(name: name, known: names) }
        let known = parameterNames(of: name)
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownParameter(task: name, parameter: unknown, known: known)
        }
        let values = Values(task: name, parameters: parameters)
        switch name {
        case "adding":
            return try AddingTask(sequenceLength: sequenceLength)
        case "copy":
            let symbols = try values.integer("symbols", default: 8)
            let length = try values.integer("length", default: 10)
            return try CopyTask(sequenceLength: sequenceLength, symbols: symbols, length: length)
        case "recall":
            let classes = try values.integer("classes", default: 4)
            let noise = try values.number("noise", default: RecallTask.defaultNoise)
            return try RecallTask(sequenceLength: sequenceLength, classes: classes, noise: noise)
        case "temporal-order":
            return try TemporalOrderTask(sequenceLength: sequenceLength)
        case "delayed-recall":
            let symbols = try values.integer("symbols", default: 8)
            let length = try values.integer("length", default: 20)
            return try DelayedRecallTask(
                sequenceLength: sequenceLength, symbols: symbols, length: length)
        default:
            preconditionFailure("task \"\(name)\" is in names but has no builder")
        }
    }

    /// Typed reads of the parameters, with defaults.
    private struct Values {
        let task: String
        let parameters: [String: TaskParameter]

        func integer(_ key: String, default value: Int) throws(TaskError) -> Int {
            guard let parameter = parameters[key] else { return value }
            guard let integer = parameter.intValue else {
                throw .wrongType(task: task, parameter: key, value: parameter, expected: "an integer")
            }
            return integer
        }

        func number(_ key: String, default value: Double) throws(TaskError) -> Double {
            guard let parameter = parameters[key] else { return value }
            guard let number = parameter.doubleValue else {
                throw .wrongType(task: task, parameter: key, value: parameter, expected: "a number")
            }
            return number
        }
    }
}
