/// A task that cannot be built: unknown name or parameter, wrong type or out-of-range
/// value. The description is one line naming the task, the parameter and what was expected;
/// the config parser prefixes it with file:line:column and the key path.
public enum TaskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No task has this name; `known` lists the names that exist.
    case unknownTask(name: String, known: [String])
    /// The task has no such parameter; `known` lists the ones it has.
    case unknownParameter(task: String, parameter: String, known: [String])
    /// The value has the wrong type (`expected`: "an integer", "a number").
    case wrongType(task: String, parameter: String, value: TaskParameter, expected: String)
    /// The value is outside the allowed range (`expected`: e.g. "an integer ≥ 2").
    case outOfRange(task: String, parameter: String, value: TaskParameter, expected: String)

    /// The parameter at fault ("sequence_length" for the length), nil for an unknown task.
    public var parameter: String? {
        switch self {
        case .unknownTask: nil
        case .unknownParameter(_, let parameter, _), .wrongType(_, let parameter, _, _),
            .outOfRange(_, let parameter, _, _):
            parameter
        }
    }

    public var description: String {
        switch self {
        case .unknownTask(let name, let known):
            "unknown task \"\(name)\" (expected one of: \(known.joined(separator: ", ")))"
        case .unknownParameter(let task, let parameter, let known):
            "task \"\(task)\" has no parameter \"\(parameter)\" "
                + (known.isEmpty
                    ? "(it takes none besides sequence_length)"
                    : "(expected one of: \(known.joined(separator: ", ")))")
        case .wrongType(let task, let parameter, let value, let expected):
            "task \"\(task)\": \(parameter) must be \(expected), got \(value)"
        case .outOfRange(let task, let parameter, let value, let expected):
            "task \"\(task)\": \(parameter) = \(value) is out of range (expected \(expected))"
        }
    }
}
