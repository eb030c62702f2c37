import Recurrence
import Reports
import Sweeps
import TensorIO
import Testing

@Suite("Architecture from a state_dict")
struct StateDictArchitectureTests {
    private func stateDict(_ configuration: RNNConfiguration, dtype: DType = .float32) -> Safetensors {
        var file = Safetensors()
        for entry in ParameterLayout(configuration).entries {
            let storage: TypedArray.Storage = dtype == .float32
                ? .float32(Array(repeating: 0.1, count: entry.count)) : .float64(Array(repeating: 0.1, count: entry.count))
            file.tensors[entry.name] = TypedArray(shape: entry.shape, storage: storage)
        }
        return file
    }

    private func infer(_ file: Safetensors) throws -> (RNNConfiguration, DType) {
        try StateDictArchitecture.infer(file.tensors, path: "m.safetensors", nonlinearity: .relu, batchFirst: false)
    }

    @Test("layers, directions, bias and sizes", arguments: [
        RNNConfiguration(inputSize: 3, hiddenSize: 7, nonlinearity: .relu),
        RNNConfiguration(inputSize: 2, hiddenSize: 4, numLayers: 3, nonlinearity: .relu, bias: false, bidirectional: true),
    ])
    func infersArchitecture(_ configuration: RNNConfiguration) throws {
        let (inferred, dtype) = try infer(stateDict(configuration, dtype: .float64))
        #expect(inferred == configuration)
        #expect(dtype == .float64)
    }

    @Test("inconsistent state_dicts name the tensor")
    func errors() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 4, numLayers: 2)
        var extra = stateDict(config)
        extra.tensors["fc.weight"] = TypedArray(shape: [1], storage: .float32([1]))
        #expect(throws: AnalysisError("m.safetensors: unexpected tensor 'fc.weight'; an nn.RNN, nn.LSTM or nn.GRU state_dict "
                                      + "holds only weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k} (and _reverse)")) {
            try infer(extra)
        }
        var missing = stateDict(config)
        missing.tensors["bias_hh_l1"] = nil
        #expect(throws: AnalysisError("m.safetensors: missing tensor bias_hh_l1 (expected shape [4] for 2 layer(s), "
                                      + "unidirectional, with bias)")) { try infer(missing) }
        var wrongShape = stateDict(config)
        wrongShape.tensors["weight_ih_l1"] = TypedArray(shape: [4, 3], storage: .float32(Array(repeating: 0, count: 12)))
        #expect(throws: AnalysisError("m.safetensors: weight_ih_l1 has shape [4, 3], expected [4, 4] "
                                      + "(input_size 3, hidden_size 4)")) { try infer(wrongShape) }
        var notSquare = stateDict(config)
        notSquare.tensors["weight_hh_l0"] = TypedArray(shape: [4, 3], storage: .float32(Array(repeating: 0, count: 12)))
        #expect(throws: AnalysisError("m.safetensors: weight_hh_l0 has shape [4, 3], which fits no cell; nn.RNN has weight_hh "
                                      + "(H, H), nn.GRU (3H, H), nn.LSTM (4H, H), or (4H, P) with weight_hr (P, H) when proj_size = P")) {
            try infer(notSquare)
        }
        var mixed = stateDict(config)
        mixed.tensors["bias_ih_l0"] = TypedArray(shape: [4], storage: .float64([0, 0, 0, 0]))
        #expect(throws: AnalysisError.self) { try infer(mixed) }
        #expect(throws: AnalysisError("m.safetensors: missing tensor weight_hh_l0 (G·hidden_size × hidden_size)")) {
            try infer(Safetensors())
        }
    }

    @Test("layer numbers must run 0…L−1: a huge index is refused before anything is sized by it")
    func layerNumbering() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 4, numLayers: 1)
        for index in ["9223372036854775807", "30000000", "2"] {
            var file = stateDict(config)
            file.tensors["bias_hh_l\(index)"] = TypedArray(shape: [4], storage: .float32([0, 0, 0, 0]))
            #expect(throws: AnalysisError.self) { try infer(file) }
        }
        var gap = stateDict(config)
        gap.tensors["weight_hh_l2"] = TypedArray(shape: [4, 4], storage: .float32(Array(repeating: 0, count: 16)))
        #expect(throws: AnalysisError("m.safetensors: layer 1 has no tensors, but layer 2 does; layers must be numbered 0…1")) {
            try infer(gap)
        }
    }
}
