extension RNN {
    /// Runs the network over a sequence, as `output, h_n = rnn(input, h0)`, or for an LSTM
    /// `output, (h_n, c_n) = lstm(input, (h0, c0))`.
    /// - Parameters:
    ///   - input: (T, N, I), (N, T, I) when batch-first, or (T, I) unbatched.
    ///   - initialState: h0, (D·L, N, S) or (D·L, S) unbatched, S the state size (P when the
    ///     LSTM projects, else H); zeros when nil.
    ///   - initialCell: c0 of an LSTM, (D·L, N, H) or (D·L, H) unbatched; zeros when nil.
    ///   - training: applies dropout between layers when the configuration has it.
    /// - Throws: `RNNError` naming the argument whose shape is wrong, or c0 given to a cell
    ///   without a cell state.
    // Specialized here for both scalars: callers in other modules cannot specialize a generic
    // method, and the unspecialized time loop would run several times slower.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(
        _ input: Tensor<Scalar>, initialState: Tensor<Scalar>? = nil, initialCell: Tensor<Scalar>? = nil,
        training: Bool = false
    ) throws(RNNError) -> RNNOutput<Scalar> {
        let (layout, steps, batch) = try inputShape(input)
        let config = configuration
        let (hiddenSize, stateSize) = (config.hiddenSize, config.stateSize)
        let directions = config.directions
        let blocks = config.numLayers * directions
        let stateShape = layout == .unbatched ? [blocks, stateSize] : [blocks, batch, stateSize]
        let cellShape = layout == .unbatched ? [blocks, hiddenSize] : [blocks, batch, hiddenSize]
        if let initialState, initialState.shape != stateShape {
            let size = config.projSize > 0 ? "proj_size" : "hidden_size"
            throw RNNError("h0: expected shape \(stateShape) (D·num_layers, N, \(size)), got \(initialState.shape)")
        }
        if let initialCell {
            guard config.cell.hasCellState else {
                throw RNNError("c0: only nn.LSTM has a cell state, not \(config.cell.moduleName)")
            }
            guard initialCell.shape == cellShape else {
                throw RNNError("c0: expected shape \(cellShape) (D·num_layers, N, hidden_size), got \(initialCell.shape)")
            }
        }
        // The one switch on the cell's kind: the layers' loops are specialized for each.
        let shape = (layout: layout, steps: steps, batch: batch)
        let initial = (state: initialState, cell: initialCell)
        let ws = switch config.cell {
        case .rnn: forwardLayers(ElmanCell(nonlinearity: config.nonlinearity), input, shape, initial, training: training)
        case .lstm: forwardLayers(LSTMCell(), input, shape, initial, training: training)
        case .gru: forwardLayers(GRUCell(), input, shape, initial, training: training)
        }
        let (rowState, rowCell) = (batch * stateSize, batch * hiddenSize)
        let rows = steps * batch
        let width = directions * stateSize
        // The output shares the states of a unidirectional network's last block when they are
        // in its layout.
        let outputScalars = ws.outputBlock != nil && layout != .batchFirst ? ws.outputStates
            : [Scalar](unsafeUninitializedCapacity: rows * width) { buffer, count in
                count = rows * width
                withStates(ws) {
                    interleave(ws, layer: config.numLayers - 1, states: $0, into: buffer.baseAddress!, layout: layout)
                }
            }

        var finalScalars: [Scalar] = []
        var finalCells: [Scalar] = []
        finalScalars.reserveCapacity(blocks * rowState)
        withStates(ws) { states in
            for b in 0..<blocks {
                let shape = LayerShape(config, layer: b / directions, direction: b % directions,
                                       steps: steps, batch: batch)
                finalScalars.append(contentsOf: UnsafeBufferPointer(start: shape.finalState(states(b)), count: rowState))
                if config.cell.hasCellState {
                    finalCells.append(contentsOf: UnsafeBufferPointer(start: shape.finalCell(ws.cells[b].base), count: rowCell))
                }
            }
        }
        let recordsStates = probes.contains(.hiddenStates)
        return RNNOutput(
            output: Tensor(shape: layout.shape(steps: steps, batch: batch, width: width), scalars: outputScalars),
            finalState: Tensor(shape: stateShape, scalars: finalScalars),
            finalCell: config.cell.hasCellState ? Tensor(shape: cellShape, scalars: finalCells) : nil,
            hiddenStates: recordsStates ? withStates(ws) { recordedStates(ws, layout: layout, width: stateSize, $0) } : nil,
            cellStates: recordsStates && config.cell.hasCellState
                ? recordedStates(ws, layout: layout, width: hiddenSize) { UnsafePointer(ws.cells[$0].base) } : nil)
    }

    /// Runs every layer of `cell`s on the input, of T steps of N samples in `layout`, from the
    /// initial h0 and c0 (zeros when nil), leaving the states in the workspace it returns.
    private func forwardLayers<Cell: RecurrentCell>(
        _ cell: Cell, _ input: Tensor<Scalar>, _ shape: (layout: BatchLayout, steps: Int, batch: Int),
        _ initial: (state: Tensor<Scalar>?, cell: Tensor<Scalar>?), training: Bool
    ) -> Workspace<Scalar> where Cell.Scalar == Scalar {
        let config = configuration
        let (layout, steps, batch) = shape
        let ws = workspace(Cell.self, steps: steps, batch: batch)
        pass = ForwardPass(steps: steps, batch: batch, layout: layout)
        let rows = steps * batch
        let width = config.directions * config.stateSize
        input.scalars.withUnsafeBufferPointer { source in
            layout.toTimeMajor(source.baseAddress!, ws.layerInput[0].base, steps: steps, batch: batch, width: config.inputSize)
        }
        ws.masksApplied = training && config.dropout > 0 && config.numLayers > 1
        parameters.storage.withUnsafeBufferPointer { theta in
            for layer in 0..<config.numLayers {
                for direction in 0..<config.directions {
                    forwardBlock(cell, layer: layer, direction: direction, initial,
                                 theta: theta.baseAddress!, workspace: ws)
                }
                guard layer < config.numLayers - 1 else { break }
                let destination = ws.layerInput[layer + 1].base
                interleave(ws, layer: layer, states: { UnsafePointer(ws.hidden[$0].base) }, into: destination, layout: .timeMajor)
                if ws.masksApplied {
                    Dropout.fillMask(ws.dropoutMask[layer].base, count: rows * width,
                                     probability: Scalar(config.dropout), using: &dropoutGenerator)
                    for i in 0..<rows * width { destination[i] *= ws.dropoutMask[layer].base[i] }
                }
            }
        }
        return ws
    }

    /// Runs one layer in one direction: its h0 (N, S) from the initial state (D·L, N, S; zeros
    /// when nil) into the workspace, and c0 (N, H) likewise for a cell with a cell state, then
    /// h_t of every step into its (T·N, S) states, reading the layer's input (T·N, I) from the
    /// workspace and the parameters at `theta`.
    private func forwardBlock<Cell: RecurrentCell>(
        _ cell: Cell, layer: Int, direction: Int, _ initial: (state: Tensor<Scalar>?, cell: Tensor<Scalar>?),
        theta: UnsafePointer<Scalar>, workspace ws: Workspace<Scalar>
    ) where Cell.Scalar == Scalar {
        let b = layer * configuration.directions + direction
        let rowState = ws.batch * configuration.stateSize
        func copy(_ tensor: Tensor<Scalar>?, into buffer: ScalarBuffer<Scalar>, rowSize: Int) {
            let destination = UnsafeMutableBufferPointer(start: buffer.base, count: rowSize)
            if let tensor {
                _ = destination.update(fromContentsOf: tensor.scalars[b * rowSize..<(b + 1) * rowSize])
            } else {
                destination.update(repeating: 0)
            }
        }
        copy(initial.state, into: ws.initial[b], rowSize: rowState)
        if Cell.hasCellState { copy(initial.cell, into: ws.initialCells[b], rowSize: ws.batch * configuration.hiddenSize) }
        let shape = LayerShape(configuration, layer: layer, direction: direction, steps: ws.steps, batch: ws.batch)
        let layerPass = RecurrentLayer(cell: cell, shape: shape)
        let weights = LayerWeights(parameters.layout.blocks[b], in: theta)
        let run = { (states: UnsafeMutablePointer<Scalar>) in
            layerPass.forward(ws.buffers(b, states: states), input: ws.layerInput[layer].base, weights: weights)
        }
        if b == ws.outputBlock {
            // A new array each pass, which the output shares (see Workspace).
            let count = ws.steps * rowState
            ws.outputStates = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
                run(buffer.baseAddress!)
                initialized = count
            }
        } else {
            run(ws.hidden[b].base)
        }
    }

    /// Calls `body` with a function from a block to its (T·N, S) states, valid inside `body`.
    /// Read-only: the output the caller holds shares the output block's states, and writing
    /// would copy them.
    func withStates<R>(_ ws: Workspace<Scalar>, _ body: ((Int) -> UnsafePointer<Scalar>) throws -> R) rethrows -> R {
        try ws.outputStates.withUnsafeBufferPointer { output in
            try body { ws.states($0, outputStates: output.baseAddress) }
        }
    }

    /// Writes layer `layer`'s hidden states of all directions as one (T, N, D·S) tensor in
    /// `layout`, into uninitialized or initialized memory alike (the scalars are trivial).
    private func interleave(_ ws: Workspace<Scalar>, layer: Int, states: (Int) -> UnsafePointer<Scalar>,
                            into destination: UnsafeMutablePointer<Scalar>, layout: BatchLayout) {
        let stateSize = configuration.stateSize
        let directions = configuration.directions
        let width = directions * stateSize
        for direction in 0..<directions {
            let source = states(layer * directions + direction)
            for t in 0..<ws.steps {
                for n in 0..<ws.batch {
                    let row = layout == .batchFirst ? n * ws.steps + t : t * ws.batch + n
                    (destination + row * width + direction * stateSize)
                        .update(from: source + (t * ws.batch + n) * stateSize, count: stateSize)
                }
            }
        }
    }

    /// A state `width` wide of every block, (T·N, width) each from `states`, as
    /// (D·L, T, N, width), or (D·L, T, width) unbatched.
    private func recordedStates(_ ws: Workspace<Scalar>, layout: BatchLayout, width: Int,
                                _ states: (Int) -> UnsafePointer<Scalar>) -> Tensor<Scalar> {
        let blocks = configuration.numLayers * configuration.directions
        let (steps, batch) = (ws.steps, ws.batch)
        let perBlock = steps * batch * width
        var scalars: [Scalar] = []
        scalars.reserveCapacity(blocks * perBlock)
        for b in 0..<blocks { scalars.append(contentsOf: UnsafeBufferPointer(start: states(b), count: perBlock)) }
        let shape = layout == .unbatched ? [blocks, steps, width] : [blocks, steps, batch, width]
        return Tensor(shape: shape, scalars: scalars)
    }

    /// The layout, T and N of an input, or an error naming what is wrong with its shape.
    private func inputShape(_ input: Tensor<Scalar>) throws(RNNError) -> (BatchLayout, steps: Int, batch: Int) {
        let expected = configuration.batchFirst
            ? "(N, T, \(configuration.inputSize)) or (T, \(configuration.inputSize))"
            : "(T, N, \(configuration.inputSize)) or (T, \(configuration.inputSize))"
        guard input.rank == 2 || input.rank == 3 else {
            throw RNNError("input: expected a 2-D or 3-D tensor \(expected), got shape \(input.shape)")
        }
        guard input.shape.last == configuration.inputSize else {
            throw RNNError("input: last dimension must be input_size = \(configuration.inputSize), got shape \(input.shape)")
        }
        let layout: BatchLayout = input.rank == 2 ? .unbatched : (configuration.batchFirst ? .batchFirst : .timeMajor)
        let steps = layout == .batchFirst ? input.shape[1] : input.shape[0]
        let batch = layout == .unbatched ? 1 : (layout == .batchFirst ? input.shape[0] : input.shape[1])
        guard steps >= 1, batch >= 1 else {
            throw RNNError("input: sequence length and batch size must be at least 1, got shape \(input.shape)")
        }
        // BLAS indexes with 32-bit integers: the largest matrix, (T·N) × width, must fit; a gated
        // cell keeps 4·H per sample and step.
        let width = max(configuration.inputSize, configuration.directions * configuration.stateSize,
                        configuration.cell == .rnn ? 0 : 4 * configuration.hiddenSize)
        let (rows, rowOverflow) = steps.multipliedReportingOverflow(by: batch)
        let (elements, overflow) = rows.multipliedReportingOverflow(by: width)
        guard !rowOverflow, !overflow, elements <= Int(Int32.max) else {
            throw RNNError("input: T·N·width = \(steps)·\(batch)·\(width) exceeds BLAS's 32-bit index range; split the batch")
        }
        return (layout, steps, batch)
    }

    /// The workspace of `Cell`s for (T, N), kept from the last pass when the shape is the same.
    private func workspace<Cell: RecurrentCell>(_ cell: Cell.Type, steps: Int, batch: Int) -> Workspace<Scalar>
    where Cell.Scalar == Scalar {
        if let ws = workspace, ws.steps == steps, ws.batch == batch { return ws }
        let ws = Workspace<Scalar>(configuration, cell: cell, steps: steps, batch: batch)
        workspace = ws
        return ws
    }
}
