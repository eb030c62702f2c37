extension RecurrentLayer {
    /// Backward over all T steps, the reverse of `forward`: adds into dWeights (W_ih (G·H, I),
    /// W_hh (G·H, H), biases (G·H)) and writes dInput (T·N, I), or adds to it in the reverse
    /// direction, which runs after the forward one. dOutput (T·N, H) is this direction's slice
    /// of the gradient of the layer's output. states (T·N, H), initial (N, H) and input
    /// (T·N, I) are what `forward` read and wrote.
    ///
    /// Per step: dh = dOutput[t] + dhNext and the cell's dz, row by row, then the cell's new
    /// dhNext. Every `chunkSteps` steps, the weight and input gradients of those steps as
    /// single GEMMs: dW_hh += DZᵀ H_prev, dW_ih += DZᵀ X, dX = DZ W_ih, db += Σ dz. So dz needs
    /// only a chunk's rows, not T's, and the chunk is still in cache when the GEMMs read it.
    ///
    /// Gradients are carried in `RowScaling`'s form: on entry the workspace's dhNext (N, H)
    /// holds ∂L/∂h_n's rows scaled by 2^dhExponents[n], on exit ∂L/∂h0's. dInput is left scaled
    /// when it has exponents (for the layer below) and in true values when not. The
    /// workspace's packedWeight receives W_hh packed for the steps.
    func backward(
        _ dInput: MutableScaledRows<Scalar>, dWeights: LayerGradients<Scalar>,
        dOutput: ScaledRows<Scalar>, states: UnsafePointer<Scalar>, initial: UnsafePointer<Scalar>,
        input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        workspace ws: Workspace<Scalar>, recorder: GradientProbeRecorder<Scalar>?
    ) {
        let (steps, batch, hiddenSize, reverse) = (shape.steps, shape.batch, shape.hiddenSize, shape.reverse)
        let (stepSize, width) = (shape.stepSize, gateWidth)
        let (dh, dhNext, dhExponents) = (ws.dh.base, ws.dhNext.base, ws.dhExponents.base)
        let (dzChunk, dzExponents, chunkSteps) = (ws.dz.base, ws.dzExponents.base, ws.chunkSteps)
        let scaledDh = ScaledRows(values: dh, exponents: dhExponents, rowStride: hiddenSize)
        let packedWeight = ws.packedWeight.base
        Scalar.pack(transposeB: false, k: width, n: hiddenSize, b: weights.weightHH, ldb: hiddenSize,
                    into: packedWeight)
        // The chunk holds steps first..<first + count, in time order whichever way the loop runs.
        var first = 0, count = 0
        for step in 0..<steps {
            let t = reverse ? step : steps - 1 - step
            if step % chunkSteps == 0 {
                count = min(chunkSteps, steps - step)
                first = reverse ? t : t + 1 - count
            }
            let dz = dzChunk + (t - first) * batch * width
            for n in 0..<batch {
                let row = n * hiddenSize
                RowScaling.accumulate(dh + row, injected: dOutput.row(t * batch + n),
                                      injectedExponent: dOutput.exponent(ofRow: t * batch + n),
                                      recurrent: dhNext + row, columns: hiddenSize, exponent: &dhExponents[n])
                cell.backward(dz: dz + n * width, dh: dh + row, state: states + t * stepSize + row, shape: shape)
            }
            cell.backwardRecurrence(dhNext: dhNext, dz: dz, packedWeight: packedWeight, shape: shape)
            (dzExponents + (t - first) * batch).update(from: dhExponents, count: batch)
            if let recorder {
                cell.record(into: recorder, time: t, dh: scaledDh,
                            dz: ScaledRows(values: dz, exponents: dhExponents, rowStride: width),
                            previous: shape.previousState(t, states: states, initial: initial))
            }
            let chunkDone = reverse ? t == first + count - 1 : t == first
            if chunkDone {
                chunkGradients(dInput, dWeights: dWeights, states: states, initial: initial, input: input,
                               weights: weights, first: first, count: count, workspace: ws)
            }
        }
    }

    /// The weight, bias and input gradients of the chunk of steps first..<first + count, whose
    /// dz rows (count·N, G·H) the workspace holds scaled by dzExponents (in true values on
    /// return).
    private func chunkGradients(
        _ dInput: MutableScaledRows<Scalar>, dWeights: LayerGradients<Scalar>,
        states: UnsafePointer<Scalar>, initial: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        first: Int, count: Int, workspace ws: Workspace<Scalar>
    ) {
        let (steps, batch, inputSize, reverse) = (shape.steps, shape.batch, shape.inputSize, shape.reverse)
        let (width, rows, offset) = (gateWidth, count * batch, first * batch)
        inputGradient(dInput.dropFirst(offset), weightIH: weights.weightIH, rows: rows, workspace: ws)
        // dz is in true values from here on.
        let dz = ws.dz.base
        Scalar.gemm(transposeA: true, transposeB: false, m: width, n: inputSize, k: rows,
                    alpha: 1, a: dz, lda: width, b: input + offset * inputSize, ldb: inputSize,
                    beta: 1, c: dWeights.dWeightIH, ldc: inputSize)
        if let dBiasIH = dWeights.dBiasIH, let dBiasHH = dWeights.dBiasHH {
            for r in 0..<rows {
                let row = dz + r * width
                for j in 0..<width {
                    dBiasIH[j] += row[j]
                    dBiasHH[j] += row[j]
                }
            }
        }
        // dW_hh += Σ_t dz_tᵀ h_prev(t): the chunk's states before it are one matrix but for
        // the step that reads h0.
        let readsInitial = reverse ? first + count == steps : first == 0
        let inner = readsInitial ? count - 1 : count
        let innerFirst = reverse || !readsInitial ? first : first + 1
        let innerPrevious = states + (reverse ? innerFirst + 1 : innerFirst - 1) * shape.stepSize
        recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (innerFirst - first) * batch * width,
                                previous: innerPrevious, rows: inner * batch)
        if readsInitial {
            let edge = reverse ? steps - 1 : 0
            recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (edge - first) * batch * width,
                                    previous: initial, rows: batch)
        }
    }

    /// dX (rows, I) = DZ W_ih from the chunk's `rows` rows of dz (rows, G·H) in the workspace,
    /// or dX += DZ W_ih in the reverse direction. dz's rows are scaled by dzExponents on entry
    /// and in true values on return. dX's rows take dz's exponents when dX has some (the layer
    /// below continues in scaled form; both directions' rows are brought to a common exponent
    /// first); else dz is unscaled first.
    private func inputGradient(
        _ dInput: MutableScaledRows<Scalar>, weightIH: UnsafePointer<Scalar>, rows: Int, workspace ws: Workspace<Scalar>
    ) {
        let (inputSize, width, accumulate) = (shape.inputSize, gateWidth, shape.reverse)
        let (dz, dzExponents) = (ws.dz.base, ws.dzExponents.base)
        if let dInputExponents = dInput.exponents {
            if accumulate {
                RowScaling.align(dInput.values, firstWidth: inputSize, exponents: dInputExponents,
                                 dz, secondWidth: width, exponents: dzExponents, rows: rows)
            } else {
                dInputExponents.update(from: dzExponents, count: rows)
            }
        } else {
            RowScaling.unscale(dz, width: width, exponents: dzExponents, rows: rows)
        }
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: width,
                    alpha: 1, a: dz, lda: width, b: weightIH, ldb: inputSize,
                    beta: accumulate ? 1 : 0, c: dInput.values, ldc: inputSize)
        // The weight gradients need dz in true values (a no-op when dX did).
        RowScaling.unscale(dz, width: width, exponents: dzExponents, rows: rows)
    }

    /// dW_hh (G·H, H) += DZᵀ H_prev for `rows` rows of dz (in true values) and the states they
    /// read.
    private func recurrentWeightGradient(
        _ dWeightHH: UnsafeMutablePointer<Scalar>, dz: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>,
        rows: Int
    ) {
        guard rows > 0 else { return }
        let (hiddenSize, width) = (shape.hiddenSize, gateWidth)
        Scalar.gemm(transposeA: true, transposeB: false, m: width, n: hiddenSize, k: rows,
                    alpha: 1, a: dz, lda: width, b: previous, ldb: hiddenSize,
                    beta: 1, c: dWeightHH, ldc: hiddenSize)
    }
}
