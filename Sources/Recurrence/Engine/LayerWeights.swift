/// Views of one block's parameters (layer l, direction d) in the flat parameter buffer, for
/// a cell with G gates (1 for the Elman RNN): W_ih (G·H, I), W_hh (G·H, S), b_ih and b_hh
/// (G·H), and a projecting LSTM's W_hr (P, H), PyTorch's shapes (S: P when projecting, else
/// H). Valid while the buffer they point into is.
struct LayerWeights<Scalar: RNNScalar> {
    let weightIH: UnsafePointer<Scalar>
    let weightHH: UnsafePointer<Scalar>
    /// nil without bias (both or neither).
    let biasIH: UnsafePointer<Scalar>?
    let biasHH: UnsafePointer<Scalar>?
    /// nil without projection.
    let weightHR: UnsafePointer<Scalar>?

    /// The views of `block` in a buffer laid out as `ParameterLayout` says.
    init(_ block: ParameterLayout.Block, in parameters: UnsafePointer<Scalar>) {
        weightIH = parameters + block.weightIH
        weightHH = parameters + block.weightHH
        biasIH = block.biasIH.map { parameters + $0 }
        biasHH = block.biasHH.map { parameters + $0 }
        weightHR = block.weightHR.map { parameters + $0 }
    }
}
