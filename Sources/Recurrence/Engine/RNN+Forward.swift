extension RNN {
    /// Runs the network over a sequence, as `output, h_n = rnn(input, h0)`.
    /// - Parameters:
    ///   - input: (T, N, I), (N, T, I) when batch-first, or (T, I) unbatched.
    ///   - initialState: h0, (D·L, N, H) or (D·L, H) unbatched; zeros when nil.
    ///   - training: applies dropout between layers when the configuration has it.
    /// - Throws: `RNNError` naming the argument whose shape is wrong.
    // Specialized here for both scalars: callers in other modules cannot specialize a generic
    // method, and the unspecialized time loop would run several times slower.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(
        _ input: Tensor<Scalar>, initialState: Tensor<Scalar>? = nil, training: Bool = false
    ) throws(RNNError) -> RNNOutput<Scalar> {
        let (layout, steps, batch) = try inputShape(input)
        let config = configuration
        let hiddenSize = config.hiddenSize
        let directions = config.directions
        let blocks = config.numLayers * directions
        let stateShape = layout == .unbatched ? [blocks, hiddenSize] : [blocks, batch, hiddenSize]
        if let initialState, initialState.shape != stateShape {
            throw RNNError("h0: expected shape \(stateShape) (D·num_layers, N, hidden_size), got \(initialState.shape)")
        }
        let ws = workspace(steps: steps, batch: batch)
        pass = ForwardPass(steps: steps, batch: batch, layout: layout)
        let rowState = batch * hiddenSize
        let width = directions * hiddenSize

        input.scalars.withUnsafeBufferPointer { source in
            layout.toTimeMajor(source.baseAddress!, ws.layerInput[0].base, steps: steps, batch: batch, width: config.inputSize)
        }
        ws.masksApplied = training && config.dropout > 0 && config.numLayers > 1
        parameters.storage.withUnsafeBufferPointer { storage in
            let theta = storage.baseAddress!
            for layer in 0..<config.numLayers {
                for direction in 0..<directions {
                    let b = layer * directions + direction
                    let reverse = direction == 1
                    let h0 = ws.initialState(b, reverse: reverse, hiddenSize: hiddenSize)
                    if let initialState {
                        initialState.scalars.withUnsafeBufferPointer { h0.update(from: $0.baseAddress! + b * rowState, count: rowState) }
                    } else {
                        h0.update(repeating: 0, count: rowState)
                    }
                    let block = parameters.layout.blocks[b]
                    Self.layerForward(
                        states: ws.states(b, reverse: reverse, hiddenSize: hiddenSize),
                        previous: ws.previousStates(b, reverse: reverse, hiddenSize: hiddenSize),
                        input: ws.layerInput[layer].base,
                        weightIH: theta + block.weightIH, weightHH: theta + block.weightHH,
                        biasIH: block.biasIH.map { theta + $0 }, biasHH: block.biasHH.map { theta + $0 },
                        steps: steps, batch: batch, inputSize: config.layerInputSize(layer), hiddenSize: hiddenSize,
                        reverse: reverse, nonlinearity: config.nonlinearity)
                }
                let isLast = layer == config.numLayers - 1
                let destination = isLast ? ws.output.base : ws.layerInput[layer + 1].base
                interleave(ws, layer: layer, into: destination)
                if !isLast && ws.masksApplied {
                    Dropout.fillMask(ws.dropoutMask[layer].base, count: steps * batch * width,
                                     probability: Scalar(config.dropout), using: &dropoutGenerator)
                    for i in 0..<steps * batch * width { destination[i] *= ws.dropoutMask[layer].base[i] }
                }
            }
        }

        let output = Tensor(shape: layout.shape(steps: steps, batch: batch, width: width),
                            scalars: layout.fromTimeMajor(ws.output.base, steps: steps, batch: batch, width: width))
        var finalScalars: [Scalar] = []
        finalScalars.reserveCapacity(blocks * rowState)
        for b in 0..<blocks {
            let final = ws.finalState(b, reverse: b % directions == 1, hiddenSize: hiddenSize)
            finalScalars.append(contentsOf: UnsafeBufferPointer(start: final, count: rowState))
        }
        return RNNOutput(output: output, finalState: Tensor(shape: stateShape, scalars: finalScalars),
                         hiddenStates: probes.contains(.hiddenStates) ? recordedHiddenStates(ws, layout: layout) : nil)
    }

    /// Forward of one layer in one direction over all T steps.
    /// states (T·N, H) receives h_t in time order; previous (T·N, H) is the same buffer shifted
    /// by one slot, so that row block t is the state step t reads (h0 at its end for reverse).
    /// input (T·N, I), weightIH (H, I), weightHH (H, H), biases (H).
    static func layerForward(
        states: UnsafeMutablePointer<Scalar>, previous: UnsafePointer<Scalar>,
        input: UnsafePointer<Scalar>,
        weightIH: UnsafePointer<Scalar>, weightHH: UnsafePointer<Scalar>,
        biasIH: UnsafePointer<Scalar>?, biasHH: UnsafePointer<Scalar>?,
        steps: Int, batch: Int, inputSize: Int, hiddenSize: Int,
        reverse: Bool, nonlinearity: Nonlinearity
    ) {
        let rows = steps * batch
        // All steps' input projections at once: Z = X W_ihᵀ, written where h_t will live.
        Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: hiddenSize, k: inputSize,
                    alpha: 1, a: input, lda: inputSize, b: weightIH, ldb: inputSize,
                    beta: 0, c: states, ldc: hiddenSize)
        if let biasIH, let biasHH {
            for r in 0..<rows {
                let row = states + r * hiddenSize
                for j in 0..<hiddenSize { row[j] += biasIH[j] + biasHH[j] }
            }
        }
        let stepSize = batch * hiddenSize
        for step in 0..<steps {
            let t = reverse ? steps - 1 - step : step
            let z = states + t * stepSize
            Scalar.gemm(transposeA: false, transposeB: true, m: batch, n: hiddenSize, k: hiddenSize,
                        alpha: 1, a: previous + t * stepSize, lda: hiddenSize, b: weightHH, ldb: hiddenSize,
                        beta: 1, c: z, ldc: hiddenSize)
            Scalar.activate(z, count: stepSize, nonlinearity)
        }
    }

    /// Writes layer `layer`'s hidden states of all directions as one (T, N, D·H) output.
    private func interleave(_ ws: Workspace<Scalar>, layer: Int, into destination: UnsafeMutablePointer<Scalar>) {
        let hiddenSize = configuration.hiddenSize
        let directions = configuration.directions
        let rows = ws.steps * ws.batch
        for direction in 0..<directions {
            let states = ws.states(layer * directions + direction, reverse: direction == 1, hiddenSize: hiddenSize)
            for r in 0..<rows {
                (destination + r * directions * hiddenSize + direction * hiddenSize)
                    .update(from: states + r * hiddenSize, count: hiddenSize)
            }
        }
    }

    /// h_t of every block as (D·L, T, N, H), or (D·L, T, H) unbatched.
    private func recordedHiddenStates(_ ws: Workspace<Scalar>, layout: BatchLayout) -> Tensor<Scalar> {
        let hiddenSize = configuration.hiddenSize
        let directions = configuration.directions
        let blocks = configuration.numLayers * directions
        let perBlock = ws.steps * ws.batch * hiddenSize
        var scalars: [Scalar] = []
        scalars.reserveCapacity(blocks * perBlock)
        for b in 0..<blocks {
            let states = ws.states(b, reverse: b % directions == 1, hiddenSize: hiddenSize)
            scalars.append(contentsOf: UnsafeBufferPointer(start: states, count: perBlock))
        }
        let shape = layout == .unbatched
            ? [blocks, ws.steps, hiddenSize] : [blocks, ws.steps, ws.batch, hiddenSize]
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
        // BLAS indexes with 32-bit integers: the largest matrix, (T·N) × width, must fit.
        let width = max(configuration.inputSize, configuration.directions * configuration.hiddenSize)
        let (rows, rowOverflow) = steps.multipliedReportingOverflow(by: batch)
        let (elements, overflow) = rows.multipliedReportingOverflow(by: width)
        guard !rowOverflow, !overflow, elements <= Int(Int32.max) else {
            throw RNNError("input: T·N·width = \(steps)·\(batch)·\(width) exceeds BLAS's 32-bit index range; split the batch")
        }
        return (layout, steps, batch)
    }

    /// The workspace for (T, N), kept from the last pass when the shape is the same.
    private func workspace(steps: Int, batch: Int) -> Workspace<Scalar> {
        if let ws = workspace, ws.steps == steps, ws.batch == batch { return ws }
        let ws = Workspace<Scalar>(configuration, steps: steps, batch: batch)
        workspace = ws
        return ws
    }
}
