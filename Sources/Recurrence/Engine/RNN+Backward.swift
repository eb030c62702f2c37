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

        // Gradients below the smallest normal number become 0 instead of subnormals, which
        // would slow every later product by an order of magnitude; the log-domain probe keeps
        // their exact size. Restored on return, so the caller's mode is untouched.
        let floatingPointMode = vanish_enable_flush_to_zero()
        defer { vanish_restore_floating_point_mode(floatingPointMode) }
        var gradients = ParameterSet<Scalar>(zerosFor: parameters.layout)
        var gradInitialState = [Scalar](repeating: 0, count: blocks * rowState)
        var probeRecords: [GradientProbe] = []
        gradOutput.scalars.withUnsafeBufferPointer { source in
            layout.toTimeMajor(source.baseAddress!, ws.gradientA.base, steps: steps, batch: batch, width: width)
        }

        parameters.storage.withUnsafeBufferPointer { storage in
            gradients.storage.withUnsafeMutableBufferPointer { gradientStorage in
                let theta = storage.baseAddress!
                let dTheta = gradientStorage.baseAddress!
                // The top layer's output gradient is in gradientA; each layer leaves its
                // input gradient in gradientB, which becomes the next layer's output gradient.
                // The log-domain probe hands its own, never-underflowing copy down alongside.
                var scaledFromAbove: [ScaledRows<Scalar>]?
                for layer in (0..<config.numLayers).reversed() {
                    let inputSize = config.layerInputSize(layer)
                    var scaledHere: [ScaledRows<Scalar>] = []
                    for direction in 0..<directions {
                        let b = layer * directions + direction
                        let reverse = direction == 1
                        let block = parameters.layout.blocks[b]
                        let states = ws.states(b, reverse: reverse, hiddenSize: hiddenSize)
                        ws.dhNext.base.update(repeating: 0, count: rowState)
                        if let gradFinalState {
                            gradFinalState.scalars.withUnsafeBufferPointer {
                                ws.dhNext.base.update(from: $0.baseAddress! + b * rowState, count: rowState)
                            }
                        }
                        let injection: LogDomainGradient<Scalar>.Injection = scaledFromAbove.map { .scaled($0[direction]) }
                            ?? .direct(ws.gradientA.base + direction * hiddenSize, rowStride: width)
                        let recorder = probes.isDisjoint(with: GradientProbeRecorder<Scalar>.backwardProbes) ? nil
                            : GradientProbeRecorder<Scalar>(
                                probes, layer: layer, direction: direction, steps: steps, batch: batch,
                                hiddenSize: hiddenSize, weightHH: theta + block.weightHH, states: states,
                                previous: ws.previousStates(b, reverse: reverse, hiddenSize: hiddenSize),
                                injection: injection, hasLayerBelow: layer > 0, nonlinearity: config.nonlinearity)
                        Self.layerBackward(
                            dWeightIH: dTheta + block.weightIH, dWeightHH: dTheta + block.weightHH,
                            dBiasIH: block.biasIH.map { dTheta + $0 }, dBiasHH: block.biasHH.map { dTheta + $0 },
                            dInput: ws.gradientB.base, accumulateInput: direction > 0,
                            dh: ws.dh.base, dhNext: ws.dhNext.base, dz: ws.dz.base,
                            dOutput: ws.gradientA.base + direction * hiddenSize, dOutputRowStride: width,
                            states: states, previous: ws.previousStates(b, reverse: reverse, hiddenSize: hiddenSize),
                            input: ws.layerInput[layer].base,
                            weightIH: theta + block.weightIH, weightHH: theta + block.weightHH,
                            steps: steps, batch: batch, inputSize: inputSize, hiddenSize: hiddenSize,
                            reverse: reverse, nonlinearity: config.nonlinearity, recorder: recorder)
                        gradInitialState.replaceSubrange(
                            b * rowState..<(b + 1) * rowState,
                            with: UnsafeBufferPointer(start: ws.dhNext.base, count: rowState))
                        if let recorder {
                            probeRecords.append(recorder.record)
                            if let scaled = recorder.scaledPreactivation { scaledHere.append(scaled) }
                        }
                    }
                    scaledFromAbove = scaledHere.count == directions && layer > 0
                        ? ScaledRows.injected(
                            from: scaledHere,
                            weights: (0..<directions).map { theta + parameters.layout.blocks[layer * directions + $0].weightIH },
                            mask: ws.masksApplied ? UnsafePointer(ws.dropoutMask[layer - 1].base) : nil,
                            hiddenSize: hiddenSize)
                        : nil
                    if layer > 0 && ws.masksApplied {
                        let mask = ws.dropoutMask[layer - 1].base
                        for i in 0..<steps * batch * inputSize { ws.gradientB.base[i] *= mask[i] }
                    }
                    swap(&ws.gradientA, &ws.gradientB)
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

    /// Backward of one layer in one direction, the reverse of `layerForward`.
    /// Adds into dWeightIH (H, I), dWeightHH (H, H), dBiasIH, dBiasHH (H); writes dInput
    /// (T·N, I) (adds when `accumulateInput`, for the second direction); on entry dhNext (N, H)
    /// holds ∂L/∂h_n's row, on exit ∂L/∂h0. dOutput (T, N, ·) is this direction's slice of
    /// the gradient of the layer's output, rows `dOutputRowStride` apart. Per step:
    /// dh = dOutput[t] + dhNext; dz = φ′ ⊙ dh; dhNext = dz W_hh. Then the weight gradients of
    /// all steps as single GEMMs: dW_hh += DZᵀ H_prev, dW_ih += DZᵀ X, dX = DZ W_ih.
    static func layerBackward(
        dWeightIH: UnsafeMutablePointer<Scalar>, dWeightHH: UnsafeMutablePointer<Scalar>,
        dBiasIH: UnsafeMutablePointer<Scalar>?, dBiasHH: UnsafeMutablePointer<Scalar>?,
        dInput: UnsafeMutablePointer<Scalar>, accumulateInput: Bool,
        dh: UnsafeMutablePointer<Scalar>, dhNext: UnsafeMutablePointer<Scalar>, dz: UnsafeMutablePointer<Scalar>,
        dOutput: UnsafePointer<Scalar>, dOutputRowStride: Int,
        states: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>,
        weightIH: UnsafePointer<Scalar>, weightHH: UnsafePointer<Scalar>,
        steps: Int, batch: Int, inputSize: Int, hiddenSize: Int,
        reverse: Bool, nonlinearity: Nonlinearity, recorder: GradientProbeRecorder<Scalar>?
    ) {
        let stepSize = batch * hiddenSize
        let rows = steps * batch
        for step in 0..<steps {
            let t = reverse ? step : steps - 1 - step
            let dzStep = dz + t * stepSize
            Scalar.stepBackward(dh: dh, dz: dzStep, dOut: dOutput + t * batch * dOutputRowStride,
                                dOutRowStride: dOutputRowStride, dhNext: dhNext, h: states + t * stepSize,
                                rows: batch, columns: hiddenSize, nonlinearity)
            recorder?.record(time: t, dh: dh, dz: dzStep)
            Scalar.gemm(transposeA: false, transposeB: false, m: batch, n: hiddenSize, k: hiddenSize,
                        alpha: 1, a: dzStep, lda: hiddenSize, b: weightHH, ldb: hiddenSize,
                        beta: 0, c: dhNext, ldc: hiddenSize)
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: hiddenSize, n: hiddenSize, k: rows,
                    alpha: 1, a: dz, lda: hiddenSize, b: previous, ldb: hiddenSize,
                    beta: 1, c: dWeightHH, ldc: hiddenSize)
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
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: hiddenSize,
                    alpha: 1, a: dz, lda: hiddenSize, b: weightIH, ldb: inputSize,
                    beta: accumulateInput ? 1 : 0, c: dInput, ldc: inputSize)
    }
}
