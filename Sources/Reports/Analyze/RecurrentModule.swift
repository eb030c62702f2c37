import Sweeps
import TensorIO

/// The recurrent module inside a whole model's state_dict: the prefix (`rnn.`, `encoder.gru.`,
/// or none for a bare `nn.RNN`'s state_dict) under which an nn.RNN, nn.LSTM or nn.GRU keeps its
/// parameters. A prefix is a recurrent module when it has both `weight_ih_l0` and
/// `weight_hh_l0`; the module's tensors are the prefix followed by a parameter name without a
/// dot (`rnn.bias_hh_l1_reverse`), so a module nested inside another (`encoder.rnn.`) is never
/// read as part of its parent (`encoder.`).
struct RecurrentModule {
    /// The module's name as the caller writes it to --module: `rnn`, or "" for the top level.
    let name: String
    /// The module's tensors under their own names (`weight_ih_l0`, …), as StateDictArchitecture reads them.
    let tensors: [String: TypedArray]

    /// The full state_dict name of one of the module's parameters: `rnn.weight_ih_l0`.
    func fullName(_ parameter: String) -> String {
        name.isEmpty ? parameter : "\(name).\(parameter)"
    }

    /// Selects the module `requested` names, or the only one in the file.
    /// - Throws: `AnalysisError` naming the file: no recurrent module, several and none named
    ///   (listing them), or a name that is not one of them.
    init(in weights: WeightsFile, requested: String?, path: String) throws(AnalysisError) {
        let modules = Self.names(in: weights.names)
        let listed = modules.map(Self.display).joined(separator: ", ")
        let chosen: String
        if let requested {
            let name = requested.hasSuffix(".") ? String(requested.dropLast()) : requested
            guard modules.contains(name) else {
                throw AnalysisError("\(path): --module \(Self.display(requested)) is not a recurrent module of this file ("
                                    + "no \(name.isEmpty ? "" : name + ".")weight_ih_l0 beside a weight_hh_l0); "
                                    + (modules.isEmpty ? "it has none" : "its recurrent modules are \(listed)"))
            }
            chosen = name
        } else {
            guard let only = modules.first else {
                let shown = weights.names.prefix(8).joined(separator: ", ") + (weights.names.count > 8 ? ", …" : "")
                throw AnalysisError("\(path): holds no nn.RNN, nn.LSTM or nn.GRU (no weight_ih_l0 beside a weight_hh_l0 "
                                    + "under one prefix); its tensors are \(weights.names.isEmpty ? "none" : shown)")
            }
            guard modules.count == 1 else {
                throw AnalysisError("\(path): holds \(modules.count) recurrent modules, \(listed); "
                                    + "choose one with --module (e.g. --module \(Self.display(only)))")
            }
            chosen = only
        }
        name = chosen
        let prefix = chosen.isEmpty ? "" : chosen + "."
        var tensors: [String: TypedArray] = [:]
        for (fullName, tensor) in weights.tensors where fullName.hasPrefix(prefix) {
            let parameter = String(fullName.dropFirst(prefix.count))
            if ParameterName(parameter) != nil { tensors[parameter] = tensor }
        }
        self.tensors = tensors
    }

    /// Every recurrent module's name, in the order of the names' first appearance.
    static func names(in tensorNames: [String]) -> [String] {
        let all = Set(tensorNames)
        return tensorNames.compactMap { name -> String? in
            guard name == "weight_ih_l0" || name.hasSuffix(".weight_ih_l0") else { return nil }
            let module = String(name.dropLast("weight_ih_l0".count))
            return all.contains(module + "weight_hh_l0") ? String(module.dropLast(module.isEmpty ? 0 : 1)) : nil
        }
    }

    /// A module's name in a message: quoted, the top level by its own words.
    private static func display(_ name: String) -> String {
        name.isEmpty ? "'' (the top level)" : "'\(name)'"
    }
}
