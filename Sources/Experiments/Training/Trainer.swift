import Foundation
import Recurrence

/// Trains one run: an RNN and a linear readout on a task, recording the training curve,
/// held-out evaluations and the gradient probes at the requested iterations.
public enum Trainer {
    /// Runs `configuration` to the end (or to divergence) and returns what to store.
    /// - Throws: errors from building the task or the network (a config that validated
    ///   should not produce them).
    public static func run(_ configuration: RunConfiguration) throws -> RunRecord {
        if configuration.model.double {
            var run = try TrainingRun<Double>(configuration)
            return try run.run()
        }
        var run = try TrainingRun<Float>(configuration)
        return try run.run()
    }
}

/// One run's state: network, readout, optimizer, data streams.
struct TrainingRun<S: RNNScalar> {
    let configuration: RunConfiguration
    let task: any SequenceTask
    let rnn: RNN<S>
    var readout: Linear<S>
    var rnnOptimizer: AnyOptimizer<S>
    var readoutOptimizer: AnyOptimizer<S>

    init(_ configuration: RunConfiguration) throws {
        self.configuration = configuration
        let settings = configuration.task
        task = try TaskCatalog.make(name: settings.name, sequenceLength: settings.sequenceLength,
                                    parameters: settings.parameters)
        let model = configuration.model
        let rnnConfiguration = RNNConfiguration(
            inputSize: task.inputSize, hiddenSize: model.hiddenSize, numLayers: model.numLayers,
            nonlinearity: model.nonlinearity, bias: model.bias, dropout: model.dropout, bidirectional: model.bidirectional)
        rnn = try RNN<S>(rnnConfiguration, seed: configuration.seed)
        try rnn.initialize(model.initialization, seed: configuration.seed)
        readout = try Linear<S>(inputSize: rnnConfiguration.directions * model.hiddenSize, outputSize: task.outputSize,
                                seed: configuration.seed)
        // Updates are elementwise, so one optimizer per buffer equals one over both.
        rnnOptimizer = try AnyOptimizer(configuration.training.optimizer, count: rnn.parameters.storage.count)
        readoutOptimizer = try AnyOptimizer(configuration.training.optimizer, count: readout.storage.count)
    }

    mutating func run() throws -> RunRecord {
        let start = Date()
        let training = configuration.training
        let seed = SeededGenerator(seed: configuration.seed)
        var trainData = seed.derived(10)
        var heldOutData = seed.derived(11)
        var probeData = seed.derived(12)
        let heldOut = task.batch(size: training.evalSize, using: &heldOutData)
        let probeBatch = task.batch(size: configuration.probes.batchSize, using: &probeData)
        var record = RunRecord(configuration: configuration, task: task)
        record.spectraStart = rnn.recurrentWeightSpectra()
        let probeSteps = Set(configuration.probes.gradientSteps.filter { $0 < training.iterations })

        for iteration in 0..<training.iterations {
            if probeSteps.contains(iteration) { try record.addProbe(iteration: iteration, probe(probeBatch)) }
            let batch = task.batch(size: training.batchSize, using: &trainData)
            let step = try lossAndGradients(batch, training: true)
            var rnnGradients = step.rnn.storage
            var readoutGradients = step.readout
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
                let evaluation = try lossAndGradients(heldOut, training: false)
                row.evalLoss = evaluation.loss
                row.accuracy = evaluation.accuracy
                record.finalEvalLoss = evaluation.loss
                record.finalEvalAccuracy = evaluation.accuracy
            }
            record.metrics.append(row)
        }
        if record.divergedAt == nil {
            try record.addProbe(iteration: training.iterations, probe(probeBatch))
        }
        record.spectraEnd = rnn.recurrentWeightSpectra()
        record.addWeights(rnn: rnn.parameters, readout: readout)
        record.wallSeconds = Date().timeIntervalSince(start)
        return record
    }

    /// Loss, accuracy and gradients of one batch (the network's gradients are left in the
    /// returned sets; parameters are not changed).
    private func lossAndGradients(_ batch: TaskBatch, training: Bool) throws
        -> (loss: Double, accuracy: Double?, rnn: ParameterSet<S>, readout: [S], probes: [GradientProbe], hidden: Tensor<S>?) {
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
            let prediction = try readout.forward(last)
            let mse = try Losses.meanSquaredError(prediction: prediction, target: targets.map { S($0) })
            loss = mse.loss
            let dLast = try readout.backward(mse.gradient, input: last, into: &readoutGradients)
            dOutput.replaceSubrange((batch.steps - 1) * batch.batch * width..<rows * width, with: dLast)
        case .classification(let labels):
            let logits = try readout.forward(result.output.scalars)
            let entropy = try Losses.crossEntropy(logits: logits, labels: labels, classes: task.outputSize)
            loss = entropy.loss
            accuracy = entropy.counted > 0 ? Double(entropy.correct) / Double(entropy.counted) : nil
            dOutput = try readout.backward(entropy.gradient, input: result.output.scalars, into: &readoutGradients)
        }
        let gradients = try rnn.backward(gradOutput: Tensor(shape: result.output.shape, scalars: dOutput))
        return (loss, accuracy, gradients.parameters, readoutGradients, gradients.probes, result.hiddenStates)
    }

    /// ‖∂L/∂h_t‖ (direct and log-domain) on the fixed probe batch, parameters untouched.
    private func probe(_ batch: TaskBatch) throws -> ProbeSnapshot<S> {
        let saved = rnn.probes
        rnn.probes = configuration.probes.hiddenStates
            ? [.gradientNorms, .logGradientNorms, .hiddenStates] : [.gradientNorms, .logGradientNorms]
        defer { rnn.probes = saved }
        let result = try lossAndGradients(batch, training: false)
        return ProbeSnapshot(probes: result.probes, hidden: result.hidden)
    }
}

/// The probes recorded at one iteration.
struct ProbeSnapshot<S: RNNScalar> {
    let probes: [GradientProbe]
    let hidden: Tensor<S>?
}

/// One row of metrics.csv.
struct MetricRow {
    let step: Int
    let trainLoss: Double
    let gradientNorm: Double
    let clipped: Bool
    var evalLoss: Double?
    var accuracy: Double?

    init(step: Int, trainLoss: Double, gradientNorm: Double, clipped: Bool) {
        self.step = step
        self.trainLoss = trainLoss
        self.gradientNorm = gradientNorm
        self.clipped = clipped
    }
}

/// The configured optimizer for one flat buffer.
enum AnyOptimizer<S: RNNScalar> {
    case sgd(SGD<S>)
    case adam(Adam<S>)
    case rmsprop(RMSProp<S>)

    init(_ settings: OptimizerSettings, count: Int) throws {
        switch settings {
        case .sgd(let learningRate, let momentum):
            self = .sgd(try SGD(count: count, learningRate: learningRate, momentum: momentum))
        case .adam(let learningRate, let beta1, let beta2, let epsilon):
            self = .adam(try Adam(count: count, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon))
        case .rmsprop(let learningRate, let alpha, let epsilon):
            self = .rmsprop(try RMSProp(count: count, learningRate: learningRate, alpha: alpha, epsilon: epsilon))
        }
    }

    mutating func step(_ parameters: inout [S], _ gradients: [S]) {
        switch self {
        case .sgd(var optimizer):
            optimizer.step(&parameters, gradients)
            self = .sgd(optimizer)
        case .adam(var optimizer):
            optimizer.step(&parameters, gradients)
            self = .adam(optimizer)
        case .rmsprop(var optimizer):
            optimizer.step(&parameters, gradients)
            self = .rmsprop(optimizer)
        }
    }
}
