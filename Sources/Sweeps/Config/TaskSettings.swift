/// The task of a run (`task:` in a config): its catalog name, the dependency length T and the
/// task's own parameters.
public struct TaskSettings: Equatable, Sendable {
    public var name: String
    public var sequenceLength: Int
    public var parameters: [String: TaskParameter]

    public init(name: String, sequenceLength: Int, parameters: [String: TaskParameter] = [:]) {
        self.name = name
        self.sequenceLength = sequenceLength
        self.parameters = parameters
    }
}
