import Foundation
import Recurrence
import TensorIO

/// One PyTorch reference case written by `Tests/Fixtures/make_fixtures.py`: an nn.RNN's in
/// `rnn/`, an nn.LSTM's in `lstm/`, an nn.GRU's in `gru/`.
public struct RNNFixture {
    public let name: String
    public let cell: RecurrentCellKind
    public let file: Safetensors
    public let configuration: RNNConfiguration
    public let isDouble: Bool
    public let isUnbatched: Bool
    public let hasInitialState: Bool

    /// The names of all committed nn.RNN cases.
    public static var allNames: [String] { names(.rnn) }

    /// The names of all committed cases of a cell, in the directory named by its raw value.
    public static func names(_ cell: RecurrentCellKind) -> [String] {
        let directory = fixtureURL(cell.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(".safetensors".count)) }.sorted()
    }

    /// Reads nn.RNN case `name`.
    public init(_ name: String) throws {
        try self.init(name, cell: .rnn)
    }

    /// Reads case `name` of `cell`. The rnn/ files predate the metadata key "cell"; the others
    /// must name the cell of their directory.
    public init(_ name: String, cell: RecurrentCellKind) throws {
        self.name = name
        self.cell = cell
        file = try Safetensors.read(fixtureURL("\(cell.rawValue)/\(name).safetensors"))
        let meta = file.metadata
        func value(_ key: String) throws -> String {
            guard let value = meta[key] else { throw RNNError("\(name): metadata has no \(key)") }
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        if cell != .rnn, try value("cell") != cell.rawValue {
            throw RNNError("\(name): metadata names cell \(try value("cell")), not \(cell.rawValue)")
        }
        configuration = RNNConfiguration(
            inputSize: Int(try value("input_size"))!, hiddenSize: Int(try value("hidden_size"))!,
            numLayers: Int(try value("num_layers"))!,
            nonlinearity: cell == .rnn ? Nonlinearity(rawValue: try value("nonlinearity"))! : .tanh,
            bias: try value("bias") == "true", batchFirst: try value("batch_first") == "true",
            bidirectional: try value("bidirectional") == "true", cell: cell,
            projSize: cell == .lstm ? Int(try value("proj_size"))! : 0)
        isDouble = try value("dtype") == "float64"
        isUnbatched = try value("unbatched") == "true"
        hasInitialState = try value("h0_given") == "true"
    }

    /// The named tensor in the fixture's dtype.
    public func tensor<S: RNNScalar>(_ name: String, as: S.Type = S.self) throws -> Tensor<S> {
        guard let array = file.tensors[name], let tensor = Tensor<S>(array) else {
            throw RNNError("\(self.name): no tensor \(name)")
        }
        return tensor
    }

    /// The fixture's parameters in the engine's layout.
    public func parameters<S: RNNScalar>(as: S.Type = S.self) throws -> ParameterSet<S> {
        var parameters = ParameterSet<S>(zerosFor: ParameterLayout(configuration))
        for name in parameters.names { try parameters.set(name, try tensor(name)) }
        return parameters
    }
}
