import COpenBLAS

extension RNN {
    /// Backpropagation through time for the last `forward` pass.
    /// - Parameters:
    ///   - gradOutput: ∂L/∂output, shaped as the output.
    ///   - gradFinalState: ∂L/∂h_n, shaped as h_n; zeros when nil.
    /// - Returns: gradients for every parameter, the input and h0, and what the backward
    ///   probes recorded.
    /// - Throws: `RNNError` if no forward pass came first or a shape does not match it.
    // Specialized here for both scalars: callers in other modules cannot specialize a generic
    // method, and the unspecialized time loop would run several times slower.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(
        gradOutput: Tensor<Scalar>, gradFinalState: Tensor<Scalar>? = nil
    ) throws(RNNError) -> RNNGradients<Scalar> {
        guard let pass, let ws = workspace else { throw RNNError("backward: call forward first") }
        let config = configuration
        let steps = pass.steps, batch = pass.batch, layout = pass.layout
        let hiddenSize = config.hiddenSize
        let directions = config.directions
        let width = directions * hiddenSize
        let blocks = config.numLayers * directions
        let rowState = batch * hiddenSize
        let outputShape = layout.shape(steps: steps, batch: batch, width: width)
        guard gradOutput.shape == outputShape else {
            throw RNNError("grad_output: expected the output's shape \(outputShape), got \(gradOutput.shape)")
        }
        let stateShape = layout == .unbatched ? [blocks, hiddenSize] : [blocks, batch, hiddenSize]
        if let gradFinalState, gradFinalState.shape != stateShape {
            throw RNNError("grad_h_n: expected h_n's shape \(stateShape), got \(gradFinalState.shape)")
        }

        // The time loop keeps its rows in range (RowScaling), but a product of a tiny weight
        // can still fall below the smallest normal number: such results become 0 instead of
        // subnormals, which would slow every later product by an order of magnitude. Restored
        // on return, so the caller's mode is untouched.
        let floatingPointMode = vanish_enable_flush_to_zero()
        defer { vanish_restore_floating_point_mode(floatingPointMode) }
        var gradients = ParameterSet<Scalar>(zerosFor: parameters.layout)
        var gradInitialState = [Scalar](repeating: 0, count: blocks * rowState)
        var probeRecords: [GradientProbe] = []
        gradOutput.scalars.withUnsafeBufferPointer { userGradient in
            // The top layer reads ∂L/∂output where it is unless its rows are not in time order.
            var topGradient = userGradient.baseAddress!
            if layout == .batchFirst {
                layout.toTimeMajor(topGradient, ws.gradientA.base, steps: steps, batch: batch, width: width)
                topGradient = UnsafePointer(ws.gradientA.base)
            }
            withStates(ws) { states in
                parameters.storage.withUnsafeBufferPointer { storage in
                    gradients.storage.withUnsafeMutableBufferPointer { gradientStorage in
                        probeRecords = backwardLayers(
                            ws, states: states, theta: storage.baseAddress!, dTheta: gradientStorage.baseAddress!,
                            topGradient: topGradient, gradFinalState: gradFinalState, gradInitialState: &gradInitialState)
                    }
                }
            }
        }
        let gradInput = Tensor(shape: layout.shape(steps: steps, batch: batch, width: config.inputSize),
                               scalars: layout.fromTimeMajor(ws.gradientA.base, steps: steps, batch: batch,
                                                             width: config.inputSize))
        return RNNGradients(parameters: gradients, input: gradInput,
                            initialState: Tensor(shape: stateShape, scalars: gradInitialState),
                            probes: probeRecords.sorted { ($0.layer, $0.direction) < ($1.layer, $1.direction) })
    }

    /// BPTT through every layer of the last forward pass, top to bottom: adds into the
    /// gradients at dTheta, writes ∂L/∂h0 into gradInitialState, leaves ∂L/∂input in
    /// ws.gradientA, and returns what the probes recorded. topGradient is ∂L/∂output in time
    /// order, in true values; each layer leaves its input gradient in gradientB, scaled by row
    /// exponents, which becomes the next layer's output gradient.
    private func backwardLayers(
        _ ws: Workspace<Scalar>, states: (Int) -> UnsafePointer<Scalar>,
        theta: UnsafePointer<Scalar>, dTheta: UnsafeMutablePointer<Scalar>, topGradient: UnsafePointer<Scalar>,
        gradFinalState: Tensor<Scalar>?, gradInitialState: inout [Scalar]
    ) -> [GradientProbe] {
        let config = configuration
        let (steps, batch, hiddenSize, directions) = (ws.steps, ws.batch, config.hiddenSize, config.directions)
        let width = directions * hiddenSize
        let rowState = batch * hiddenSize
        var probeRecords: [GradientProbe] = []
        for layer in (0..<config.numLayers).reversed() {
            let inputSize = config.layerInputSize(layer)
            let isTop = layer == config.numLayers - 1
            let dOutput = isTop ? topGradient : UnsafePointer(ws.gradientA.base)
            for direction in 0..<directions {
                let b = layer * directions + direction
                let block = parameters.layout.blocks[b]
                ws.dhNext.base.update(repeating: 0, count: rowState)
                ws.dhExponents.base.update(repeating: 0, count: batch)
                if let gradFinalState {
                    gradFinalState.scalars.withUnsafeBufferPointer {
                        ws.dhNext.base.update(from: $0.baseAddress! + b * rowState, count: rowState)
                    }
                }
                let recorder = probes.isDisjoint(with: GradientProbeRecorder<Scalar>.backwardProbes) ? nil
                    : GradientProbeRecorder<Scalar>(probes, layer: layer, direction: direction,
                                                    steps: steps, batch: batch, hiddenSize: hiddenSize)
                let layerPass = RecurrentLayer(
                    cell: cell, shape: LayerShape(config, layer: layer, direction: direction, steps: steps, batch: batch))
                layerPass.backward(
                    MutableScaledRows(values: ws.gradientB.base, exponents: layer > 0 ? ws.gradientExponentsB.base : nil,
                                      rowStride: inputSize),
                    dWeights: LayerGradients(block, in: dTheta),
                    dOutput: ScaledRows(values: dOutput + direction * hiddenSize,
                                        exponents: isTop ? nil : UnsafePointer(ws.gradientExponentsA.base), rowStride: width),
                    states: states(b), initial: ws.initial[b].base, input: ws.layerInput[layer].base,
                    weights: LayerWeights(block, in: theta), workspace: ws, recorder: recorder)
                RowScaling.unscale(ws.dhNext.base, width: hiddenSize, exponents: ws.dhExponents.base, rows: batch)
                gradInitialState.replaceSubrange(
                    b * rowState..<(b + 1) * rowState,
                    with: UnsafeBufferPointer(start: ws.dhNext.base, count: rowState))
                if let recorder { probeRecords.append(recorder.record) }
            }
            if layer > 0 && ws.masksApplied {
                let mask = ws.dropoutMask[layer - 1].base
                for i in 0..<steps * batch * inputSize { ws.gradientB.base[i] *= mask[i] }
            }
            swap(&ws.gradientA, &ws.gradientB)
            swap(&ws.gradientExponentsA, &ws.gradientExponentsB)
        }
        return probeRecords
    }
}
