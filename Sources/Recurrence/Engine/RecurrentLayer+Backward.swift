extension RecurrentLayer {
    /// Backward over all T steps, the reverse of `forward`: adds into dWeights (W_ih (G·H, I),
    /// W_hh (G·H, S), biases (G·H), W_hr (P, H)) and writes dInput (T·N, I), or adds to it in
    /// the reverse direction, which runs after the forward one; nil skips dX (the first layer's
    /// when the caller does not want ∂L/∂input). dOutput (T·N, S) is this
    /// direction's slice of the gradient of the layer's output. The block's buffers and input
    /// (T·N, I) are what `forward` read and wrote.
    ///
    /// Per step: dh = dOutput[t] + dhNext and the cell's dz, row by row, then the cell's
    /// recurrence into dhNext. Every `chunkSteps` steps, the weight and input gradients of
    /// those steps as single GEMMs: dW_hh += DZ_hᵀ H_prev, dW_ih += DZ_iᵀ X, dX = DZ_i W_ih,
    /// db_hh += Σ dz_h, db_ih += Σ dz_i (the hidden and input sides of dz, see
    /// `RecurrentCell`), and when projecting dW_hr += DHᵀ M, M the unprojected states. So dz
    /// (and dh) need only a chunk's rows, not T's, and the chunk is still in cache when the
    /// GEMMs read it.
    ///
    /// Gradients are carried in `RowScaling`'s form: on entry the workspace's dhNext (N, S)
    /// holds ∂L/∂h_n's rows scaled by 2^dhExponents[n], on exit ∂L/∂h0's; so does dcNext with
    /// ∂L/∂c_n and ∂L/∂c0, in the same scales, for a cell with a cell state. dInput is left
    /// scaled when it has exponents (for the layer below) and in true values when not. The
    /// block's packedWeight receives W_hh packed for the steps, and its packedProjection W_hr.
    func backward(
        _ dInput: MutableScaledRows<Scalar>?, dWeights: LayerGradients<Scalar>,
        dOutput: ScaledRows<Scalar>, block: BlockBuffers<Scalar>, input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        workspace ws: Workspace<Scalar>, recorder: GradientProbeRecorder<Scalar>?
    ) {
        let (steps, batch, hiddenSize, stateSize, reverse) = (shape.steps, shape.batch, shape.hiddenSize,
                                                             shape.stateSize, shape.reverse)
        let width = gradientWidth
        let (dhNext, dcNext, dhExponents) = (ws.dhNext.base, ws.dcNext.base, ws.dhExponents.base)
        let (dzChunk, dzExponents, chunkSteps) = (ws.dz.base, ws.dzExponents.base, ws.chunkSteps)
        Scalar.pack(transposeB: false, k: gateWidth, n: stateSize, b: weights.weightHH, ldb: stateSize,
                    into: block.packedWeight)
        if let weightHR = weights.weightHR {
            Scalar.pack(transposeB: false, k: shape.projectionSize, n: hiddenSize, b: weightHR, ldb: hiddenSize,
                        into: block.packedProjection)
        }
        // The chunk holds steps first..<first + count, in time order whichever way the loop runs.
        var first = 0, count = 0
        for step in 0..<steps {
            let t = reverse ? step : steps - 1 - step
            if step % chunkSteps == 0 {
                count = min(chunkSteps, steps - step)
                first = reverse ? t : t + 1 - count
            }
            let dz = dzChunk + (t - first) * batch * width
            // dW_hr needs every step's dh: a projecting block keeps them for the chunk.
            let dh = shape.projectionSize > 0 ? ws.dhChunk.base + (t - first) * shape.stepSize : ws.dh.base
            let gradients = StepGradients(dh: dh, dhNext: dhNext, dc: ws.dc.base, dcNext: dcNext)
            // A projecting cell's rows need dh W_hr, one product over all N rows: it sums every
            // row first. The others take each row right after summing it, while it is in cache.
            let projects = shape.projectionSize > 0
            for n in 0..<batch {
                accumulate(row: n, step: t, dh: dh, dOutput: dOutput, workspace: ws)
                if !projects { cell.backward(row: n, step: t, dz: dz, gradients, block, shape: shape) }
            }
            if projects {
                cell.backwardProjection(step: t, gradients, block, shape: shape)
                for n in 0..<batch { cell.backward(row: n, step: t, dz: dz, gradients, block, shape: shape) }
            }
            cell.backwardRecurrence(step: t, dz: dz, gradients, block, shape: shape)
            (dzExponents + (t - first) * batch).update(from: dhExponents, count: batch)
            if let recorder {
                recorder.record(time: t, dh: ScaledRows(values: dh, exponents: dhExponents, rowStride: stateSize),
                                dz: ScaledRows(values: dz, exponents: dhExponents, rowStride: width),
                                dc: ScaledRows(values: gradients.dc, exponents: dhExponents, rowStride: hiddenSize),
                                previous: shape.previousState(t, states: block.states, initial: block.initial),
                                gates: block.gates + t * batch * Cell.savedBlocks * hiddenSize)
            }
            let chunkDone = reverse ? t == first + count - 1 : t == first
            if chunkDone {
                chunkGradients(dInput, dWeights: dWeights, block: block, input: input,
                               weights: weights, first: first, count: count, workspace: ws)
            }
        }
        // db_ih's shared columns: the same rows of dz added in the same order as db_hh's, so
        // the same values (both start at zero), summed once (`chunkGradients`).
        if let dBiasIH = dWeights.dBiasIH, let dBiasHH = dWeights.dBiasHH {
            dBiasIH.update(from: dBiasHH, count: sharedWidth)
        }
    }

    /// Row n of dh = dOutput[t] + dhNext in the row's scale (`RowScaling.accumulate`), with the
    /// cell state's carried gradient following its rescaling for a cell that has one.
    @inline(__always)
    private func accumulate(row n: Int, step t: Int, dh: UnsafeMutablePointer<Scalar>, dOutput: ScaledRows<Scalar>,
                            workspace ws: Workspace<Scalar>) {
        let (batch, stateSize, row) = (shape.batch, shape.stateSize, n * shape.stateSize)
        if Cell.hasCellState {
            RowScaling.accumulate(dh + row, injected: dOutput.row(t * batch + n),
                                  injectedExponent: dOutput.exponent(ofRow: t * batch + n),
                                  recurrent: ws.dhNext.base + row, columns: stateSize,
                                  carried: ws.dcNext.base + n * shape.hiddenSize, carriedColumns: shape.hiddenSize,
                                  exponent: &ws.dhExponents.base[n])
        } else {
            RowScaling.accumulate(dh + row, injected: dOutput.row(t * batch + n),
                                  injectedExponent: dOutput.exponent(ofRow: t * batch + n),
                                  recurrent: ws.dhNext.base + row, columns: stateSize,
                                  exponent: &ws.dhExponents.base[n])
        }
    }

    /// A recorder of the backward probes in `options` for this block, reading dz's columns as
    /// this cell lays them out; nil when none is on.
    func recorder(_ options: ProbeOptions, layer: Int, direction: Int) -> GradientProbeRecorder<Scalar>? {
        guard !options.isDisjoint(with: GradientProbeRecorder<Scalar>.backwardProbes) else { return nil }
        let hiddenSize = shape.hiddenSize
        let columns = GradientProbeRecorder<Scalar>.Columns(
            state: shape.stateSize, cell: Cell.hasCellState ? hiddenSize : 0,
            // The gates' pre-activation gradients: the input side (for a split gate its own block).
            preactivations: Cell.splitsLastGate ? [0..<sharedWidth, gateWidth..<gradientWidth] : [0..<gateWidth],
            recurrent: gateWidth,
            gate: Cell.statisticsGate.map { ($0 * hiddenSize..<($0 + 1) * hiddenSize, Cell.savedBlocks * hiddenSize) })
        return GradientProbeRecorder(options, layer: layer, direction: direction, steps: shape.steps,
                                     batch: shape.batch, columns: columns)
    }

    /// The weight, bias and input gradients of the chunk of steps first..<first + count, whose
    /// dz rows (count·N, dz width), and dh rows (count·N, P) when projecting, the workspace
    /// holds scaled by dzExponents (in true values on return).
    ///
    /// The chunk's dz (8 MB for an LSTM at N = 32, H = 128) does not fit in L2, and four
    /// products and the bias sums read it. So they run slab by slab, `gemmDepthBlock` rows at a
    /// time, every reader of a slab while it is in cache. A weight gradient's product over all
    /// the rows adds one partial sum per block of that many rows to each element, in order, so
    /// its slabs, aligned on the same blocks and run in order, give the same bits; dX's and
    /// the bias sums' are row by row anyway.
    private func chunkGradients(
        _ dInput: MutableScaledRows<Scalar>?, dWeights: LayerGradients<Scalar>,
        block: BlockBuffers<Scalar>, input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        first: Int, count: Int, workspace ws: Workspace<Scalar>
    ) {
        let (steps, batch, inputSize, reverse) = (shape.steps, shape.batch, shape.inputSize, shape.reverse)
        let (width, shared, rows, offset) = (gradientWidth, sharedWidth, count * batch, first * batch)
        if let dWeightHR = dWeights.dWeightHR {
            // Before inputGradient resets the exponents that dh's rows share with dz's.
            projectionWeightGradient(dWeightHR, unprojected: block.unprojected + offset * shape.hiddenSize,
                                     rows: rows, workspace: ws)
        }
        // dW_hh += Σ_t dz_tᵀ h_prev(t): the chunk's states before it are one matrix but for
        // the step that reads h0, whose product comes last. Its blocks start where that matrix
        // does, a step after the chunk's first row in the forward direction: it runs a slab
        // behind, on rows already in true values.
        let readsInitial = reverse ? first + count == steps : first == 0
        let innerFirst = reverse || !readsInitial ? first : first + 1
        let inner = (start: (innerFirst - first) * batch, rows: (readsInitial ? count - 1 : count) * batch)
        let innerPrevious = block.states + (reverse ? innerFirst + 1 : innerFirst - 1) * shape.stepSize
        var recurrentDone = 0
        let dz = ws.dz.base
        for slab in stride(from: 0, to: rows, by: gemmDepthBlock) {
            let slabRows = min(gemmDepthBlock, rows - slab)
            let slabDZ = dz + slab * width
            if let dInput {
                inputGradient(dInput.dropFirst(offset + slab), weightIH: weights.weightIH, dz: slabDZ,
                              exponents: ws.dzExponents.base + slab, rows: slabRows)
            } else {
                RowScaling.unscale(slabDZ, width: width, exponents: ws.dzExponents.base + slab, rows: slabRows)
            }
            // The slab's dz is in true values from here on. The input side: the shared columns,
            // then a split gate's own block onto the last gate's rows.
            let slabInput = input + (offset + slab) * inputSize
            Scalar.gemm(transposeA: true, transposeB: false, m: shared, n: inputSize, k: slabRows,
                        alpha: 1, a: slabDZ, lda: width, b: slabInput, ldb: inputSize,
                        beta: 1, c: dWeights.dWeightIH, ldc: inputSize)
            if Cell.splitsLastGate {
                Scalar.gemm(transposeA: true, transposeB: false, m: width - gateWidth, n: inputSize, k: slabRows,
                            alpha: 1, a: slabDZ + gateWidth, lda: width, b: slabInput, ldb: inputSize,
                            beta: 1, c: dWeights.dWeightIH + shared * inputSize, ldc: inputSize)
            }
            if let dBiasIH = dWeights.dBiasIH, let dBiasHH = dWeights.dBiasHH {
                // Row by row, as vector loops (`add`'s maximum is not needed). db_ih's shared
                // columns receive the same sums as db_hh's: `backward` copies them at the end.
                for r in 0..<slabRows {
                    let row = slabDZ + r * width
                    _ = Scalar.add(dBiasIH + shared, dBiasIH + shared, row + gateWidth, count: gateWidth - shared)
                    _ = Scalar.add(dBiasHH, dBiasHH, row, count: gateWidth)
                }
            }
            // Every block of dW_hh's rows that ends within the rows done so far (all of them
            // after the last slab).
            let ready = slab + slabRows
            while recurrentDone < inner.rows {
                let blockRows = min(gemmDepthBlock, inner.rows - recurrentDone)
                guard inner.start + recurrentDone + blockRows <= ready else { break }
                recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (inner.start + recurrentDone) * width,
                                        previous: innerPrevious + recurrentDone * shape.stateSize, rows: blockRows)
                recurrentDone += blockRows
            }
        }
        if readsInitial {
            let edge = reverse ? steps - 1 : 0
            recurrentWeightGradient(dWeights.dWeightHH, dz: dz + (edge - first) * batch * width,
                                    previous: block.initial, rows: batch)
        }
    }

    /// dX (rows, I) = DZ_i W_ih from `rows` rows of dz (rows, dz width), or dX += DZ_i W_ih in
    /// the reverse direction. dz's rows are scaled by `exponents` on entry and in true values
    /// on return. dX's rows take dz's exponents when dX has some (the layer below continues in
    /// scaled form; both directions' rows are brought to a common exponent first); else dz is
    /// unscaled first.
    private func inputGradient(
        _ dInput: MutableScaledRows<Scalar>, weightIH: UnsafePointer<Scalar>, dz: UnsafeMutablePointer<Scalar>,
        exponents dzExponents: UnsafeMutablePointer<Int>, rows: Int
    ) {
        let (inputSize, width, shared, accumulate) = (shape.inputSize, gradientWidth, sharedWidth, shape.reverse)
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
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: shared,
                    alpha: 1, a: dz, lda: width, b: weightIH, ldb: inputSize,
                    beta: accumulate ? 1 : 0, c: dInput.values, ldc: inputSize)
        if Cell.splitsLastGate {
            Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: width - gateWidth,
                        alpha: 1, a: dz + gateWidth, lda: width, b: weightIH + shared * inputSize, ldb: inputSize,
                        beta: 1, c: dInput.values, ldc: inputSize)
        }
        // The weight gradients need dz in true values (a no-op when dX did).
        RowScaling.unscale(dz, width: width, exponents: dzExponents, rows: rows)
    }

    /// dW_hh (G·H, S) += DZ_hᵀ H_prev for `rows` rows of dz (in true values) and the states
    /// they read.
    private func recurrentWeightGradient(
        _ dWeightHH: UnsafeMutablePointer<Scalar>, dz: UnsafePointer<Scalar>, previous: UnsafePointer<Scalar>,
        rows: Int
    ) {
        guard rows > 0 else { return }
        let stateSize = shape.stateSize
        Scalar.gemm(transposeA: true, transposeB: false, m: gateWidth, n: stateSize, k: rows,
                    alpha: 1, a: dz, lda: gradientWidth, b: previous, ldb: stateSize,
                    beta: 1, c: dWeightHH, ldc: stateSize)
    }

    /// dW_hr (P, H) += DHᵀ M for the chunk's `rows` rows of dh (rows, P) in the workspace and
    /// the unprojected states o ⊙ tanh(c_t) they are the gradients of the projections of
    /// (rows, H). dh's rows are brought to true values first, with dz's exponents (the
    /// step's), which are left as they are.
    private func projectionWeightGradient(
        _ dWeightHR: UnsafeMutablePointer<Scalar>, unprojected: UnsafePointer<Scalar>, rows: Int,
        workspace ws: Workspace<Scalar>
    ) {
        let (projectionSize, hiddenSize) = (shape.projectionSize, shape.hiddenSize)
        let (dh, exponents) = (ws.dhChunk.base, ws.dzExponents.base)
        for r in 0..<rows where exponents[r] != 0 {
            RowScaling.scale(dh + r * projectionSize, count: projectionSize, by: exponents[r])
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: projectionSize, n: hiddenSize, k: rows,
                    alpha: 1, a: dh, lda: projectionSize, b: unprojected, ldb: hiddenSize,
                    beta: 1, c: dWeightHR, ldc: hiddenSize)
    }
}
