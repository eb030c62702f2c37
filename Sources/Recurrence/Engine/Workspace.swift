/// The activation and scratch buffers of one forward/backward pass, allocated once for a
/// (T, N) and reused while the shape stays the same, so the time loop never allocates.
///
/// Shapes (T time, N batch, I input, H hidden, P projection, S state: P when an LSTM
/// projects, else H; D directions, L layers, G the cell's gates, K its `savedBlocks`):
/// - `hidden[b]` (T, N, S) for block b = layer·D + direction: h_t for t = 0..<T in time order,
///   one (T·N, S) matrix; `initial[b]` (N, S) its h0. A unidirectional network's last block
///   keeps its states in `outputStates` instead, a new array each forward pass, which the
///   returned output shares rather than copies (the user's output is the activation BPTT
///   keeps, as in PyTorch).
/// - `gates[b]` (T, N, K·H): what the cell keeps of each step for backward (empty for K = 0);
///   `cells[b]` (T, N, H) and `initialCells[b]` (N, H): c_t and c0 of a cell with a cell state;
///   `unprojected[b]` (T, N, H): o ⊙ tanh(c_t) of an LSTM that projects (each empty otherwise).
/// - `layerInput[l]` (T, N, I_l): the input of layer l (after dropout for l > 0).
/// - `dropoutMask[l]` (T, N, D·S) for l < L−1: 0 or 1/(1−p) per element.
/// - `packedWeight`: W_hh packed for the time loop's products, forward or backward, and
///   `packedProjection` W_hr when projecting; `scratch` (N, G·H) for a step's intermediate rows.
/// - `dParameters`: the parameter gradients while backward adds into them (as many values as
///   the parameters), copied into the returned gradients at the end. The kernels' 64-byte
///   vectors then meet a cache-aligned, warm matrix rather than a new array each pass, whose
///   fresh pages and 16-byte alignment left the weight gradients' products ~15 % slower at
///   H = 1024.
/// - backward scratch: `dz` (C, N, dz width) for a chunk of C = `chunkSteps` steps (G·H, or
///   (G + 1)·H for a cell that splits its last gate); `dh`, `dhNext` (N, S), and `dc`,
///   `dcNext` (N, H) with a cell state; `dhChunk` (C, N, P), dh of the chunk's steps when
///   projecting; `dLayerOutput`, `dLayerInput` (T, N, max(I, D·S)), the gradients of a layer's
///   output and input, swapped between layers; and the power-of-two exponents of
///   `RowScaling`: `dhExponents` (N) of dh's, dhNext's, dc's and dcNext's rows, `dzExponents`
///   (C·N) of dz's and dhChunk's, and `dLayerOutputExponents`/`dLayerInputExponents` (T·N) of
///   the layer gradients' rows.
///
/// Buffers come zeroed from calloc: pages a pass never touches (a gradient buffer that a
/// one-layer network does not need, say) cost no memory.
final class Workspace<Scalar: RNNScalar> {
    let steps: Int
    let batch: Int
    let hidden: [ScalarBuffer<Scalar>]
    let initial: [ScalarBuffer<Scalar>]
    let gates: [ScalarBuffer<Scalar>]
    let cells: [ScalarBuffer<Scalar>]
    let initialCells: [ScalarBuffer<Scalar>]
    let unprojected: [ScalarBuffer<Scalar>]
    /// The block whose states the output shares, if any.
    let outputBlock: Int?
    var outputStates: [Scalar] = []
    let layerInput: [ScalarBuffer<Scalar>]
    let dropoutMask: [ScalarBuffer<Scalar>]
    /// W_hh (or its transpose) packed for the per-step products, (G·H, S) or (S, G·H) in
    /// `Scalar.pack`'s layout.
    let packedWeight: ScalarBuffer<Scalar>
    /// W_hr (or its transpose) likewise, (P, H) or (H, P).
    let packedProjection: ScalarBuffer<Scalar>
    let scratch: ScalarBuffer<Scalar>
    let dParameters: ScalarBuffer<Scalar>
    let chunkSteps: Int
    let dz: ScalarBuffer<Scalar>
    let dh: ScalarBuffer<Scalar>
    let dhNext: ScalarBuffer<Scalar>
    let dc: ScalarBuffer<Scalar>
    let dcNext: ScalarBuffer<Scalar>
    let dhChunk: ScalarBuffer<Scalar>
    var dLayerOutput: ScalarBuffer<Scalar>
    var dLayerInput: ScalarBuffer<Scalar>
    let dhExponents: ScalarBuffer<Int>
    let dzExponents: ScalarBuffer<Int>
    var dLayerOutputExponents: ScalarBuffer<Int>
    var dLayerInputExponents: ScalarBuffer<Int>
    /// Whether the last forward pass applied dropout masks.
    var masksApplied = false

