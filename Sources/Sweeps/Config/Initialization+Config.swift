import Recurrence

extension Initialization {
    /// The scheme's one parameter as a config writes it (`gain`, `input_std`, `radius`);
    /// nil for PyTorch's default.
    var configParameter: (key: String, value: Double)? {
        switch self {
        case .pytorchDefault: nil
        case .xavierUniform(let gain), .xavierNormal(let gain), .kaiming(let gain), .orthogonal(let gain),
            .gaussian(let gain):
            ("gain", gain)
        case .identity(let inputStd): ("input_std", inputStd)
        case .spectralRadius(let radius): ("radius", radius)
        case .forgetBias(let bias): ("bias", bias)
        case .chrono(let tMax): ("t_max", tMax)
        }
    }
}
