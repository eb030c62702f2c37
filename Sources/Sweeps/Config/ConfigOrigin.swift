import Yams

/// Where a value sits in a config file: the key path as the user wrote it
/// (`sweep.init[2].gain`) and the line and column of the node.
struct ConfigOrigin: Sendable, Equatable {
    let file: String
    let keyPath: String
    let line: Int
    let column: Int

    init(file: String, keyPath: String, mark: Mark?) {
        self.file = file
        self.keyPath = keyPath
        self.line = mark?.line ?? 1
        self.column = mark?.column ?? 1
    }

    /// The origin of a node below this one.
    func child(_ key: String, _ mark: Mark?) -> ConfigOrigin {
        ConfigOrigin(file: file, keyPath: keyPath.isEmpty ? key : keyPath + "." + key, mark: mark)
    }

    func element(_ index: Int, _ mark: Mark?) -> ConfigOrigin {
        ConfigOrigin(file: file, keyPath: keyPath + "[\(index)]", mark: mark)
    }

    func error(_ message: String) -> ConfigError {
        ConfigError(path: file, line: line, column: column, keyPath: keyPath, message: message)
    }
}

extension ConfigOrigin {
    init(file: String, keyPath: String, line: Int, column: Int) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.column = column
    }
}