    /// Buffers for a network of `configuration` made of `Cell`s, run on T steps of N samples.
    init<Cell: RecurrentCell>(_ configuration: RNNConfiguration, cell _: Cell.Type, steps: Int, batch: Int)
    where Cell.Scalar == Scalar {
        let rows = steps * batch
        let (hiddenSize, stateSize, projectionSize) = (configuration.hiddenSize, configuration.stateSize,
                                                       configuration.projSize)
        let width = configuration.directions * stateSize
        let layers = configuration.numLayers
        self.steps = steps
        self.batch = batch
        let blocks = layers * configuration.directions
        outputBlock = configuration.directions == 1 ? blocks - 1 : nil
        hidden = (0..<blocks).map { [outputBlock] in ScalarBuffer(count: $0 == outputBlock ? 0 : rows * stateSize) }
        initial = (0..<blocks).map { _ in ScalarBuffer(count: batch * stateSize) }
        gates = (0..<blocks).map { _ in ScalarBuffer(count: rows * Cell.savedBlocks * hiddenSize) }
        let cellSize = Cell.hasCellState ? hiddenSize : 0
        cells = (0..<blocks).map { _ in ScalarBuffer(count: rows * cellSize) }
        initialCells = (0..<blocks).map { _ in ScalarBuffer(count: batch * cellSize) }
        let unprojectedSize = projectionSize > 0 ? hiddenSize : 0
        unprojected = (0..<blocks).map { _ in ScalarBuffer(count: rows * unprojectedSize) }
        layerInput = (0..<layers).map { ScalarBuffer(count: rows * configuration.layerInputSize($0)) }
        dropoutMask = configuration.dropout > 0 ? (0..<layers - 1).map { _ in ScalarBuffer(count: rows * width) } : []
        let gateWidth = Cell.gateCount * hiddenSize
        packedWeight = ScalarBuffer(count: max(Scalar.packedCount(k: stateSize, n: gateWidth),
                                               Scalar.packedCount(k: gateWidth, n: stateSize)))
        packedProjection = ScalarBuffer(count: projectionSize > 0
            ? max(Scalar.packedCount(k: hiddenSize, n: projectionSize), Scalar.packedCount(k: projectionSize, n: hiddenSize))
            : 0)
        scratch = ScalarBuffer(count: batch * gateWidth)
        dParameters = ScalarBuffer(count: ParameterLayout(configuration).count)
        // Enough rows for the chunk's GEMMs to run at full speed, few enough to stay in cache.
        chunkSteps = min(steps, max(1, 4096 / batch))
        let gradientWidth = Cell.splitsLastGate ? gateWidth + hiddenSize : gateWidth
        dz = ScalarBuffer(count: chunkSteps * batch * gradientWidth)
        dh = ScalarBuffer(count: batch * stateSize)
        dhNext = ScalarBuffer(count: batch * stateSize)
        dc = ScalarBuffer(count: batch * cellSize)
        dcNext = ScalarBuffer(count: batch * cellSize)
        dhChunk = ScalarBuffer(count: chunkSteps * batch * projectionSize)
        let widest = max(configuration.inputSize, width)
        dLayerOutput = ScalarBuffer(count: rows * widest)
        dLayerInput = ScalarBuffer(count: rows * widest)
        dhExponents = ScalarBuffer(count: batch)
        dzExponents = ScalarBuffer(count: chunkSteps * batch)
        dLayerOutputExponents = ScalarBuffer(count: rows)
        dLayerInputExponents = ScalarBuffer(count: rows)
    }

    /// h_t for t = 0..<T of block b, as one (T·N, S) matrix, given the output's states.
    func states(_ block: Int, outputStates: UnsafePointer<Scalar>?) -> UnsafePointer<Scalar> {
        block == outputBlock ? outputStates! : UnsafePointer(hidden[block].base)
    }

    /// Block b's buffers, its states at `states` (T·N, S).
    func buffers(_ block: Int, states: UnsafeMutablePointer<Scalar>) -> BlockBuffers<Scalar> {
        BlockBuffers(states: states, initial: initial[block].base, gates: gates[block].base,
                     cells: cells[block].base, initialCell: initialCells[block].base,
                     unprojected: unprojected[block].base, packedWeight: packedWeight.base,
                     packedProjection: packedProjection.base, scratch: scratch.base)
    }
}
