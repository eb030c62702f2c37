import Recurrence
import Sweeps

/// The network a run starts from, rebuilt from its configuration alone (initialization is
/// seeded), in Double for analysis, with the run's fixed probe batch.
struct InitialNetwork {
    let rnn: RNN<Double>
    let task: any SequenceTask
    let probeInput: Tensor<Double>

    init(_ configuration: RunConfiguration) throws {
        let settings = configuration.task
        task = try TaskCatalog.make(name: settings.name, sequenceLength: settings.sequenceLength, parameters: settings.parameters)
        let model = configuration.model
        rnn = try RNN<Double>(model.networkConfiguration(inputSize: task.inputSize), seed: configuration.seed)
        try rnn.initialize(model.initialization, seed: configuration.seed)
        // The trainer draws its probe batch from stream 12 of the run's seed.
        var probeData = SeededGenerator(seed: configuration.seed).derived(12)
        let batch = task.batch(size: configuration.probes.batchSize, using: &probeData)
        probeInput = Tensor(shape: [batch.steps, batch.batch, batch.inputSize], scalars: batch.inputs)
    }
}
