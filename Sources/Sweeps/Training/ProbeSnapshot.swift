import Recurrence

/// The probes recorded at one training iteration.
struct ProbeSnapshot<S: RNNScalar> {
    let probes: [GradientProbe]
    let hidden: Tensor<S>?
}
