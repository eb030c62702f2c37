/// Views of one block's parameter gradients in a flat buffer laid out as the parameters
/// (`LayerWeights`' shapes). Backward adds into them, so that a buffer zeroed once collects
/// every chunk's and every pass's share.
struct LayerGradients<Scalar: RNNScalar> {
    let dWeightIH: UnsafeMutablePointer<Scalar>
    let dWeightHH: UnsafeMutablePointer<Scalar>
    /// nil without bias (both or neither).
    let dBiasIH: UnsafeMutablePointer<Scalar>?
    let dBiasHH: UnsafeMutablePointer<Scalar>?
    /// nil without projection.
    let dWeightHR: UnsafeMutablePointer<Scalar>?

    /// The views of `block` in a gradient buffer laid out as `ParameterLayout` says.
    init(_ block: ParameterLayout.Block, in gradients: UnsafeMutablePointer<Scalar>) {
        dWeightIH = gradients + block.weightIH
        dWeightHH = gradients + block.weightHH
        dBiasIH = block.biasIH.map { gradients + $0 }
        dBiasHH = block.biasHH.map { gradients + $0 }
        dWeightHR = block.weightHR.map { gradients + $0 }
    }
}
