import Recurrence
import Sweeps
import TensorIO

/// L = loss(fc(output), targets) for the model's own readout, an `nn.Linear` of the same file,
/// as PyTorch computes `F.cross_entropy(fc(output[-1]), y)` or `F.mse_loss(fc(output), y)`.
///
/// The readout and the loss run in Double whatever the model's dtype: the loss and the
/// readout's gradients come out at least as accurate as PyTorch's own, and ∂L/∂output, which
/// backpropagation through time then carries, is rounded once into the model's scalar.
struct ReadoutLoss {
    let settings: LossSettings
    /// K × D·H_out, as `fc.weight`.
    let readout: Linear<Double>
    let hasBias: Bool
    /// The readout's state_dict names, for grads.safetensors and the list of other tensors.
    let weightName: String
    let biasName: String

    /// The readout `settings` names, from the model's file.
    /// - Parameter width: the RNN output's last dimension, D·H_out, which the readout reads.
    /// - Throws: `AnalysisError` naming the file: no `PREFIX.weight`, a weight or bias of another
    ///   shape, or integer values.
    init(_ settings: LossSettings, in weights: WeightsFile, width: Int, path: String) throws(AnalysisError) {
        self.settings = settings
        let (weightName, biasName) = ("\(settings.readout).weight", "\(settings.readout).bias")
        (self.weightName, self.biasName) = (weightName, biasName)
        guard let weight = weights.tensors[weightName] else {
            let candidates = weights.names.filter { $0.hasSuffix(".weight") }.map { String($0.dropLast(".weight".count)) }
            throw AnalysisError("\(path): --readout \(settings.readout): no tensor \(weightName) (an nn.Linear's weight, "
                                + "(K, \(width))); modules with a weight here: "
                                + (candidates.isEmpty ? "none" : candidates.joined(separator: ", ")))
        }
        guard weight.shape.count == 2, weight.shape[0] >= 1, weight.shape[1] == width else {
            throw AnalysisError("\(path): \(weightName) has shape \(weight.shape), expected (K, \(width)): the readout reads "
                                + "the RNN's output, D·H_out = \(width) wide")
        }
        let bias = weights.tensors[biasName]
        if let bias, bias.shape != [weight.shape[0]] {
            throw AnalysisError("\(path): \(biasName) has shape \(bias.shape), expected [\(weight.shape[0])] like \(weightName)'s rows")
        }
        guard let weightValues = Tensor<Double>(weight) else {
            throw AnalysisError("\(path): \(weightName) must hold floats, got \(weight.dtype.npyDescr)")
        }
        let biasValues = try bias.map { array throws(AnalysisError) in
            guard let values = Tensor<Double>(array) else {
                throw AnalysisError("\(path): \(biasName) must hold floats, got \(array.dtype.npyDescr)")
            }
            return values
        } ?? Tensor<Double>(zeros: [weight.shape[0]])
        do {
            readout = try Linear(weight: weightValues, bias: biasValues)
        } catch {
            throw AnalysisError("\(path): \(settings.readout): \(error.message)")
        }
        hasBias = bias != nil
    }

    /// K, the readout's outputs: the classes of cross-entropy, the width of mse's targets.
    var outputCount: Int { readout.outputSize }

    /// The state_dict names of the readout's tensors that are in the file.
    var names: [String] { hasBias ? [weightName, biasName] : [weightName] }

    /// The loss of `output`, ∂L/∂output in its shape, and ∂L/∂weight and ∂L/∂bias by their names.
    /// - Throws: `AnalysisError` only if the targets were not checked against this readout.
    func evaluate<S: RNNScalar>(
        _ output: Tensor<S>, targets: LossTargets, shape: SequenceShape
    ) throws(AnalysisError) -> (loss: Double, gradOutput: Tensor<S>, gradients: [(name: String, array: TypedArray)]) {
        let width = readout.inputSize, classes = readout.outputSize
        let rows = settings.steps == .last ? (0..<shape.batch).map(shape.lastStepRow) : Array(0..<(shape.steps * shape.batch))
        var inputs = [Double](repeating: 0, count: rows.count * width)
        for (i, row) in rows.enumerated() {
            for j in 0..<width { inputs[i * width + j] = Double(output.scalars[row * width + j]) }
        }
        let loss: Double
        var parameterGradients = [Double](repeating: 0, count: readout.storage.count)
        let gradInputs: [Double]
        do {
            let logits = try readout.forward(inputs)
            let gradLogits: [Double]
            switch targets {
            case .classes(let labels):
                // The engine's cross-entropy marks an ignored row with -1.
                let result = try Losses.crossEntropy(
                    logits: logits, labels: labels.map { $0 == LossTargets.ignoredClass ? -1 : $0 }, classes: classes)
                (loss, gradLogits) = (result.loss, result.gradient)
            case .values(let values):
                (loss, gradLogits) = try Losses.meanSquaredError(prediction: logits, target: values)
            }
            gradInputs = try readout.backward(gradLogits, input: inputs, into: &parameterGradients)
        } catch {
            throw AnalysisError("\(settings.targets.path): \(error.message)")
        }

        var gradOutput = Tensor<S>(zeros: output.shape)
        for (i, row) in rows.enumerated() {
            for j in 0..<width { gradOutput.scalars[row * width + j] = S(gradInputs[i * width + j]) }
        }
        func array(_ values: ArraySlice<Double>, _ shape: [Int]) -> TypedArray {
            Tensor<S>(shape: shape, scalars: values.map { S($0) }).typedArray
        }
        var gradients = [(weightName, array(parameterGradients[..<readout.biasOffset], [classes, width]))]
        if hasBias { gradients.append((biasName, array(parameterGradients[readout.biasOffset...], [classes]))) }
        return (loss, gradOutput, gradients)
    }
}
