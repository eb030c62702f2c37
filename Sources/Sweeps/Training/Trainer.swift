import Foundation
import Recurrence

/// Trains one run: an RNN and a linear readout on a task, recording the training curve,
/// held-out evaluations and the gradient probes at the requested iterations.
public enum Trainer {
    /// Runs `configuration` to the end (or to divergence) and returns what to store.
    /// - Parameter progress: called with each iteration's number as it starts.
    /// - Throws: errors from building the task or the network, or a size beyond what can be
    ///   allocated (`TrainingError`).
    public static func run(_ configuration: RunConfiguration, progress: ((Int) -> Void)? = nil) throws -> RunRecord {
        if configuration.model.double {
            var run = try TrainingRun<Double>(configuration)
            return try run.run(progress: progress)
        }
        var run = try TrainingRun<Float>(configuration)
        return try run.run(progress: progress)
    }
}

/// One run's state: network, readout, optimizers, task.
struct TrainingRun<S: RNNScalar> {
    let configuration: RunConfiguration
    let task: any SequenceTask
    let rnn: RNN<S>
    var readout: Linear<S>
    // Updates are elementwise, so one optimizer per buffer equals one over both.
    var rnnOptimizer: any Optimizer<S>
    var readoutOptimizer: any Optimizer<S>

    init(_ configuration: RunConfiguration) throws {
        self.configuration = configuration
        let settings = configuration.task
        task = try TaskCatalog.make(name: settings.name, sequenceLength: settings.sequenceLength,
                                    parameters: settings.parameters)
        try TrainingBudget.check(configuration, task: task)
        let model = configuration.model
        rnn = try RNN<S>(model.networkConfiguration(inputSize: task.inputSize), seed: configuration.seed)
        try rnn.initialize(model.initialization, seed: configuration.seed)
        readout = try Linear<S>(inputSize: model.outputWidth, outputSize: task.outputSize, seed: configuration.seed)
        rnnOptimizer = try configuration.training.optimizer.make(S.self, count: rnn.parameters.storage.count)
        readoutOptimizer = try configuration.training.optimizer.make(S.self, count: readout.storage.count)
    }

    mutating func run(progress: ((Int) -> Void)?) throws -> RunRecord {
        let start = Date()
        let training = configuration.training
        let streams = SeededGenerator(seed: configuration.seed)
        var trainData = streams.derived(10)
        var heldOutData = streams.derived(11)
        var probeData = streams.derived(12)
        let heldOut = task.batch(size: training.evalSize, using: &heldOutData)
        let probeBatch = task.batch(size: configuration.probes.batchSize, using: &probeData)
        var record = RunRecord(configuration: configuration, task: task)
        record.spectraStart = rnn.recurrentWeightSpectra()
        record.gatesStart = GateSpectrum.all(rnn.parameters, configuration: rnn.configuration)
        // Iteration 0 is always probed, so that "at initialization" means what it says.
        let probeSteps = Set(configuration.probes.gradientSteps.filter { $0 < training.iterations } + [0])

        for iteration in 0..<training.iterations {
            progress?(iteration)
            if probeSteps.contains(iteration) { try record.addProbe(iteration: iteration, probe(probeBatch)) }
            let batch = task.batch(size: training.batchSize, using: &trainData)
            let step = try evaluate(batch, training: true, gradients: true)
            var rnnGradients = step.gradients!.rnn.storage
            var readoutGradients = step.gradients!.readout
            let (norm, clipped) = try training.clipNorm.map { maxNorm in
                try clipGradientNorm(&rnnGradients, &readoutGradients, maxNorm: maxNorm)
            } ?? (gradientNorm([rnnGradients, readoutGradients]), false)
            var row = MetricRow(step: iteration, trainLoss: step.loss, gradientNorm: norm, clipped: clipped)
            guard step.loss.isFinite, norm.isFinite else {
                record.metrics.append(row)
                record.divergedAt = iteration
                break
            }
            rnnOptimizer.step(&rnn.parameters.storage, rnnGradients)
            readoutOptimizer.step(&readout.storage, readoutGradients)
            if (iteration + 1) % training.evalInterval == 0 || iteration + 1 == training.iterations {
                let evaluation = try evaluate(heldOut, training: false, gradients: false)
                row.evalLoss = evaluation.loss
                row.accuracy = evaluation.accuracy
                record.finalEvalLoss = evaluation.loss
                record.finalEvalAccuracy = evaluation.accuracy
                // An update can leave non-finite weights; the held-out loss shows it.
                if !evaluation.loss.isFinite {
                    record.metrics.append(row)
                    record.divergedAt = iteration
                    break
                }
            }
            record.metrics.append(row)
        }
        if record.divergedAt == nil {
            try record.addProbe(iteration: training.iterations, probe(probeBatch))
        }
        record.spectraEnd = rnn.recurrentWeightSpectra()
        record.gatesEnd = GateSpectrum.all(rnn.parameters, configuration: rnn.configuration)
        record.addWeights(rnn: rnn.parameters, readout: readout)
        record.wallSeconds = Date().timeIntervalSince(start)
        return record
    }

