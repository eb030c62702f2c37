import Recurrence

/// The init schemes as a config names them, with their one parameter and its default.
enum InitScheme: String, CaseIterable {
    case pytorchDefault = "pytorch-default"
    case xavierUniform = "xavier-uniform"
    case xavierNormal = "xavier-normal"
    case kaiming
    case orthogonal
    case eye
    case gaussian
    case spectralRadius = "spectral-radius"
    case forgetBias = "forget-bias"
    case chrono

    /// `identity` is another name for `eye`.
    init?(configName: String) {
        if configName == "identity" {
            self = .eye
        } else {
            self.init(rawValue: configName)
        }
    }

    init(_ initialization: Initialization) {
        switch initialization {
        case .pytorchDefault: self = .pytorchDefault
        case .xavierUniform: self = .xavierUniform
        case .xavierNormal: self = .xavierNormal
        case .kaiming: self = .kaiming
        case .orthogonal: self = .orthogonal
        case .identity: self = .eye
        case .gaussian: self = .gaussian
        case .spectralRadius: self = .spectralRadius
        case .forgetBias: self = .forgetBias
        case .chrono: self = .chrono
        }
    }

    /// The key of the scheme's parameter in an init mapping.
    var parameterKey: String? {
        switch self {
        case .pytorchDefault: nil
        case .xavierUniform, .xavierNormal, .kaiming, .orthogonal, .gaussian: "gain"
        case .eye: "input_std"
        case .spectralRadius: "radius"
        case .forgetBias: "bias"
        case .chrono: "t_max"
        }
    }

    /// The parameter's value when the config leaves it out: gain 1 (kaiming: √2, PyTorch's
    /// gain for relu, which `kaiming_normal_` uses by default), input std 10⁻³ (IRNN), radius 1,
    /// forget bias 1. chrono's T_max defaults to the run's sequence length, which only the
    /// whole run knows (`chronoSequenceLength` stands for it until then).
    var defaultParameter: Double? {
        switch self {
        case .pytorchDefault: nil
        case .xavierUniform, .xavierNormal, .orthogonal, .gaussian: 1
        case .kaiming: 2.0.squareRoot()
        case .eye: 1e-3
        case .spectralRadius, .forgetBias: 1
        case .chrono: nil
        }
    }

    /// chrono's T_max while it stands for "the run's sequence length", replaced when the run
    /// is resolved (no real T_max is 0: it must be above 2).
    static let chronoSequenceLength = 0.0

    func initialization(parameter: Double?) -> Initialization {
        let value = parameter ?? defaultParameter ?? 0
        switch self {
        case .pytorchDefault: return .pytorchDefault
        case .xavierUniform: return .xavierUniform(gain: value)
        case .xavierNormal: return .xavierNormal(gain: value)
        case .kaiming: return .kaiming(gain: value)
        case .orthogonal: return .orthogonal(gain: value)
        case .eye: return .identity(inputStd: value)
        case .gaussian: return .gaussian(gain: value)
        case .spectralRadius: return .spectralRadius(value)
        case .forgetBias: return .forgetBias(value)
        case .chrono: return .chrono(tMax: parameter ?? Self.chronoSequenceLength)
        }
    }
}
