extension Initialization {
    /// W ~ N(0, 1/size), size × size, rescaled so that its spectral radius is exactly `target`.
    static func withSpectralRadius(_ target: Double, size: Int, name: String,
                                   using generator: inout SeededGenerator) throws(RNNError) -> [Double] {
        let std = 1 / Double(size).squareRoot()
        let values = (0..<size * size).map { _ in std * generator.normal() }
        let radius = Spectrum.spectralRadius(values, size: size)
        guard radius.isFinite, radius > 0 else {
            throw RNNError("\(name): cannot rescale to spectral radius \(target): the drawn matrix has radius \(radius)")
        }
        let scale = target / radius
        return values.map { $0 * scale }
    }

    /// The gate-bias schemes' second step, after PyTorch's default draw: the memory gate's
    /// bias (LSTM f, GRU z) and, for chrono on an LSTM, the input gate's, in every layer and
    /// direction; b_ih takes the value and b_hh is zeroed, so that their sum is the value.
    /// chrono draws after every default draw, one value per unit, block by block.
    func setGateBiases<Scalar: RNNScalar>(
        _ parameters: inout ParameterSet<Scalar>, configuration: RNNConfiguration, using generator: inout SeededGenerator
    ) throws(RNNError) {
        let hidden = configuration.hiddenSize
        // The memory gate is the second block of both: LSTM (i, f, g, o), GRU (r, z, n).
        let (memoryGate, inputGate) = (1, 0)
        for entry in parameters.layout.entries where entry.name.hasPrefix("bias_") {
            let isInput = entry.name.hasPrefix("bias_ih")
            let memory = entry.offset + memoryGate * hidden
            let input = entry.offset + inputGate * hidden
            switch self {
            case .forgetBias(let bias):
                for j in 0..<hidden { parameters.storage[memory + j] = isInput ? Scalar(bias) : 0 }
            case .chrono(let tMax):
                for j in 0..<hidden {
                    let bias = isInput ? Double.log(generator.uniform(1, tMax - 1)) : 0
                    parameters.storage[memory + j] = Scalar(bias)
                    if configuration.cell == .lstm { parameters.storage[input + j] = Scalar(-bias) }
                }
            default:
                return
            }
        }
    }
}
