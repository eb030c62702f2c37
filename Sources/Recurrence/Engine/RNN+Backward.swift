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
                ws.rowExponents.base.update(repeating: 0, count: batch)
                if let gradFinalState {
                    gradFinalState.scalars.withUnsafeBufferPointer {
                        ws.dhNext.base.update(from: $0.baseAddress! + b * rowState, count: rowState)
                    }
                }
                let recorder = probes.isDisjoint(with: GradientProbeRecorder<Scalar>.backwardProbes) ? nil
                    : GradientProbeRecorder<Scalar>(probes, layer: layer, direction: direction,
                                                    steps: steps, batch: batch, hiddenSize: hiddenSize)
                Self.layerBackward(
                    MutableScaledRows(values: ws.gradientB.base, exponents: layer > 0 ? ws.gradientExponentsB.base : nil,
                                      rowStride: inputSize),
                    dWeights: LayerGradients(block, in: dTheta),
                    dOutput: ScaledRows(values: dOutput + direction * hiddenSize,
                                        exponents: isTop ? nil : UnsafePointer(ws.gradientExponentsA.base), rowStride: width),
                    states: states(b), initial: ws.initial[b].base, input: ws.layerInput[layer].base,
                    weights: LayerWeights(block, in: theta),
                    shape: LayerShape(config, layer: layer, direction: direction, steps: steps, batch: batch),
                    nonlinearity: config.nonlinearity, workspace: ws, recorder: recorder)
                RowScaling.unscale(ws.dhNext.base, width: hiddenSize, exponents: ws.rowExponents.base, rows: batch)
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

    /// Backward of one layer in one direction, the reverse of `layerForward`: adds into
    /// dWeights (W_ih (H, I), W_hh (H, H), biases (H)) and writes dInput (T·N, I), or adds to it
    /// in the reverse direction, which runs after the forward one. dOutput (T·N, ·) is this
    /// direction's slice of the gradient of the layer's output. states (T·N, H), initial (N, H)
    /// and input (T·N, I) are what `layerForward` read and wrote.
    ///
    /// Per step: dh = dOutput[t] + dhNext; dz = φ′ ⊙ dh; dhNext = dz W_hh. Every `chunkSteps`
    /// steps, the weight and input gradients of those steps as single GEMMs:
    /// dW_hh += DZᵀ H_prev, dW_ih += DZᵀ X, dX = DZ W_ih. So dz needs only a chunk's rows,
    /// not T's, and the chunk is still in cache when the GEMMs read it.
    ///
    /// Gradients are carried in `RowScaling`'s form: on entry the workspace's dhNext (N, H)
    /// holds ∂L/∂h_n's rows scaled by 2^rowExponents[n], on exit ∂L/∂h0's. dInput is left scaled
    /// when it has exponents (for the layer below) and in true values when not. The
    /// workspace's packedWeight receives W_hh packed for the steps.
    static func layerBackward(
        _ dInput: MutableScaledRows<Scalar>, dWeights: LayerGradients<Scalar>,
        dOutput: ScaledRows<Scalar>, states: UnsafePointer<Scalar>, initial: UnsafePointer<Scalar>,
        input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        shape: LayerShape, nonlinearity: Nonlinearity, workspace ws: Workspace<Scalar>,
        recorder: GradientProbeRecorder<Scalar>?
    ) {
        let (steps, batch, hiddenSize, reverse) = (shape.steps, shape.batch, shape.hiddenSize, shape.reverse)
        let stepSize = shape.stepSize
        let (dz, dh, dhNext, exponents) = (ws.dz.base, ws.dh.base, ws.dhNext.base, ws.rowExponents.base)
        Scalar.pack(transposeB: false, k: hiddenSize, n: hiddenSize, b: weights.weightHH, ldb: hiddenSize,
                    into: ws.packedWeight.base)
        // The chunk holds steps first..<first + count, in time order whichever way the loop runs.
        var first = 0, count = 0
        for step in 0..<steps {
            let t = reverse ? step : steps - 1 - step
            if step % ws.chunkSteps == 0 {
                count = min(ws.chunkSteps, steps - step)
                first = reverse ? t : t + 1 - count
            }
            let dzStep = dz + (t - first) * stepSize
            for n in 0..<batch {
                let row = n * hiddenSize
                RowScaling.stepBackward(
                    dh: dh + row, dz: dzStep + row, dOut: dOutput.row(t * batch + n),
                    dhNext: dhNext + row, h: states + t * stepSize + row, columns: hiddenSize,
                    exponent: &exponents[n], injectedExponent: dOutput.exponent(ofRow: t * batch + n), nonlinearity)
                ws.dzExponents.base[(t - first) * batch + n] = exponents[n]
            }
            recorder?.record(time: t, dh: dh, dz: dzStep, exponents: exponents,
                             previous: shape.previousState(t, states: states, initial: initial))
            Scalar.gemm(transposeA: false, m: batch, n: hiddenSize, k: hiddenSize,
                        alpha: 1, a: dzStep, lda: hiddenSize, packed: ws.packedWeight.base,
                        beta: 0, c: dhNext, ldc: hiddenSize)
            let chunkDone = reverse ? t == first + count - 1 : t == first
            guard chunkDone else { continue }
            let offset = first * batch
            chunkGradients(
                dInput.dropFirst(offset), dWeights: dWeights, accumulateInput: reverse,
                dz: MutableScaledRows(values: dz, exponents: ws.dzExponents.base, rowStride: hiddenSize),
                input: input + offset * shape.inputSize, weights: weights, rows: count * batch, shape: shape)
            // dW_hh += Σ_t dz_tᵀ h_prev(t): the chunk's states before it are one matrix but for
            // the step that reads h0.
            let readsInitial = reverse ? first + count == steps : first == 0
            let inner = readsInitial ? count - 1 : count
            let innerFirst = reverse || !readsInitial ? first : first + 1
            let innerPrevious = states + (reverse ? innerFirst + 1 : innerFirst - 1) * stepSize
            recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (innerFirst - first) * stepSize, previous: innerPrevious,
                                    rows: inner * batch, hiddenSize: hiddenSize)
            if readsInitial {
                let edge = reverse ? steps - 1 : 0
                recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (edge - first) * stepSize, previous: initial,
                                        rows: batch, hiddenSize: hiddenSize)
            }
        }
    }

    /// dW_hh (H, H) += DZᵀ H_prev for `rows` rows of dz (in true values) and the states they read.
    private static func recurrentWeightGradient(
        _ dWeightHH: UnsafeMutablePointer<Scalar>, dz: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>,
        rows: Int, hiddenSize: Int
    ) {
        guard rows > 0 else { return }
        Scalar.gemm(transposeA: true, transposeB: false, m: hiddenSize, n: hiddenSize, k: rows,
                    alpha: 1, a: dz, lda: hiddenSize, b: previous, ldb: hiddenSize,
                    beta: 1, c: dWeightHH, ldc: hiddenSize)
    }

    /// The input gradient dX (rows, I) and dW_ih, bias gradients of one chunk's `rows` rows of
    /// dz (rows, H), scaled on entry and in true values on return. input (rows, I).
    private static func chunkGradients(
        _ dInput: MutableScaledRows<Scalar>, dWeights: LayerGradients<Scalar>, accumulateInput: Bool,
        dz: MutableScaledRows<Scalar>, input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        rows: Int, shape: LayerShape
    ) {
        let (inputSize, hiddenSize) = (shape.inputSize, shape.hiddenSize)
        let dzExponents = dz.exponents!
        if let dInputExponents = dInput.exponents {
            // The layer below continues in scaled form: dX's rows take dz's exponents (both
            // directions' brought to a common one first).
            if accumulateInput {
                RowScaling.align(dInput.values, firstWidth: inputSize, exponents: dInputExponents,
                                 dz.values, secondWidth: hiddenSize, exponents: dzExponents, rows: rows)
            } else {
                dInputExponents.update(from: dzExponents, count: rows)
            }
            inputGradient(dInput.values, accumulate: accumulateInput, dz: dz.values, weightIH: weights.weightIH,
                          rows: rows, inputSize: inputSize, hiddenSize: hiddenSize)
            RowScaling.unscale(dz.values, width: hiddenSize, exponents: dzExponents, rows: rows)
        } else {
            RowScaling.unscale(dz.values, width: hiddenSize, exponents: dzExponents, rows: rows)
            inputGradient(dInput.values, accumulate: accumulateInput, dz: dz.values, weightIH: weights.weightIH,
                          rows: rows, inputSize: inputSize, hiddenSize: hiddenSize)
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: hiddenSize, n: inputSize, k: rows,
                    alpha: 1, a: dz.values, lda: hiddenSize, b: input, ldb: inputSize,
                    beta: 1, c: dWeights.dWeightIH, ldc: inputSize)
        if let dBiasIH = dWeights.dBiasIH, let dBiasHH = dWeights.dBiasHH {
            for r in 0..<rows {
                let row = dz.values + r * hiddenSize
                for j in 0..<hiddenSize {
                    dBiasIH[j] += row[j]
                    dBiasHH[j] += row[j]
                }
            }
        }
    }

    /// dX = DZ W_ih, or dX += DZ W_ih for the second direction.
    private static func inputGradient(
        _ dInput: UnsafeMutablePointer<Scalar>, accumulate: Bool, dz: UnsafePointer<Scalar>,
        weightIH: UnsafePointer<Scalar>, rows: Int, inputSize: Int, hiddenSize: Int
    ) {
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: hiddenSize,
                    alpha: 1, a: dz, lda: hiddenSize, b: weightIH, ldb: inputSize,
                    beta: accumulate ? 1 : 0, c: dInput, ldc: inputSize)
    }
}