    /// Loss and accuracy of one batch and, when asked, the gradients of the network and the
    /// readout (parameters are not changed).
    private func evaluate(_ batch: TaskBatch, training: Bool, gradients wanted: Bool) throws -> BatchEvaluation<S> {
        let input = Tensor<S>(shape: [batch.steps, batch.batch, batch.inputSize], scalars: batch.inputs.map { S($0) })
        let result = try rnn.forward(input, training: training)
        let width = result.output.shape[2]
        let rows = batch.steps * batch.batch
        var dOutput = [S](repeating: 0, count: rows * width)
        var readoutGradients = [S](repeating: 0, count: readout.storage.count)
        let loss: Double
        var accuracy: Double?
        switch batch.target {
        case .regression(let targets):
            // Only the last step is read out.
            let last = Array(result.output.scalars.suffix(batch.batch * width))
            let mse = try Losses.meanSquaredError(prediction: try readout.forward(last), target: targets.map { S($0) })
            loss = mse.loss
            if wanted {
                let dLast = try readout.backward(mse.gradient, input: last, into: &readoutGradients)
                dOutput.replaceSubrange((batch.steps - 1) * batch.batch * width..<rows * width, with: dLast)
            }
        case .classification(let labels):
            let logits = try readout.forward(result.output.scalars)
            let entropy = try Losses.crossEntropy(logits: logits, labels: labels, classes: task.outputSize)
            loss = entropy.loss
            accuracy = entropy.counted > 0 ? Double(entropy.correct) / Double(entropy.counted) : nil
            if wanted {
                dOutput = try readout.backward(entropy.gradient, input: result.output.scalars, into: &readoutGradients)
            }
        }
        guard wanted else { return BatchEvaluation(loss: loss, accuracy: accuracy, gradients: nil, hidden: result.hiddenStates) }
        // Training never reads ∂L/∂input: skipping it saves the first layer's dz W_ih, and no
        // other gradient changes by a bit.
        let gradients = try rnn.backward(gradOutput: Tensor(shape: result.output.shape, scalars: dOutput),
                                         inputGradient: false)
        return BatchEvaluation(loss: loss, accuracy: accuracy,
                               gradients: (gradients.parameters, readoutGradients, gradients.probes),
                               hidden: result.hiddenStates)
    }

    /// ‖∂L/∂h_t‖ (direct and log-domain) on the fixed probe batch, parameters untouched.
    private func probe(_ batch: TaskBatch) throws -> ProbeSnapshot<S> {
        let saved = rnn.probes
        rnn.probes = configuration.probes.hiddenStates
            ? [.gradientNorms, .logGradientNorms, .hiddenStates] : [.gradientNorms, .logGradientNorms]
        defer { rnn.probes = saved }
        let result = try evaluate(batch, training: false, gradients: true)
        return ProbeSnapshot(probes: result.gradients!.probes, hidden: result.hidden)
    }
}

/// What one batch gave: its loss, accuracy for classification, and the gradients if asked.
struct BatchEvaluation<S: RNNScalar> {
    let loss: Double
    let accuracy: Double?
    let gradients: (rnn: ParameterSet<S>, readout: [S], probes: [GradientProbe])?
    let hidden: Tensor<S>?
}
