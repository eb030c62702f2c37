import Recurrence
import Sweeps
import TensorIO

/// Infers an `nn.RNN`'s, `nn.LSTM`'s or `nn.GRU`'s architecture from its state_dict (the
/// recurrent module's tensors under their own names, `RecurrentModule` having taken them out of
/// a whole model's): the cell from weight_hh's rows
/// (H, 3H or 4H per H columns; `weight_hr_*` means an LSTM with a projection), layers from
/// the `_l{k}` suffixes, directions from `_reverse`, bias from `bias_*`, sizes from the
/// shapes. An nn.RNN's nonlinearity is not in a state_dict and comes from the caller.
public enum StateDictArchitecture {
    /// - Parameters:
    ///   - tensors: the module's parameters by their names in the module (`weight_ih_l0`).
    ///   - module: the module's name in the file (`rnn`), which messages put before a tensor's
    ///     name so that it reads as in the file; "" for a bare state_dict.
    ///   - cell: the cell when the caller names it (`--cell`); else read from the shapes.
    /// - Returns: the configuration and the dtype all tensors share.
    /// - Throws: `AnalysisError` naming the file and the tensor that is unexpected, missing,
    ///   of another shape than the architecture implies, or of another dtype.
    public static func infer(
        _ tensors: [String: TypedArray], module: String = "", path: String, cell: RecurrentCellKind? = nil,
        nonlinearity: Nonlinearity, batchFirst: Bool
    ) throws(AnalysisError) -> (RNNConfiguration, DType) {
        func named(_ name: String) -> String { module.isEmpty ? name : "\(module).\(name)" }
        var layerIndices = Set<Int>()
        var bidirectional = false
        var bias = false
        for name in tensors.keys.sorted() {
            guard let parsed = ParameterName(name) else {
                throw AnalysisError("\(path): unexpected tensor '\(named(name))'; an nn.RNN, nn.LSTM or nn.GRU state_dict holds only "
                                    + "weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k} (and _reverse)")
            }
            layerIndices.insert(parsed.layer)
            bidirectional = bidirectional || parsed.reverse
            bias = bias || parsed.isBias
        }
        // Layers must be numbered 0…L−1 with every tensor present; checked before anything is
        // sized by the largest index, which a malformed file could make arbitrarily large.
        let layers = layerIndices.count
        if let missing = (0..<layers).first(where: { !layerIndices.contains($0) }) {
            throw AnalysisError("\(path): layer \(missing) has no tensors, but layer \(layerIndices.max()!) does; "
                                + "layers must be numbered 0…\(layers - 1)")
        }

        guard let weightHH = tensors["weight_hh_l0"] else {
            throw AnalysisError("\(path): missing tensor \(named("weight_hh_l0")) (G·hidden_size × hidden_size)")
        }
        guard let weightIH = tensors["weight_ih_l0"] else {
            throw AnalysisError("\(path): missing tensor \(named("weight_ih_l0")) (G·hidden_size × input_size)")
        }
        guard weightIH.shape.count == 2, weightIH.shape[1] > 0 else {
            throw AnalysisError("\(path): \(named("weight_ih_l0")) must be 2-D (G·hidden_size × input_size), got shape \(weightIH.shape)")
        }
        let shape = try CellShape(weightHH: weightHH.shape, projection: tensors["weight_hr_l0"]?.shape, requested: cell,
                                  path: path)
        var configuration = RNNConfiguration(
            inputSize: weightIH.shape[1], hiddenSize: shape.hiddenSize, numLayers: layers,
            nonlinearity: nonlinearity, bias: bias, batchFirst: batchFirst, bidirectional: bidirectional)
        configuration.cell = shape.cell
        configuration.projSize = shape.projSize
        let layout = ParameterLayout(configuration)
        for entry in layout.entries {
            guard let tensor = tensors[entry.name] else {
                throw AnalysisError("\(path): missing tensor \(named(entry.name)) (expected shape \(entry.shape) for "
                                    + "\(layers) layer(s), \(bidirectional ? "bidirectional" : "unidirectional"), "
                                    + "\(bias ? "with" : "without") bias)")
            }
            guard tensor.shape == entry.shape else {
                throw AnalysisError("\(path): \(named(entry.name)) has shape \(tensor.shape), expected \(entry.shape) "
                                    + "(input_size \(configuration.inputSize), hidden_size \(configuration.hiddenSize))")
            }
        }
        let dtypes = Set(tensors.values.map(\.dtype))
        guard dtypes.count == 1, let dtype = dtypes.first, dtype == .float32 || dtype == .float64 else {
            let listed = tensors.keys.sorted().map { "\(named($0)): \(tensors[$0]!.dtype.safetensorsName)" }
            throw AnalysisError("\(path): parameters must all be F32 or all F64, got \(listed.joined(separator: ", "))")
        }
        return (configuration, dtype)
    }
}

/// A parsed PyTorch RNN parameter name such as `bias_hh_l2_reverse`.
struct ParameterName {
    let isBias: Bool
    let layer: Int
    let reverse: Bool

    init?(_ name: String) {
        var rest = Substring(name)
        if rest.hasSuffix("_reverse") {
            reverse = true
            rest = rest.dropLast("_reverse".count)
        } else {
            reverse = false
        }
        let prefixes = ["weight_ih_l": false, "weight_hh_l": false, "weight_hr_l": false, "bias_ih_l": true, "bias_hh_l": true]
        guard let (prefix, isBias) = prefixes.first(where: { rest.hasPrefix($0.key) }) else { return nil }
        let digits = rest.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let layer = Int(digits), layer >= 0,
              String(layer) == digits else { return nil }
        self.isBias = isBias
        self.layer = layer
    }
}
