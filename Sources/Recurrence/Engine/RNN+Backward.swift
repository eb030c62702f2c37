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
                    dWeightIH: dTheta + block.weightIH, dWeightHH: dTheta + block.weightHH,
                    dBiasIH: block.biasIH.map { dTheta + $0 }, dBiasHH: block.biasHH.map { dTheta + $0 },
                    dInput: ws.gradientB.base, dInputExponents: layer > 0 ? ws.gradientExponentsB.base : nil,
                    accumulateInput: direction > 0,
                    dh: ws.dh.base, dhNext: ws.dhNext.base, exponents: ws.rowExponents.base,
                    dz: ws.dz.base, dzExponents: ws.dzExponents.base, chunkSteps: ws.chunkSteps,
                    dOutput: dOutput + direction * hiddenSize, dOutputRowStride: width,
                    dOutputExponents: isTop ? nil : UnsafePointer(ws.gradientExponentsA.base),
                    states: states(b), initial: ws.initial[b].base, input: ws.layerInput[layer].base,
                    weightIH: theta + block.weightIH, weightHH: theta + block.weightHH,
                    packedWeight: ws.packedWeight.base, steps: steps, batch: batch, inputSize: inputSize, hiddenSize: hiddenSize,
                    reverse: direction == 1, nonlinearity: config.nonlinearity, recorder: recorder)
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

    /// Backward of one layer in one direction, the reverse of `layerForward`.
    /// Adds into dWeightIH (H, I), dWeightHH (H, H), dBiasIH, dBiasHH (H); writes dInput
    /// (T·N, I) (adds when `accumulateInput`, for the second direction). dOutput (T, N, ·) is
    /// this direction's slice of the gradient of the layer's output, rows `dOutputRowStride`
    /// apart. Per step: dh = dOutput[t] + dhNext; dz = φ′ ⊙ dh; dhNext = dz W_hh. Every
    /// `chunkSteps` steps, the weight and input gradients of those steps as single GEMMs:
    /// dW_hh += DZᵀ H_prev, dW_ih += DZᵀ X, dX = DZ W_ih. So dz needs only a chunk's rows,
    /// not T's, and the chunk is still in cache when the GEMMs read it.
    ///
    /// Gradients are carried in `RowScaling`'s form: on entry dhNext (N, H) holds ∂L/∂h_n's
    /// rows scaled by 2^exponents[n], on exit ∂L/∂h0's; dOutput's rows are scaled by
    /// dOutputExponents (nil: not scaled); dInput is left scaled by dInputExponents when given
    /// (for the layer below) and in true values when nil. packedWeight receives W_hh packed
    /// for the steps.
    static func layerBackward(
        dWeightIH: UnsafeMutablePointer<Scalar>, dWeightHH: UnsafeMutablePointer<Scalar>,
        dBiasIH: UnsafeMutablePointer<Scalar>?, dBiasHH: UnsafeMutablePointer<Scalar>?,
        dInput: UnsafeMutablePointer<Scalar>, dInputExponents: UnsafeMutablePointer<Int>?, accumulateInput: Bool,
        dh: UnsafeMutablePointer<Scalar>, dhNext: UnsafeMutablePointer<Scalar>, exponents: UnsafeMutablePointer<Int>,
        dz: UnsafeMutablePointer<Scalar>, dzExponents: UnsafeMutablePointer<Int>, chunkSteps: Int,
        dOutput: UnsafePointer<Scalar>, dOutputRowStride: Int, dOutputExponents: UnsafePointer<Int>?,
        states: UnsafePointer<Scalar>, initial: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>,
        weightIH: UnsafePointer<Scalar>, weightHH: UnsafePointer<Scalar>, packedWeight: UnsafeMutablePointer<Scalar>,
        steps: Int, batch: Int, inputSize: Int, hiddenSize: Int,
        reverse: Bool, nonlinearity: Nonlinearity, recorder: GradientProbeRecorder<Scalar>?
    ) {
        let stepSize = batch * hiddenSize
        Scalar.pack(transposeB: false, k: hiddenSize, n: hiddenSize, b: weightHH, ldb: hiddenSize, into: packedWeight)
        // The chunk holds steps first..<first + count, in time order whichever way the loop runs.
        var first = 0, count = 0
        for step in 0..<steps {
            let t = reverse ? step : steps - 1 - step
            if step % chunkSteps == 0 {
                count = min(chunkSteps, steps - step)
                first = reverse ? t : t + 1 - count
            }
            let dzStep = dz + (t - first) * stepSize
            for n in 0..<batch {
                let row = n * hiddenSize
                RowScaling.stepBackward(
                    dh: dh + row, dz: dzStep + row, dOut: dOutput + (t * batch + n) * dOutputRowStride,
                    dhNext: dhNext + row, h: states + t * stepSize + row, columns: hiddenSize,
                    exponent: &exponents[n], injectedExponent: dOutputExponents?[t * batch + n] ?? 0, nonlinearity)
                dzExponents[(t - first) * batch + n] = exponents[n]
            }
            recorder?.record(time: t, dh: dh, dz: dzStep, exponents: exponents,
                             previous: Workspace.previousState(t, states: states, initial: initial, steps: steps,
                                                               stepSize: stepSize, reverse: reverse))
            Scalar.gemm(transposeA: false, m: batch, n: hiddenSize, k: hiddenSize,
                        alpha: 1, a: dzStep, lda: hiddenSize, packed: packedWeight,
                        beta: 0, c: dhNext, ldc: hiddenSize)
            let chunkDone = reverse ? t == first + count - 1 : t == first
            guard chunkDone else { continue }
            let offset = first * batch
            chunkGradients(
                dWeightIH: dWeightIH, dBiasIH: dBiasIH, dBiasHH: dBiasHH,
                dInput: dInput + offset * inputSize, dInputExponents: dInputExponents.map { $0 + offset },
                accumulateInput: accumulateInput, dz: dz, dzExponents: dzExponents,
                input: input + offset * inputSize, weightIH: weightIH,
                rows: count * batch, inputSize: inputSize, hiddenSize: hiddenSize)
            // dW_hh += Σ_t dz_tᵀ h_prev(t): the chunk's states before it are one matrix but for
            // the step that reads h0.
            let readsInitial = reverse ? first + count == steps : first == 0
            let inner = readsInitial ? count - 1 : count
            let innerFirst = reverse || !readsInitial ? first : first + 1
            let innerPrevious = states + (reverse ? innerFirst + 1 : innerFirst - 1) * stepSize
            recurrentWeightGradient(dWeightHH, dz: dz + (innerFirst - first) * stepSize, previous: innerPrevious,
                                    rows: inner * batch, hiddenSize: hiddenSize)
            if readsInitial {
                let edge = reverse ? steps - 1 : 0
                recurrentWeightGradient(dWeightHH, dz: dz + (edge - first) * stepSize, previous: initial,
                                        rows: batch, hiddenSize: hiddenSize)
            }
        }
    }

    /// dW_hh += DZᵀ H_prev for `rows` rows of dz (in true values) and the states they read.
    private static func recurrentWeightGradient(
        _ dWeightHH: UnsafeMutablePointer<Scalar>, dz: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>,
        rows: Int, hiddenSize: Int
    ) {
        guard rows > 0 else { return }
        Scalar.gemm(transposeA: true, transposeB: false, m: hiddenSize, n: hiddenSize, k: rows,
                    alpha: 1, a: dz, lda: hiddenSize, b: previous, ldb: hiddenSize,
                    beta: 1, c: dWeightHH, ldc: hiddenSize)
    }

    /// The input gradient and dW_ih, bias gradients of one chunk's `rows` rows of dz (scaled
    /// by dzExponents on entry, in true values on return).
    private static func chunkGradients(
        dWeightIH: UnsafeMutablePointer<Scalar>, dBiasIH: UnsafeMutablePointer<Scalar>?, dBiasHH: UnsafeMutablePointer<Scalar>?,
        dInput: UnsafeMutablePointer<Scalar>, dInputExponents: UnsafeMutablePointer<Int>?, accumulateInput: Bool,
        dz: UnsafeMutablePointer<Scalar>, dzExponents: UnsafeMutablePointer<Int>,
        input: UnsafePointer<Scalar>, weightIH: UnsafePointer<Scalar>,
        rows: Int, inputSize: Int, hiddenSize: Int
    ) {
        if let dInputExponents {
            // The layer below continues in scaled form: dX's rows take dz's exponents (both
            // directions' brought to a common one first).
            if accumulateInput {
                RowScaling.align(dInput, firstWidth: inputSize, exponents: dInputExponents,
                                 dz, secondWidth: hiddenSize, exponents: dzExponents, rows: rows)
            } else {
                dInputExponents.update(from: dzExponents, count: rows)
            }
            inputGradient(dInput, accumulate: accumulateInput, dz: dz, weightIH: weightIH, rows: rows,
                          inputSize: inputSize, hiddenSize: hiddenSize)
            RowScaling.unscale(dz, width: hiddenSize, exponents: dzExponents, rows: rows)
        } else {
            RowScaling.unscale(dz, width: hiddenSize, exponents: dzExponents, rows: rows)
            inputGradient(dInput, accumulate: accumulateInput, dz: dz, weightIH: weightIH, rows: rows,
                          inputSize: inputSize, hiddenSize: hiddenSize)
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: hiddenSize, n: inputSize, k: rows,
                    alpha: 1, a: dz, lda: hiddenSize, b: input, ldb: inputSize,
                    beta: 1, c: dWeightIH, ldc: inputSize)
        if let dBiasIH, let dBiasHH {
            for r in 0..<rows {
                let row = dz + r * hiddenSize
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
