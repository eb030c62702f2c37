import Foundation
import Recurrence
import Sweeps
import TestSupport
import Testing

/// Experiment configs: parsing and defaults, grid expansion and its order, run ids, the
/// resolved YAML round trip, every error class with its file:line:column and key path, and
/// the shipped examples.
enum ConfigTests {
    static func parse(_ yaml: String, path: String = "x.yaml") throws -> ExperimentConfig {
        try ExperimentConfig.parse(yaml, path: path)
    }

    /// The error a config gives, or a recorded issue when it parses.
    static func error(
        _ yaml: String, path: String = "x.yaml", sourceLocation: SourceLocation = #_sourceLocation
    ) -> ConfigError? {
        do {
            let config = try ExperimentConfig.parse(yaml, path: path)
            Issue.record("expected an error, got \(config.runs.count) runs", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ExperimentsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A field of a run as text, by its Swift path.
    static func field(_ path: String, of run: RunConfiguration) -> String {
        switch path {
        case "task.sequenceLength": "\(run.task.sequenceLength)"
        case "task.parameters": "\(run.task.parameters.sorted { $0.key < $1.key })"
        case "model.hiddenSize": "\(run.model.hiddenSize)"
        case "model.initialization": "\(run.model.initialization)"
        case "training.optimizer": "\(run.training.optimizer)"
        case "training.iterations": "\(run.training.iterations)"
        case "training.batchSize": "\(run.training.batchSize)"
        case "probes.batchSize": "\(run.probes.batchSize)"
        case "training.successLossFraction": "\(run.training.successLossFraction)"
        case "training.successAccuracyGap": "\(run.training.successAccuracyGap)"
        case "training.clipNorm": "\(String(describing: run.training.clipNorm))"
        case "probes.gradientSteps": "\(run.probes.gradientSteps)"
        default: "unknown field \(path)"
        }
    }

    static let fullExample = """
        name: adding-vs-length
        seeds: 3
        model:
          hidden_size: 48
          nonlinearity: tanh
          dropout: 0.0
          init: {scheme: gaussian, gain: 1.5}
          precision: float64
        task:
          name: adding
          sequence_length: 50
        training:
          optimizer: {name: sgd, momentum: 0.9}
          learning_rate: 0.01
          batch_size: 16
          iterations: 500
          clip_norm: none
          success: {loss_fraction: 0.25}
        probes:
          gradient_steps: [100, 0, 100]
          hidden_states: true
        sweep:
          sequence_length: [10, 20, 50, 100]
          nonlinearity: [tanh, relu]
        variants:
          tanh-default: {}
          irnn: {init: eye}
          orthogonal: {init: {scheme: orthogonal, gain: 1.0}}
        """
}

// MARK: - Parsing and defaults

extension ConfigTests {
    @Suite("ConfigTests: parsing and defaults")
    struct Parsing {
        @Test("a full example parses to the expected runs")
        func fullExampleParses() throws {
            let config = try ConfigTests.parse(ConfigTests.fullExample, path: "experiments/sweep.yaml")
            #expect(config.name == "adding-vs-length")
            #expect(config.path == "experiments/sweep.yaml")
            #expect(config.runs.count == 3 * 4 * 2 * 3)

            let run = config.runs[0]
            #expect(run.experiment == "adding-vs-length")
            #expect(run.variant == "tanh-default")
            #expect(run.seed == 0)
            #expect(run.model.hiddenSize == 48)
            #expect(run.model.numLayers == 1)
            #expect(run.model.nonlinearity == .tanh)
            #expect(run.model.bias)
            #expect(!run.model.bidirectional)
            #expect(run.model.initialization == .gaussian(gain: 1.5))
            #expect(run.model.double)
            #expect(run.task == TaskSettings(name: "adding", sequenceLength: 10))
            #expect(run.training.optimizer == .sgd(learningRate: 0.01, momentum: 0.9))
            #expect(run.training.batchSize == 16)
            #expect(run.training.iterations == 500)
            #expect(run.training.clipNorm == nil)
            #expect(run.training.evalInterval == 100)
            #expect(run.training.evalSize == 256)
            #expect(run.training.successLossFraction == 0.25)
            #expect(run.training.successAccuracyGap == 0.5)
            #expect(run.probes.gradientSteps == [0, 100])
            #expect(run.probes.hiddenStates)
            #expect(run.probes.batchSize == 32)

            let irnn = try #require(config.runs.first { $0.variant == "irnn" })
            #expect(irnn.model.initialization == .identity(inputStd: 1e-3))
            let orthogonal = try #require(config.runs.first { $0.variant == "orthogonal" })
            #expect(orthogonal.model.initialization == .orthogonal(gain: 1))
        }

        @Test("a minimal config takes every default of the Swift types")
        func minimal() throws {
            let config = try ConfigTests.parse(
                """
                task: {name: adding, sequence_length: 50}
                """, path: "configs/My Sweep.v2.yaml")
            #expect(config.name == "my-sweep.v2")
            #expect(config.runs.count == 1)
            let expected = RunConfiguration(
                experiment: "my-sweep.v2", seed: 0, model: ModelSettings(),
                task: TaskSettings(name: "adding", sequenceLength: 50),
                training: TrainingSettings(), probes: ProbeSettings())
            #expect(config.runs == [expected])
        }

        @Test("task parameters are resolved with the task's defaults")
        func taskParameters() throws {
            let copy = try ConfigTests.parse("task: {name: copy, sequence_length: 30, symbols: 4}").runs[0]
            #expect(copy.task.parameters == ["symbols": .int(4), "length": .int(10)])
            let recall = try ConfigTests.parse("task: {name: recall, sequence_length: 5, noise: 0.1, classes: 3.0}").runs[0]
            #expect(recall.task.parameters == ["classes": .int(3), "noise": .double(0.1)])
        }

        @Test(
            "init schemes: names, mappings, aliases and default parameters",
            arguments: [
                ("pytorch-default", Initialization.pytorchDefault),
                ("xavier-uniform", .xavierUniform(gain: 1)),
                ("{scheme: xavier-normal, gain: 0.5}", .xavierNormal(gain: 0.5)),
                ("kaiming", .kaiming(gain: 2.0.squareRoot())),
                ("orthogonal", .orthogonal(gain: 1)),
                ("eye", .identity(inputStd: 1e-3)),
                ("identity", .identity(inputStd: 1e-3)),
                ("{scheme: identity, input_std: 0.01}", .identity(inputStd: 0.01)),
                ("{scheme: gaussian, gain: 2}", .gaussian(gain: 2)),
                ("{scheme: spectral-radius, radius: 1.1}", .spectralRadius(1.1)),
                ("spectral-radius", .spectralRadius(1)),
            ])
        func initSchemes(text: String, expected: Initialization) throws {
            let run = try ConfigTests.parse("model: {init: \(text)}\ntask: {name: adding, sequence_length: 5}").runs[0]
            #expect(run.model.initialization == expected)
        }

        @Test(
            "optimizers take training.learning_rate and PyTorch's defaults",
            arguments: [
                ("adam", OptimizerSettings.adam(learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)),
                ("{name: adam, beta2: 0.98}", .adam(learningRate: 0.002, beta1: 0.9, beta2: 0.98, epsilon: 1e-8)),
                ("sgd", .sgd(learningRate: 0.002, momentum: 0)),
                ("{name: sgd, momentum: 0.5}", .sgd(learningRate: 0.002, momentum: 0.5)),
                ("rmsprop", .rmsprop(learningRate: 0.002, alpha: 0.99, epsilon: 1e-8)),
                ("{name: rmsprop, epsilon: 1e-6}", .rmsprop(learningRate: 0.002, alpha: 0.99, epsilon: 1e-6)),
            ])
        func optimizers(text: String, expected: OptimizerSettings) throws {
            let run = try ConfigTests.parse(
                "training: {optimizer: \(text), learning_rate: 0.002}\ntask: {name: adding, sequence_length: 5}"
            ).runs[0]
            #expect(run.training.optimizer == expected)
        }

        @Test("clip_norm: a number, null or none")
        func clipNorm() throws {
            for (text, expected) in [("2.5", 2.5), ("null", nil), ("none", nil), ("", nil), ("~", nil)] as [(String, Double?)] {
                let run = try ConfigTests.parse("training: {clip_norm: \(text)}\ntask: {name: adding, sequence_length: 5}").runs[0]
                #expect(run.training.clipNorm == expected, "clip_norm: \(text)")
            }
        }

        @Test("seeds: a count or a list, in the order written")
        func seeds() throws {
            let counted = try ConfigTests.parse("seeds: 4\ntask: {name: adding, sequence_length: 5}")
            #expect(counted.runs.map(\.seed) == [0, 1, 2, 3])
            let listed = try ConfigTests.parse("seeds: [42, 0, 7]\ntask: {name: adding, sequence_length: 5}")
            #expect(listed.runs.map(\.seed) == [42, 0, 7])
        }

        @Test("sequence_length can come from the sweep alone; empty sections take defaults")
        func lengthFromSweep() throws {
            let config = try ConfigTests.parse(
                """
                model:
                probes: {}
                task: {name: adding}
                sweep: {sequence_length: [3, 4]}
                """)
            #expect(config.runs.map(\.task.sequenceLength) == [3, 4])
            #expect(config.runs[0].model == ModelSettings())
        }

        @Test("load reads a file and names it as given")
        func load() throws {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("config-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("lengths.yaml")
            try "task: {name: adding, sequence_length: 0}\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(throws: ConfigError.self) { try ExperimentConfig.load(file) }
            do {
                _ = try ExperimentConfig.load(file)
            } catch {
                #expect(error.description == "\(file.path):1:39: task.sequence_length: must be ≥ 1, got 0")
            }
            try "task: {name: adding, sequence_length: 9}\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(try ExperimentConfig.load(file).name == "lengths")

            let missing = directory.appendingPathComponent("missing.yaml")
            do {
                _ = try ExperimentConfig.load(missing)
                Issue.record("a missing file loaded")
            } catch {
                #expect(error.description == "\(missing.path): no such file")
            }
        }
    }
}

// MARK: - Grid expansion

extension ConfigTests {
    @Suite("ConfigTests: grid expansion and run ids")
    struct Expansion {
        @Test("count = variants × product of the lists × seeds, in the documented order")
        func countAndOrder() throws {
            let config = try ConfigTests.parse(ConfigTests.fullExample)
            #expect(config.runs.count == 3 * (4 * 2) * 3)
            // variants (file order) × grid (first key slowest) × seeds (fastest).
            var expected: [String] = []
            for variant in ["tanh-default", "irnn", "orthogonal"] {
                for length in [10, 20, 50, 100] {
                    for nonlinearity in ["tanh", "relu"] {
                        for seed in 0..<3 { expected.append("\(variant) \(length) \(nonlinearity) \(seed)") }
                    }
                }
            }
            let actual = config.runs.map {
                "\($0.variant!) \($0.task.sequenceLength) \($0.model.nonlinearity.rawValue) \($0.seed)"
            }
            #expect(actual == expected)
        }

        @Test("ids are unique, readable and the same on every parse")
        func idsUniqueAndStable() throws {
            let runs = try ConfigTests.parse(ConfigTests.fullExample).runs
            let ids = runs.map(\.id)
            #expect(Set(ids).count == runs.count)
            #expect(try ConfigTests.parse(ConfigTests.fullExample).runs.map(\.id) == ids)
            #expect(ids[0].hasPrefix("adding-T10-tanh-gaussian-g1.5-s0-"))
            #expect(ids.allSatisfy { $0.wholeMatch(of: /[A-Za-z0-9.\-]+-[0-9a-f]{16}/) != nil })
        }

        /// A fixed hash: if this changes, every run store's ids change with it.
        @Test("the id of a fixed config is pinned")
        func pinnedID() throws {
            let run = try ConfigTests.parse("name: pinned\ntask: {name: adding, sequence_length: 50}").runs[0]
            #expect(run.id == "adding-T50-tanh-pytorch-default-s0-37d5c55965cafc4b")
        }

        @Test("changing any resolved field changes the id")
        func idCoversEveryField() throws {
            let base = try ConfigTests.parse("task: {name: copy, sequence_length: 50}").runs[0]
            let changes: [(String, (inout RunConfiguration) -> Void)] = [
                ("experiment", { $0.experiment = "other" }),
                ("variant", { $0.variant = "v" }),
                ("seed", { $0.seed = 1 }),
                ("hidden_size", { $0.model.hiddenSize = 65 }),
                ("num_layers", { $0.model.numLayers = 2 }),
                ("nonlinearity", { $0.model.nonlinearity = .relu }),
                ("bias", { $0.model.bias = false }),
                ("bidirectional", { $0.model.bidirectional = true }),
                ("dropout", { $0.model.dropout = 0.1 }),
                ("init", { $0.model.initialization = .orthogonal(gain: 1) }),
                ("gain", { $0.model.initialization = .gaussian(gain: 1.0000001) }),
                ("precision", { $0.model.double = true }),
                ("task", { $0.task.name = "recall" }),
                ("sequence_length", { $0.task.sequenceLength = 51 }),
                ("task parameter", { $0.task.parameters["symbols"] = .int(9) }),
                ("optimizer", { $0.training.optimizer = .sgd(learningRate: 1e-3, momentum: 0) }),
                ("learning_rate", { $0.training.optimizer = .adam(learningRate: 2e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8) }),
                ("epsilon", { $0.training.optimizer = .adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7) }),
                ("batch_size", { $0.training.batchSize = 33 }),
                ("iterations", { $0.training.iterations = 1001 }),
                ("clip_norm", { $0.training.clipNorm = nil }),
                ("eval_interval", { $0.training.evalInterval = 10 }),
                ("eval_size", { $0.training.evalSize = 10 }),
                ("loss_fraction", { $0.training.successLossFraction = 0.4 }),
                ("accuracy_gap", { $0.training.successAccuracyGap = 0.4 }),
                ("gradient_steps", { $0.probes.gradientSteps = [0, 10] }),
                ("hidden_states", { $0.probes.hiddenStates = true }),
                ("probe batch_size", { $0.probes.batchSize = 8 }),
            ]
            var ids = [base.id]
            for (name, change) in changes {
                var changed = base
                change(&changed)
                #expect(changed.id != base.id, "changing \(name) kept the id")
                ids.append(changed.id)
            }
            #expect(Set(ids).count == ids.count)
        }

        @Test(
            "short sweep names resolve to full paths",
            arguments: [
                ("sequence_length: [5, 6]", "task.sequenceLength"),
                ("task.sequence_length: [5, 6]", "task.sequenceLength"),
                ("hidden_size: [8, 16]", "model.hiddenSize"),
                ("model.hidden_size: [8, 16]", "model.hiddenSize"),
                ("init: [eye, orthogonal]", "model.initialization"),
                ("learning_rate: [0.1, 0.01]", "training.optimizer"),
                ("iterations: [10, 20]", "training.iterations"),
                ("training.batch_size: [1, 2]", "training.batchSize"),
                ("probes.batch_size: [1, 2]", "probes.batchSize"),
                ("loss_fraction: [0.1, 0.2]", "training.successLossFraction"),
                ("success.accuracy_gap: [0.1, 0.2]", "training.successAccuracyGap"),
                ("clip_norm: [1, none]", "training.clipNorm"),
                ("gradient_steps: [[0], [0, 5]]", "probes.gradientSteps"),
                ("symbols: [3, 5]", "task.parameters"),
                ("task.length: [3, 5]", "task.parameters"),
            ])
        func shortNames(sweep: String, field: String) throws {
            let config = try ConfigTests.parse(
                "task: {name: copy, sequence_length: 5}\ntraining: {iterations: 30}\nsweep: {\(sweep)}")
            #expect(config.runs.count == 2)
            let values = config.runs.map { ConfigTests.field(field, of: $0) }
            #expect(values[0] != values[1], "\(sweep) did not change \(field)")
        }

        @Test("a variant sets the same keys as a sweep, short or full")
        func variantKeys() throws {
            let config = try ConfigTests.parse(
                """
                task: {name: recall, sequence_length: 5}
                variants:
                  plain:
                  irnn: {nonlinearity: relu, model.init: eye, classes: 3}
                """)
            #expect(config.runs.map(\.variant) == ["plain", "irnn"])
            #expect(config.runs[1].model.nonlinearity == .relu)
            #expect(config.runs[1].model.initialization == .identity(inputStd: 1e-3))
            #expect(config.runs[1].task.parameters["classes"] == .int(3))
        }
    }
}

// MARK: - Resolved YAML

extension ConfigTests {
    @Suite("ConfigTests: resolved YAML")
    struct ResolvedYAML {
        @Test("ConfigTests.parse(resolvedYAML) gives back the same run, for every run of the full example")
        func roundTrip() throws {
            for run in try ConfigTests.parse(ConfigTests.fullExample).runs {
                let again = try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml")
                #expect(again.runs == [run])
                #expect(again.runs[0].id == run.id)
            }
        }

        @Test("round trip of unusual values: strings, doubles, no clipping, every init and optimizer")
        func roundTripEdgeCases() throws {
            let inits: [Initialization] = [
                .pytorchDefault, .xavierUniform(gain: 0.3), .xavierNormal(gain: 3), .kaiming(gain: 2.0.squareRoot()),
                .orthogonal(gain: 1e-9), .identity(inputStd: 0.001), .gaussian(gain: 1.0 / 3), .spectralRadius(1e20),
            ]
            let optimizers: [OptimizerSettings] = [
                .sgd(learningRate: 0.1, momentum: 0.25), .rmsprop(learningRate: 3e-4, alpha: 0.9, epsilon: 1e-10),
                .adam(learningRate: 1e-3, beta1: 0, beta2: 0.5, epsilon: 1),
            ]
            for (index, initialization) in inits.enumerated() {
                var model = ModelSettings()
                model.initialization = initialization
                model.dropout = 0.1 + 0.2
                model.numLayers = 2
                var training = TrainingSettings()
                training.optimizer = optimizers[index % optimizers.count]
                training.clipNorm = index % 2 == 0 ? nil : 0.1
                var probes = ProbeSettings()
                probes.gradientSteps = index % 2 == 0 ? [] : [0, 5, 1000]
                let run = RunConfiguration(
                    experiment: index % 2 == 0 ? "null" : "123", variant: index % 3 == 0 ? "true" : nil,
                    seed: UInt64.max - UInt64(index), model: model,
                    task: TaskSettings(name: "recall", sequenceLength: 7, parameters: ["classes": .int(5), "noise": .double(0.4472135954999579)]),
                    training: training, probes: probes)
                let again = try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml")
                #expect(again.runs == [run], "\(run.resolvedYAML)")
            }
        }

        @Test("canonical form: sorted keys, every default written")
        func canonicalForm() throws {
            let run = try ConfigTests.parse("name: pinned\ntask: {name: adding, sequence_length: 50}").runs[0]
            #expect(
                run.resolvedYAML == """
                    model:
                      bias: true
                      bidirectional: false
                      dropout: 0.0
                      hidden_size: 64
                      init:
                        scheme: pytorch-default
                      nonlinearity: tanh
                      num_layers: 1
                      precision: float32
                    name: pinned
                    probes:
                      batch_size: 32
                      gradient_steps: [0]
                      hidden_states: false
                    seeds: [0]
                    task:
                      name: adding
                      sequence_length: 50
                    training:
                      batch_size: 32
                      clip_norm: 1.0
                      eval_interval: 100
                      eval_size: 256
                      iterations: 1000
                      learning_rate: 0.001
                      optimizer:
                        beta1: 0.9
                        beta2: 0.999
                        epsilon: 1.0e-08
                        name: adam
                      success:
                        accuracy_gap: 0.5
                        loss_fraction: 0.5

                    """)
        }
    }
}

// MARK: - Errors

extension ConfigTests {
    /// A config, the start its one-line message must have (file:line:column: key path:) and a
    /// part of the message.
    struct ErrorCase: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let prefix: String
        let fragment: String
        var testDescription: String { name }
    }

    static let task = "task: {name: adding, sequence_length: 5}\n"

    static let errorCases: [ErrorCase] = [
        // YAML syntax, at the parser's own position.
        .init(name: "syntax", yaml: "task:\n  name: adding\n sequence_length: [1, 2\n", prefix: "x.yaml:3:", fragment: "YAML syntax error"),
        .init(name: "duplicate key", yaml: "task:\n  name: adding\n  name: copy\n", prefix: "x.yaml:2:3: ", fragment: "duplicate key 'name'"),
        .init(name: "not a mapping", yaml: "- a\n- b\n", prefix: "x.yaml:1:1: ", fragment: "a config is a mapping"),
        .init(name: "empty", yaml: "# nothing\n", prefix: "x.yaml:1:1: ", fragment: "the config is empty"),
        // Unknown keys with did-you-mean.
        .init(name: "unknown key", yaml: task + "training:\n  learnig_rate: 0.1\n", prefix: "x.yaml:3:3: training.learnig_rate:", fragment: "unknown key 'learnig_rate'; did you mean 'learning_rate'?"),
        .init(name: "unknown top-level key", yaml: task + "sweeps: {}\n", prefix: "x.yaml:2:1: sweeps:", fragment: "did you mean 'sweep'?"),
        .init(name: "setting at the top level", yaml: task + "hidden_size: 3\n", prefix: "x.yaml:2:1: hidden_size:", fragment: "did you mean 'model.hidden_size' (under model:)?"),
        .init(name: "unknown key, no suggestion", yaml: task + "model: {colour: red}\n", prefix: "x.yaml:2:9: model.colour:", fragment: "expected one of: cell, hidden_size, num_layers"),
        .init(name: "unknown task parameter", yaml: "task: {name: copy, sequence_length: 5, symbol: 3}\n", prefix: "x.yaml:1:40: task.symbol:", fragment: "did you mean 'symbols'?"),
        .init(name: "misspelled sequence_length", yaml: "task: {name: copy, sequence_lenght: 5}\n", prefix: "x.yaml:1:20: task.sequence_lenght:", fragment: "did you mean 'sequence_length'?"),
        .init(name: "unknown success key", yaml: task + "training: {success: {loss: 1}}\n", prefix: "x.yaml:2:22: training.success.loss:", fragment: "unknown key 'loss'"),
        .init(name: "unknown init key", yaml: task + "model: {init: {scheme: orthogonal, radius: 1}}\n", prefix: "x.yaml:2:36: model.init.radius:", fragment: "unknown key 'radius' for init scheme 'orthogonal'"),
        .init(name: "unknown optimizer key", yaml: task + "training: {optimizer: {name: sgd, momentun: 0.9}}\n", prefix: "x.yaml:2:35: training.optimizer.momentun:", fragment: "did you mean 'momentum'?"),
        .init(name: "learning rate in the optimizer", yaml: task + "training: {optimizer: {name: sgd, lr: 0.9}}\n", prefix: "x.yaml:2:35: training.optimizer.lr:", fragment: "the learning rate is training.learning_rate"),
        // Wrong types.
        .init(name: "not an integer", yaml: task + "model:\n  hidden_size: abc\n", prefix: "x.yaml:3:16: model.hidden_size:", fragment: "expected an integer, got 'abc'"),
        .init(name: "fractional integer", yaml: task + "training: {iterations: 2.5}\n", prefix: "x.yaml:2:24: training.iterations:", fragment: "expected an integer, got '2.5'"),
        .init(name: "not a number", yaml: task + "training: {learning_rate: fast}\n", prefix: "x.yaml:2:27: training.learning_rate:", fragment: "expected a finite number, got 'fast'"),
        .init(name: "infinite number", yaml: task + "training: {learning_rate: .inf}\n", prefix: "x.yaml:2:27: training.learning_rate:", fragment: "expected a finite number"),
        .init(name: "not a bool", yaml: task + "model: {bias: yes}\n", prefix: "x.yaml:2:15: model.bias:", fragment: "expected true or false, got 'yes'"),
        .init(name: "null value", yaml: task + "model:\n  hidden_size:\n", prefix: "x.yaml:3:15: model.hidden_size:", fragment: "expected an integer, got null"),
        .init(name: "section not a mapping", yaml: task + "model: 3\n", prefix: "x.yaml:2:8: model:", fragment: "expected a mapping"),
        .init(name: "list instead of scalar", yaml: task + "model: {hidden_size: [1, 2]}\n", prefix: "x.yaml:2:22: model.hidden_size:", fragment: "got a list"),
        .init(name: "steps not a list", yaml: task + "probes: {gradient_steps: 5}\n", prefix: "x.yaml:2:26: probes.gradient_steps:", fragment: "expected a list of training iterations"),
        // A quoted value is a string: every typed key refuses one (ConfigSchemaTests covers every key).
        .init(name: "quoted integer", yaml: task + "model: {hidden_size: \"8\"}\n", prefix: "x.yaml:2:22: model.hidden_size:", fragment: "expected an integer, got '8' in quotes, a string; write it without quotes"),
        .init(name: "quoted choice", yaml: task + "model: {nonlinearity: 'relu'}\n", prefix: "x.yaml:2:23: model.nonlinearity:", fragment: "expected a nonlinearity name (one of: tanh, relu), got 'relu' in quotes"),
        .init(name: "quoted init scheme", yaml: task + "model: {init: \"eye\"}\n", prefix: "x.yaml:2:15: model.init:", fragment: "got 'eye' in quotes"),
        .init(name: "quoted none", yaml: task + "training: {clip_norm: \"none\"}\n", prefix: "x.yaml:2:23: training.clip_norm:", fragment: "expected a number > 0, or none for no clipping, got 'none' in quotes"),
        .init(name: "quoted task name", yaml: "task: {name: \"adding\", sequence_length: 5}\n", prefix: "x.yaml:1:14: task.name:", fragment: "expected a task name (one of: adding, copy, recall, temporal-order, delayed-recall), got 'adding' in quotes"),
        .init(name: "quoted seed", yaml: task + "seeds: [1, \"2\"]\n", prefix: "x.yaml:2:12: seeds[1]:", fragment: "expected a seed (an integer ≥ 0), got '2' in quotes"),
        .init(name: "quoted seed count", yaml: task + "seeds: '3'\n", prefix: "x.yaml:2:8: seeds:", fragment: "got '3' in quotes"),
        .init(name: "quoted task parameter is a string", yaml: "task: {name: copy, sequence_length: 5, symbols: \"4\"}\n", prefix: "x.yaml:1:49: task.symbols:", fragment: "task \"copy\": symbols must be an integer"),
        .init(name: "task parameter of the wrong type", yaml: "task: {name: copy, sequence_length: 5, symbols: many}\n", prefix: "x.yaml:1:49: task.symbols:", fragment: "task \"copy\": symbols must be an integer"),
        .init(name: "duplicate seed", yaml: task + "seeds: [3, 1, 3]\n", prefix: "x.yaml:2:15: seeds[2]:", fragment: "seed 3 is listed twice"),
        .init(name: "empty seed list", yaml: task + "seeds: []\n", prefix: "x.yaml:2:8: seeds:", fragment: "expected at least one seed"),
        .init(name: "bad seed", yaml: task + "seeds: [1, -2]\n", prefix: "x.yaml:2:12: seeds[1]:", fragment: "expected a seed (an integer ≥ 0), got '-2'"),
        // Out of range.
        .init(name: "sequence_length < 1", yaml: "task: {name: adding, sequence_length: 0}\n", prefix: "x.yaml:1:39: task.sequence_length:", fragment: "must be ≥ 1, got 0"),
        .init(name: "task's own minimum length", yaml: "task: {name: adding, sequence_length: 1}\n", prefix: "x.yaml:1:39: task.sequence_length:", fragment: "out of range"),
        .init(name: "learning_rate ≤ 0", yaml: task + "training:\n  batch_size: 4\n  learning_rate: -0.1\n", prefix: "x.yaml:4:18: training.learning_rate:", fragment: "must be > 0, got -0.1"),
        .init(name: "dropout ≥ 1", yaml: task + "model: {dropout: 1}\n", prefix: "x.yaml:2:18: model.dropout:", fragment: "must be in [0, 1), got 1.0"),
        .init(name: "dropout < 0", yaml: task + "model: {dropout: -0.5}\n", prefix: "x.yaml:2:18: model.dropout:", fragment: "must be in [0, 1), got -0.5"),
        .init(name: "batch_size < 1", yaml: task + "training: {batch_size: 0}\n", prefix: "x.yaml:2:24: training.batch_size:", fragment: "must be ≥ 1, got 0"),
        .init(name: "iterations < 1", yaml: task + "training: {iterations: -3}\n", prefix: "x.yaml:2:24: training.iterations:", fragment: "must be ≥ 1, got -3"),
        .init(name: "hidden_size < 1", yaml: task + "model: {hidden_size: 0}\n", prefix: "x.yaml:2:22: model.hidden_size:", fragment: "must be ≥ 1"),
        .init(name: "eval_interval < 1", yaml: task + "training: {eval_interval: 0}\n", prefix: "x.yaml:2:27: training.eval_interval:", fragment: "must be ≥ 1"),
        .init(name: "seeds < 1", yaml: task + "seeds: 0\n", prefix: "x.yaml:2:8: seeds:", fragment: "must be ≥ 1, got 0"),
        .init(name: "clip_norm ≤ 0", yaml: task + "training: {clip_norm: 0}\n", prefix: "x.yaml:2:23: training.clip_norm:", fragment: "must be > 0, got 0.0"),
        .init(name: "clip_norm text", yaml: task + "training: {clip_norm: off}\n", prefix: "x.yaml:2:23: training.clip_norm:", fragment: "or none for no clipping"),
        .init(name: "gain ≤ 0", yaml: task + "model: {init: {scheme: gaussian, gain: 0}}\n", prefix: "x.yaml:2:40: model.init.gain:", fragment: "must be > 0, got 0.0"),
        .init(name: "radius ≤ 0", yaml: task + "model: {init: {scheme: spectral-radius, radius: -1}}\n", prefix: "x.yaml:2:49: model.init.radius:", fragment: "must be > 0"),
        .init(name: "momentum ≥ 1", yaml: task + "training: {optimizer: {name: sgd, momentum: 1}}\n", prefix: "x.yaml:2:45: training.optimizer.momentum:", fragment: "must be in [0, 1)"),
        .init(name: "task parameter out of range", yaml: "task: {name: recall, sequence_length: 5, classes: 1}\n", prefix: "x.yaml:1:51: task.classes:", fragment: "out of range"),
        .init(name: "probe step after training", yaml: task + "training: {iterations: 10}\nprobes: {gradient_steps: [0, 11]}\n", prefix: "x.yaml:3:30: probes.gradient_steps[1]:", fragment: "after the last iteration (training.iterations = 10)"),
        .init(name: "bad experiment name", yaml: task + "name: My Sweep\n", prefix: "x.yaml:2:7: name:", fragment: "not a valid experiment name"),
        // Unknown names, listing the valid ones.
        .init(name: "unknown task", yaml: "task: {name: temporal_order, sequence_length: 5}\n", prefix: "x.yaml:1:14: task.name:", fragment: "unknown task 'temporal_order'; did you mean 'temporal-order'? (expected one of: adding, copy, recall, temporal-order, delayed-recall)"),
        .init(name: "unknown init scheme", yaml: task + "model: {init: xavier}\n", prefix: "x.yaml:2:15: model.init:", fragment: "unknown init scheme 'xavier' (expected one of: pytorch-default, xavier-uniform, xavier-normal, kaiming, orthogonal, eye, gaussian, spectral-radius, forget-bias, chrono, identity)"),
        .init(name: "init mapping without scheme", yaml: task + "model: {init: {gain: 2}}\n", prefix: "x.yaml:2:15: model.init:", fragment: "needs scheme:"),
        .init(name: "unknown optimizer", yaml: task + "training: {optimizer: adamw}\n", prefix: "x.yaml:2:23: training.optimizer:", fragment: "unknown optimizer 'adamw'; did you mean 'adam'? (expected one of: adam, sgd, rmsprop)"),
        .init(name: "unknown nonlinearity", yaml: task + "model: {nonlinearity: sigmoid}\n", prefix: "x.yaml:2:23: model.nonlinearity:", fragment: "unknown nonlinearity 'sigmoid' (expected one of: tanh, relu)"),
        .init(name: "unknown precision", yaml: task + "model: {precision: half}\n", prefix: "x.yaml:2:20: model.precision:", fragment: "expected one of: float32, float64"),
        // Missing required keys.
        .init(name: "missing task name", yaml: "task: {sequence_length: 5}\n", prefix: "x.yaml:1:1: task.name:", fragment: "missing"),
        .init(name: "missing sequence length", yaml: "model: {}\ntask:\n  name: adding\n", prefix: "x.yaml:2:1: task.sequence_length:", fragment: "missing"),
        .init(name: "no task at all", yaml: "seeds: 2\n", prefix: "x.yaml:1:1: task.name:", fragment: "missing"),
        // Sweep keys and values.
        .init(name: "unknown sweep key", yaml: task + "sweep:\n  hiden_size: [1, 2]\n", prefix: "x.yaml:3:3: sweep.hiden_size:", fragment: "unknown sweep key 'hiden_size'; did you mean 'hidden_size'?"),
        .init(name: "unknown sweep key, no suggestion", yaml: task + "sweep: {colour: [1]}\n", prefix: "x.yaml:2:9: sweep.colour:", fragment: "expected a setting: sequence_length, symbols, length, classes, noise, cell, hidden_size"),
        .init(name: "ambiguous sweep key", yaml: task + "sweep: {batch_size: [1, 2]}\n", prefix: "x.yaml:2:9: sweep.batch_size:", fragment: "ambiguous sweep key 'batch_size': write one of training.batch_size, probes.batch_size"),
        .init(name: "name in the sweep", yaml: task + "sweep: {name: [copy]}\n", prefix: "x.yaml:2:9: sweep.name:", fragment: "write task.name"),
        .init(name: "seeds in the sweep", yaml: task + "sweep: {seeds: [1, 2]}\n", prefix: "x.yaml:2:9: sweep.seeds:", fragment: "give seeds: at the top level"),
        .init(name: "sweep value not a list", yaml: task + "sweep: {hidden_size: 8}\n", prefix: "x.yaml:2:22: sweep.hidden_size:", fragment: "expected a non-empty list of values"),
        .init(name: "sweep value an empty list", yaml: task + "sweep: {hidden_size: []}\n", prefix: "x.yaml:2:22: sweep.hidden_size:", fragment: "got an empty list"),
        .init(name: "invalid sweep value", yaml: task + "sweep:\n  learning_rate: [0.1, 0.01, -1]\n", prefix: "x.yaml:3:30: sweep.learning_rate[2]:", fragment: "must be > 0, got -1.0"),
        .init(name: "invalid sweep init", yaml: task + "sweep:\n  init: [eye, {scheme: gaussian, gain: -2}]\n", prefix: "x.yaml:3:40: sweep.init[1].gain:", fragment: "must be > 0, got -2.0"),
        .init(name: "invalid sweep task value", yaml: "task: {name: recall}\nsweep:\n  sequence_length: [3, 0]\n", prefix: "x.yaml:3:24: sweep.sequence_length[1]:", fragment: "must be ≥ 1, got 0"),
        .init(name: "sweep value the task rejects", yaml: "task: {name: adding}\nsweep:\n  sequence_length: [3, 1]\n", prefix: "x.yaml:3:24: sweep.sequence_length[1]:", fragment: "task \"adding\": sequence_length = 1 is out of range"),
        .init(name: "sweep key twice", yaml: task + "sweep: {init: [eye], model.init: [orthogonal]}\n", prefix: "x.yaml:2:22: sweep.model.init:", fragment: "sets model.init, which sweep.init already sweeps"),
        .init(name: "sweep values equal after defaults", yaml: "task: {name: copy, sequence_length: 5}\nsweep:\n  hidden_size: [8, 16]\n  length: [10, 9, 10.0]\n", prefix: "x.yaml:4:19: sweep.length[2]:", fragment: "gives the same runs as sweep.length[0] (with sweep.hidden_size[0], sweep.length[2])"),
        .init(name: "duplicate sweep value", yaml: task + "sweep:\n  init: [eye, orthogonal, identity]\n", prefix: "x.yaml:3:27: sweep.init[2]:", fragment: "gives the same runs as sweep.init[0]"),
        .init(name: "empty sweep", yaml: task + "sweep: {}\n", prefix: "x.yaml:2:1: sweep:", fragment: "the sweep is empty"),
        // Variants.
        .init(name: "duplicate variants", yaml: task + "variants:\n  a: {hidden_size: 8}\n  b: {model.hidden_size: 8}\n", prefix: "x.yaml:4:3: variants.b:", fragment: "resolves to the same runs as variant 'a'"),
        .init(name: "variant equal to the defaults", yaml: task + "variants:\n  a: {}\n  b: {hidden_size: 64}\n", prefix: "x.yaml:4:3: variants.b:", fragment: "same runs as variant 'a'"),
        .init(name: "variant sets a swept key", yaml: task + "sweep: {init: [eye, orthogonal]}\nvariants:\n  irnn: {nonlinearity: relu, init: eye}\n", prefix: "x.yaml:4:30: variants.irnn.init:", fragment: "which sweep.init sweeps"),
        .init(name: "unknown variant key", yaml: task + "variants:\n  irnn: {nonlinearty: relu}\n", prefix: "x.yaml:3:10: variants.irnn.nonlinearty:", fragment: "unknown variant key 'nonlinearty'; did you mean 'nonlinearity'?"),
        .init(name: "invalid variant value", yaml: task + "variants:\n  irnn: {nonlinearity: relu, init: {scheme: eye, input_std: 0}}\n", prefix: "x.yaml:3:61: variants.irnn.init.input_std:", fragment: "must be > 0"),
        .init(name: "variant parameter of another task", yaml: task + "variants:\n  v: {classes: 3}\n", prefix: "x.yaml:3:7: variants.v.classes:", fragment: "unknown key 'classes' for task 'adding'"),
        .init(name: "bad variant name", yaml: task + "variants:\n  IRNN: {}\n", prefix: "x.yaml:3:3: variants.IRNN:", fragment: "not a valid variant name"),
        .init(name: "no variants", yaml: task + "variants: {}\n", prefix: "x.yaml:2:1: variants:", fragment: "no variants"),
    ]

    @Suite("ConfigTests: errors")
    struct Errors {
        @Test("each error is one line with file:line:column, the key path and what was expected", arguments: ConfigTests.errorCases)
        func oneLineWithPosition(_ errorCase: ErrorCase) {
            guard let error = ConfigTests.error(errorCase.yaml) else { return }
            let text = error.description
            #expect(text.hasPrefix(errorCase.prefix), "\(text)")
            #expect(text.contains(errorCase.fragment), "\(text)")
            #expect(!text.contains("\n"))
        }

        @Test("no config expands to more than a million runs")
        func tooManyRuns() throws {
            let tooManySeeds = try #require(ConfigTests.error(ConfigTests.task + "seeds: 2000000\n"))
            #expect(tooManySeeds.description == "x.yaml:2:8: seeds: must be ≤ 1000000 (the most runs a config may expand to), got 2000000")
            let sizes = (1...1001).map(String.init).joined(separator: ", ")
            let tooBig = try #require(ConfigTests.error(ConfigTests.task + "seeds: 1000\nsweep:\n  hidden_size: [\(sizes)]\n"))
            #expect(tooBig.description.hasPrefix("x.yaml:4:3: sweep.hidden_size: the experiment expands to 1001000 runs"))
        }

        @Test("the parts of the error match its description")
        func parts() throws {
            let error = try #require(ConfigTests.error(ConfigTests.task + "training:\n  learning_rate: -0.1\n", path: "experiments/x.yaml"))
            #expect(error == ConfigError(
                path: "experiments/x.yaml", line: 3, column: 18, keyPath: "training.learning_rate",
                message: "must be > 0, got -0.1"))
            #expect(error.description == "experiments/x.yaml:3:18: training.learning_rate: must be > 0, got -0.1")
        }
    }
}

