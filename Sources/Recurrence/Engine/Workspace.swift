/// The activation and scratch buffers of one forward/backward pass, allocated once for a
/// (T, N) and reused while the shape stays the same, so the time loop never allocates.
///
/// Shapes (T time, N batch, I input, H hidden, D directions, L layers):
/// - `hidden[b]` (T+1, N, H) for block b = layer·D + direction. The forward direction keeps
///   h0 in slot 0 and h_t in slot t+1; the reverse direction keeps h_t in slot t and h0 in
///   slot T. Either way h_t for t = 0..<T is one contiguous (T·N, H) matrix in time order, and
///   so is the matrix of the states each step read (`previousStates`).
/// - `layerInput[l]` (T, N, I_l): the input of layer l (after dropout for l > 0).
/// - `dropoutMask[l]` (T, N, D·H) for l < L−1: 0 or 1/(1−p) per element.
/// - `output` (T, N, D·H): the last layer's output.
/// - backward scratch: `dz` (C, N, H) for a chunk of C = `chunkSteps` steps; `dh`, `dhNext` (N, H); `gradientA`, `gradientB`
///   (T, N, max(I, D·H)), swapped between layers; and the power-of-two exponents of
///   `RowScaling`: `rowExponents` (N) of dhNext's rows, `dzExponents` (C·N) and
///   `gradientExponentsA`/`B` (T·N) of dz's and the gradient buffers' rows.
final class Workspace<Scalar: RNNScalar> {
    let steps: Int
    let batch: Int
    let hidden: [ScalarBuffer<Scalar>]
    let layerInput: [ScalarBuffer<Scalar>]
    let dropoutMask: [ScalarBuffer<Scalar>]
    let output: ScalarBuffer<Scalar>
    let chunkSteps: Int
    let dz: ScalarBuffer<Scalar>
    let dh: ScalarBuffer<Scalar>
    let dhNext: ScalarBuffer<Scalar>
    var gradientA: ScalarBuffer<Scalar>
    var gradientB: ScalarBuffer<Scalar>
    let rowExponents: ScalarBuffer<Int>
    let dzExponents: ScalarBuffer<Int>
    var gradientExponentsA: ScalarBuffer<Int>
    var gradientExponentsB: ScalarBuffer<Int>
    /// Whether the last forward pass applied dropout masks.
    var masksApplied = false

    init(_ configuration: RNNConfiguration, steps: Int, batch: Int) {
        let rows = steps * batch
        let hiddenSize = configuration.hiddenSize
        let width = configuration.directions * hiddenSize
        let layers = configuration.numLayers
        self.steps = steps
        self.batch = batch
        hidden = (0..<layers * configuration.directions).map { _ in ScalarBuffer(count: (steps + 1) * batch * hiddenSize) }
        layerInput = (0..<layers).map { ScalarBuffer(count: rows * configuration.layerInputSize($0)) }
        dropoutMask = configuration.dropout > 0 ? (0..<layers - 1).map { _ in ScalarBuffer(count: rows * width) } : []
        output = ScalarBuffer(count: rows * width)
        // Enough rows for the chunk's GEMMs to run at full speed, few enough to stay in cache.
        chunkSteps = min(steps, max(1, 4096 / batch))
        dz = ScalarBuffer(count: chunkSteps * batch * hiddenSize)
        dh = ScalarBuffer(count: batch * hiddenSize)
        dhNext = ScalarBuffer(count: batch * hiddenSize)
        let widest = max(configuration.inputSize, width)
        gradientA = ScalarBuffer(count: rows * widest)
        gradientB = ScalarBuffer(count: rows * widest)
        rowExponents = ScalarBuffer(count: batch)
        dzExponents = ScalarBuffer(count: chunkSteps * batch)
        gradientExponentsA = ScalarBuffer(count: rows)
        gradientExponentsB = ScalarBuffer(count: rows)
    }

    /// h_t for t = 0..<T of block b, as one (T·N, H) matrix.
    func states(_ block: Int, reverse: Bool, hiddenSize: Int) -> UnsafeMutablePointer<Scalar> {
        hidden[block].base + (reverse ? 0 : batch * hiddenSize)
    }

    /// The state each step t read: h_{t−1} forward, h_{t+1} in reverse, as one (T·N, H) matrix.
    func previousStates(_ block: Int, reverse: Bool, hiddenSize: Int) -> UnsafeMutablePointer<Scalar> {
        hidden[block].base + (reverse ? batch * hiddenSize : 0)
    }

    /// The slot of the initial state h0.
    func initialState(_ block: Int, reverse: Bool, hiddenSize: Int) -> UnsafeMutablePointer<Scalar> {
        hidden[block].base + (reverse ? steps * batch * hiddenSize : 0)
    }

    /// The slot of the final state (h_n's row): h_{T−1} forward, h_0 in reverse.
    func finalState(_ block: Int, reverse: Bool, hiddenSize: Int) -> UnsafeMutablePointer<Scalar> {
        hidden[block].base + (reverse ? 0 : steps * batch * hiddenSize)
    }
}
