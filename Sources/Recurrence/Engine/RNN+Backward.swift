import CKernels

extension RNN {
    /// Backpropagation through time for the last `forward` pass.
    /// - Parameters:
    ///   - gradOutput: ∂L/∂output, shaped as the output.
    ///   - gradFinalState: ∂L/∂h_n, shaped as h_n; zeros when nil.
    ///   - gradFinalCell: ∂L/∂c_n of an LSTM, shaped as c_n; zeros when nil.
    ///   - inputGradient: whether to compute ∂L/∂input. Training does not need it, and skipping
    ///     it saves the first layer's dz W_ih products (1/6 of the FLOPs at I = H); every other
    ///     gradient and probe comes out the same, bit for bit. The layers above the first
    ///     still compute their inputs' gradients, which the layers below need.
    /// - Returns: gradients for every parameter, the input (nil when `inputGradient` is false),
    ///   h0 (and c0), and what the backward probes recorded.
    /// - Throws: `RNNError` if no forward pass came first, a shape does not match it, or
    ///   ∂L/∂c_n is given to a cell without a cell state.
    // Specialized here for both scalars: callers in other modules cannot specialize a generic
    // method, and the unspecialized time loop would run several times slower.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(
        gradOutput: Tensor<Scalar>, gradFinalState: Tensor<Scalar>? = nil, gradFinalCell: Tensor<Scalar>? = nil,
        inputGradient: Bool = true
    ) throws(RNNError) -> RNNGradients<Scalar> {
        guard let pass, let ws = workspace else { throw RNNError("backward: call forward first") }
        let config = configuration
        let steps = pass.steps, batch = pass.batch, layout = pass.layout
        let (hiddenSize, stateSize) = (config.hiddenSize, config.stateSize)
        let directions = config.directions
        let width = directions * stateSize
        let blocks = config.numLayers * directions
        let (rowState, rowCell) = (batch * stateSize, batch * hiddenSize)
        let outputShape = layout.shape(steps: steps, batch: batch, width: width)
        guard gradOutput.shape == outputShape else {
            throw RNNError("grad_output: expected the output's shape \(outputShape), got \(gradOutput.shape)")
        }
        let stateShape = layout == .unbatched ? [blocks, stateSize] : [blocks, batch, stateSize]
        let cellShape = layout == .unbatched ? [blocks, hiddenSize] : [blocks, batch, hiddenSize]
        if let gradFinalState, gradFinalState.shape != stateShape {
            throw RNNError("grad_h_n: expected h_n's shape \(stateShape), got \(gradFinalState.shape)")
        }
        if let gradFinalCell {
            guard config.cell.hasCellState else {
                throw RNNError("grad_c_n: only nn.LSTM has a cell state, not \(config.cell.moduleName)")
            }
            guard gradFinalCell.shape == cellShape else {
                throw RNNError("grad_c_n: expected c_n's shape \(cellShape), got \(gradFinalCell.shape)")
            }
        }

        // The time loop keeps its rows in range (RowScaling), but a product of a tiny weight
        // can still fall below the smallest normal number: such results become 0 instead of
        // subnormals, which would slow every later product by an order of magnitude. Restored
        // on return, so the caller's mode is untouched.
        let floatingPointMode = vanish_enable_flush_to_zero()
        defer { vanish_restore_floating_point_mode(floatingPointMode) }
        // Backward adds into the parameter gradients, in the workspace (see there).
        let dParameters = ws.dParameters.base
        dParameters.update(repeating: 0, count: ws.dParameters.count)
        var dInitial = (state: [Scalar](repeating: 0, count: blocks * rowState),
                        cell: [Scalar](repeating: 0, count: config.cell.hasCellState ? blocks * rowCell : 0))
        let gradFinal = (state: gradFinalState, cell: gradFinalCell)
        let probeRecords = withPinnedArrays(gradOutput: gradOutput.scalars, workspace: ws) { dOutput, theta, outputStates in
            let arrays = (dOutput: dOutput, theta: theta, dTheta: dParameters, outputStates: outputStates)
            // The one switch on the cell's kind: the layers' loops are specialized for each.
            return switch config.cell {
            case .rnn: backwardLayers(ElmanCell(nonlinearity: config.nonlinearity), arrays, gradFinal: gradFinal,
                                      dInitial: &dInitial, layout: layout, inputGradient: inputGradient, workspace: ws)
            case .lstm: backwardLayers(LSTMCell(), arrays, gradFinal: gradFinal,
                                       dInitial: &dInitial, layout: layout, inputGradient: inputGradient, workspace: ws)
            case .gru: backwardLayers(GRUCell(), arrays, gradFinal: gradFinal,
                                      dInitial: &dInitial, layout: layout, inputGradient: inputGradient, workspace: ws)
            }
        }
        let gradInput = inputGradient
            ? Tensor(shape: layout.shape(steps: steps, batch: batch, width: config.inputSize),
                     scalars: layout.fromTimeMajor(ws.dLayerInput.base, steps: steps, batch: batch, width: config.inputSize))
            : nil
        let parameterGradients = ParameterSet(layout: parameters.layout,
                                              storage: Array(UnsafeBufferPointer(start: dParameters, count: ws.dParameters.count)))
        return RNNGradients(parameters: parameterGradients, input: gradInput,
                            initialState: Tensor(shape: stateShape, scalars: dInitial.state),
                            initialCell: config.cell.hasCellState ? Tensor(shape: cellShape, scalars: dInitial.cell) : nil,
                            probes: probeRecords.sorted { ($0.layer, $0.direction) < ($1.layer, $1.direction) })
    }

    /// Calls `body` with stable addresses for the arrays a backward pass reads in place:
    /// ∂L/∂output, the parameters, and the output block's states (see `withStates`). The
    /// parameters stay `[Scalar]`, which optimizers update in place, and pinning them costs
    /// nothing, where copying them into buffers of the engine's own costs a few percent at
    /// large H. (Their gradients are the other way round: see `Workspace.dParameters`.)
    private func withPinnedArrays<R>(
        gradOutput: [Scalar], workspace ws: Workspace<Scalar>,
        _ body: (_ dOutput: UnsafePointer<Scalar>, _ theta: UnsafePointer<Scalar>,
                 _ outputStates: UnsafePointer<Scalar>?) -> R
    ) -> R {
        gradOutput.withUnsafeBufferPointer { dOutput in
            parameters.storage.withUnsafeBufferPointer { theta in
                ws.outputStates.withUnsafeBufferPointer { outputStates in
                    body(dOutput.baseAddress!, theta.baseAddress!, outputStates.baseAddress)
                }
            }
        }
    }

    /// BPTT through every layer of `cell`s of the last forward pass, top to bottom: adds into
    /// the parameter gradients at dTheta, writes ∂L/∂h0 (D·L, N, S) and ∂L/∂c0 (D·L, N, H, for
    /// a cell with a cell state) into dInitial, leaves ∂L/∂input (T, N, I) in the workspace's
    /// dLayerInput when `inputGradient` (else the first layer skips it), and returns what the
    /// probes recorded. Of the pinned arrays, dOutput is
    /// ∂L/∂output in `layout`, outputStates the output block's (T·N, S) states if it has one,
    /// theta the parameters; gradFinal holds ∂L/∂h_n and ∂L/∂c_n (zeros when nil).
    private func backwardLayers<Cell: RecurrentCell>(
        _ cell: Cell,
        _ arrays: (dOutput: UnsafePointer<Scalar>, theta: UnsafePointer<Scalar>,
                   dTheta: UnsafeMutablePointer<Scalar>, outputStates: UnsafePointer<Scalar>?),
        gradFinal: (state: Tensor<Scalar>?, cell: Tensor<Scalar>?), dInitial: inout (state: [Scalar], cell: [Scalar]),
        layout: BatchLayout, inputGradient: Bool, workspace ws: Workspace<Scalar>
    ) -> [GradientProbe] where Cell.Scalar == Scalar {
        let config = configuration
        let (userGradient, theta, dTheta, outputStates) = arrays
        let (steps, batch, directions) = (ws.steps, ws.batch, config.directions)
        let (hiddenSize, stateSize) = (config.hiddenSize, config.stateSize)
        let width = directions * stateSize
        let (rowState, rowCell) = (batch * stateSize, batch * hiddenSize)
        // The top layer reads ∂L/∂output where it is unless its rows are not in time order;
        // it is in true values. Each layer leaves its input gradient in dLayerInput, scaled by
        // row exponents, which becomes the output gradient of the layer below.
        var dOutput = ScaledRows(values: userGradient, exponents: nil, rowStride: width)
        if layout == .batchFirst {
            layout.toTimeMajor(userGradient, ws.dLayerOutput.base, steps: steps, batch: batch, width: width)
            dOutput = ScaledRows(values: ws.dLayerOutput.base, exponents: nil, rowStride: width)
        }
        var probeRecords: [GradientProbe] = []
        for layer in (0..<config.numLayers).reversed() {
            let inputSize = config.layerInputSize(layer)
            // The network's input gradient is returned in true values, when it is asked for.
            let dInput = layer > 0 || inputGradient
                ? MutableScaledRows(values: ws.dLayerInput.base, exponents: layer > 0 ? ws.dLayerInputExponents.base : nil,
                                    rowStride: inputSize)
                : nil
            for direction in 0..<directions {
                let b = layer * directions + direction
                let block = parameters.layout.blocks[b]
                // The carried gradients start as ∂L/∂h_n and ∂L/∂c_n, in true values.
                let dhNext = UnsafeMutableBufferPointer(start: ws.dhNext.base, count: rowState)
                let dcNext = UnsafeMutableBufferPointer(start: ws.dcNext.base, count: Cell.hasCellState ? rowCell : 0)
                for (carried, final) in [(dhNext, gradFinal.state), (dcNext, gradFinal.cell)] {
                    if let final {
                        _ = carried.update(fromContentsOf: final.scalars[b * carried.count..<(b + 1) * carried.count])
                    } else {
                        carried.update(repeating: 0)
                    }
                }
                ws.dhExponents.base.update(repeating: 0, count: batch)
                let shape = LayerShape(config, layer: layer, direction: direction, steps: steps, batch: batch)
                let layerPass = RecurrentLayer(cell: cell, shape: shape)
                let recorder = layerPass.recorder(probes, layer: layer, direction: direction)
                // Backward only reads the states, which the output may share (see `withStates`).
                let states = UnsafeMutablePointer(mutating: ws.states(b, outputStates: outputStates))
                layerPass.backward(
                    dInput, dWeights: LayerGradients(block, in: dTheta),
                    dOutput: dOutput.columns(from: direction * stateSize),
                    block: ws.buffers(b, states: states), input: ws.layerInput[layer].base,
                    weights: LayerWeights(block, in: theta), workspace: ws, recorder: recorder)
                if Cell.hasCellState {
                    // Before dhNext's unscaling sets the exponents they share to 0.
                    for n in 0..<batch {
                        RowScaling.scale(dcNext.baseAddress! + n * hiddenSize, count: hiddenSize, by: ws.dhExponents.base[n])
                    }
                    dInitial.cell.replaceSubrange(b * rowCell..<(b + 1) * rowCell, with: dcNext)
                }
                RowScaling.unscale(ws.dhNext.base, width: stateSize, exponents: ws.dhExponents.base, rows: batch)
                dInitial.state.replaceSubrange(b * rowState..<(b + 1) * rowState, with: dhNext)
                if let recorder { probeRecords.append(recorder.record) }
            }
            guard layer > 0, let dInput else { break }
            if ws.masksApplied {
                let mask = ws.dropoutMask[layer - 1].base
                for i in 0..<steps * batch * inputSize { dInput.values[i] *= mask[i] }
            }
            swap(&ws.dLayerOutput, &ws.dLayerInput)
            swap(&ws.dLayerOutputExponents, &ws.dLayerInputExponents)
            dOutput = ScaledRows(values: ws.dLayerOutput.base, exponents: ws.dLayerOutputExponents.base,
                                 rowStride: width)
        }
        return probeRecords
    }
}