// MARK: - Shipped examples

extension ConfigTests {
    static var exampleFiles: [URL] {
        let directory = repositoryRoot.appendingPathComponent("experiments/examples", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Suite("ConfigTests: shipped examples")
    struct Examples {
        @Test("every experiments/examples/*.yaml parses, small, one per task")
        func examplesParse() throws {
            let files = ConfigTests.exampleFiles
            var tasks: Set<String> = []
            for file in files {
                let config = try ExperimentConfig.load(file)
                #expect(!config.runs.isEmpty)
                for run in config.runs {
                    tasks.insert(run.task.name)
                    #expect(run.model.hiddenSize <= 32, "\(file.lastPathComponent)")
                    // Small enough that a whole example runs in well under a minute in a release build.
                    let work = run.training.iterations * run.training.batchSize * run.task.sequenceLength * config.runs.count
                    #expect(work <= 30_000_000, "\(file.lastPathComponent): \(work)")
                    #expect(try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml").runs == [run])
                }
            }
            #expect(tasks == Set(TaskCatalog.names))
        }

        @Test("experiments/README.md: its examples are the shipped files, its numbers are true")
        func readme() throws {
            let readme = try String(
                contentsOf: ConfigTests.repositoryRoot.appendingPathComponent("experiments/README.md"), encoding: .utf8)
            let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().map {
                String($0.prefix(upTo: $0.range(of: "```")!.lowerBound))
            }
            var shown = 0
            for block in blocks where block.hasPrefix("# experiments/examples/") {
                let firstLine = block.prefix { $0 != "\n" }
                let path = String(firstLine.dropFirst(2))
                let file = try String(
                    contentsOf: ConfigTests.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
                #expect(block.dropFirst(firstLine.count + 1) == file[...], "\(path) differs from README")
                shown += 1
            }
            #expect(shown == ConfigTests.exampleFiles.count)

            // The opening example: 2 variants × 8 grid points × 3 seeds.
            #expect(try ExperimentConfig.parse(blocks[0], path: "README.md").runs.count == 48)
            // The resolved config shown, and its id.
            let pinned = try ExperimentConfig.parse("name: pinned\ntask: {name: adding, sequence_length: 50}", path: "p.yaml").runs[0]
            #expect(blocks.contains(pinned.resolvedYAML))
            #expect(readme.contains("`\(pinned.id)`"))
        }
    }
}
