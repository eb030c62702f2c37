/// The sizes of one layer in one direction (a block), which its time loop runs over:
/// T time, N batch, I input, H hidden, P projection, S state (P when an LSTM projects, else H).
struct LayerShape {
    /// T.
    let steps: Int
    /// N.
    let batch: Int
    /// I: the network's input size in layer 0, D·S above it.
    let inputSize: Int
    /// H: the width of the gates and of the cell state.
    let hiddenSize: Int
    /// S: the width of h_t.
    let stateSize: Int
    /// P, 0 without projection.
    let projectionSize: Int
    /// The reverse direction of a bidirectional layer: its forward pass runs from t = T−1 down
    /// to 0, and step t reads h_{t+1}.
    let reverse: Bool

    /// Layer `layer`, direction `direction` (1: reverse) of a network run on T steps of N samples.
    init(_ configuration: RNNConfiguration, layer: Int, direction: Int, steps: Int, batch: Int) {
        self.steps = steps
        self.batch = batch
        inputSize = configuration.layerInputSize(layer)
        hiddenSize = configuration.hiddenSize
        stateSize = configuration.stateSize
        projectionSize = configuration.projSize
        reverse = direction == 1
    }

    /// N·S: the scalars of one step's states, h_t's offset in a (T·N, S) matrix is t times this.
    var stepSize: Int { batch * stateSize }

    /// The state step t read, in a (T·N, S) matrix of h_t in time order: h_{t−1} forward,
    /// h_{t+1} in reverse, h0 (`initial`, N × S) where that is outside the sequence.
    func previousState<S>(_ t: Int, states: UnsafePointer<S>, initial: UnsafePointer<S>) -> UnsafePointer<S> {
        previous(t, in: states, initial: initial, stepSize: stepSize)
    }

    /// The cell state step t read, as `previousState` for a (T·N, H) matrix of c_t and c0.
    func previousCell<S>(_ t: Int, cells: UnsafePointer<S>, initial: UnsafePointer<S>) -> UnsafePointer<S> {
        previous(t, in: cells, initial: initial, stepSize: batch * hiddenSize)
    }

    /// The rows step t read in a matrix of one state per step in time order, `stepSize`
    /// scalars a step, or `initial` where they are outside the sequence.
    private func previous<S>(_ t: Int, in matrix: UnsafePointer<S>, initial: UnsafePointer<S>,
                             stepSize: Int) -> UnsafePointer<S> {
        let s = reverse ? t + 1 : t - 1
        return s < 0 || s >= steps ? initial : matrix + s * stepSize
    }

    /// h_n's slot in a (T·N, S) matrix of h_t in time order: h_{T−1} forward, h_0 in reverse.
    func finalState<S>(_ states: UnsafePointer<S>) -> UnsafePointer<S> {
        states + (reverse ? 0 : (steps - 1) * stepSize)
    }

    /// c_n's slot in a (T·N, H) matrix of c_t, as `finalState`.
    func finalCell<S>(_ cells: UnsafePointer<S>) -> UnsafePointer<S> {
        cells + (reverse ? 0 : (steps - 1) * batch * hiddenSize)
    }
}
