import Sweeps
import RealModule
import Recurrence
import Testing

/// The synthetic long-term-dependency tasks: shapes, determinism, each task's layout, the
/// memoryless baselines and the catalog's errors.
@Suite("Tasks")
enum TaskTests {
    /// One-hot index of sample n's input at step t, nil unless exactly one-hot.
    static func oneHot(_ batch: TaskBatch, step t: Int, sample n: Int) -> Int? {
        let start = (t * batch.batch + n) * batch.inputSize
        let vector = batch.inputs[start..<start + batch.inputSize]
        guard vector.allSatisfy({ $0 == 0 || $0 == 1 }), vector.filter({ $0 == 1 }).count == 1
        else { return nil }
        return vector.firstIndex(of: 1)! - start
    }

    static func labels(_ batch: TaskBatch) -> [Int] {
        guard case .classification(let labels) = batch.target else {
            Issue.record("expected classification labels")
            return []
        }
        return labels
    }

    static func values(_ batch: TaskBatch) -> [Double] {
        guard case .regression(let values) = batch.target else {
            Issue.record("expected regression values")
            return []
        }
        return values
    }

    static func make(
        _ name: String, _ length: Int, _ parameters: [String: TaskParameter] = [:]
    ) throws -> any SequenceTask {
        try TaskCatalog.make(name: name, sequenceLength: length, parameters: parameters)
    }

    /// The error `TaskCatalog.make` throws, or nil if it builds.
    static func error(
        _ name: String, _ length: Int, _ parameters: [String: TaskParameter] = [:]
    ) -> TaskError? {
        do {
            _ = try TaskCatalog.make(name: name, sequenceLength: length, parameters: parameters)
            return nil
        } catch {
            return error
        }
    }
}

// MARK: - Every task

extension TaskTests {
    @Suite("Every task")
    struct Common {
        @Test("shapes, one-hot inputs and labels in range", arguments: TaskCatalog.names)
        func shapes(name: String) throws {
            let task = try make(name, 13)
            var generator = SeededGenerator(seed: 1)
            let batch = task.batch(size: 7, using: &generator)
            #expect(batch.steps == task.steps)
            #expect(batch.batch == 7)
            #expect(batch.inputSize == task.inputSize)
            #expect(batch.inputs.count == task.steps * 7 * task.inputSize)
            #expect(batch.inputs.allSatisfy { $0.isFinite })
            switch batch.target {
            case .regression(let values):
                #expect(values.count == 7 * task.outputSize)
                #expect(task.chanceAccuracy == nil)
            case .classification(let labels):
                #expect(labels.count == task.steps * 7)
                #expect(labels.allSatisfy { (-1..<task.outputSize).contains($0) })
                #expect(labels.contains { $0 >= 0 })
                #expect(task.chanceAccuracy.map { $0 > 0 && $0 < 1 } == true)
            }
            #expect(task.baselineLoss > 0)
            #expect(task.dependencyLength == 13)
            #expect(task.name == name)
            // Recall's noisy steps aside, every input vector is one-hot (adding: a value
            // and a marker).
            if name != "adding" {
                let clean = name == "recall" ? 0..<1 : 0..<batch.steps
                for t in clean {
                    for n in 0..<7 { #expect(oneHot(batch, step: t, sample: n) != nil) }
                }
            }
        }

        @Test("same generator state → same batch; another seed → another", arguments: TaskCatalog.names)
        func determinism(name: String) throws {
            let task = try make(name, 20)
            var a = SeededGenerator(seed: 42)
            var b = SeededGenerator(seed: 42)
            var c = SeededGenerator(seed: 43)
            let first = task.batch(size: 16, using: &a)
            #expect(first == task.batch(size: 16, using: &b))
            #expect(first != task.batch(size: 16, using: &c))
            #expect(first != task.batch(size: 16, using: &a), "the generator moves on")
        }

        @Test("resolved parameters rebuild the same task", arguments: TaskCatalog.names)
        func parametersRoundTrip(name: String) throws {
            let task = try make(name, 9)
            #expect(Set(task.parameters.keys) == Set(TaskCatalog.parameterNames(of: name)))
            let rebuilt = try make(name, 9, task.parameters)
            #expect(rebuilt.parameters == task.parameters)
            #expect(rebuilt.steps == task.steps && rebuilt.inputSize == task.inputSize)
            var a = SeededGenerator(seed: 5)
            var b = SeededGenerator(seed: 5)
            #expect(task.batch(size: 3, using: &a) == rebuilt.batch(size: 3, using: &b))
        }
    }
}

// MARK: - Adding

extension TaskTests {
    @Suite("Adding problem")
    struct Adding {
        @Test("exactly one marker per half, target = sum of the marked values", arguments: [2, 7, 50])
        func markers(length: Int) throws {
            let task = try AddingTask(sequenceLength: length)
            #expect(task.steps == length && task.inputSize == 2 && task.outputSize == 1)
            let N = 200
            var generator = SeededGenerator(seed: 3)
            let batch = task.batch(size: N, using: &generator)
            let targets = values(batch)
            let half = length / 2
            for n in 0..<N {
                var marked: [Int] = []
                var sum = 0.0
                for t in 0..<length {
                    let value = batch.inputs[(t * N + n) * 2]
                    let marker = batch.inputs[(t * N + n) * 2 + 1]
                    #expect(value >= 0 && value < 1)
                    #expect(marker == 0 || marker == 1)
                    if marker == 1 {
                        marked.append(t)
                        sum += value
                    }
                }
                #expect(marked.count == 2)
                #expect(marked.filter { $0 < half }.count == 1)
                #expect(targets[n] == sum)
            }
        }

        @Test("markers cover both halves uniformly")
        func markerPositions() throws {
            let task = try AddingTask(sequenceLength: 10)
            let N = 5000
            var generator = SeededGenerator(seed: 9)
            let batch = task.batch(size: N, using: &generator)
            var counts = [Int](repeating: 0, count: 10)
            for t in 0..<10 {
                for n in 0..<N where batch.inputs[(t * N + n) * 2 + 1] == 1 { counts[t] += 1 }
            }
            // Each position expects N/5 = 1000 hits (sd ≈ 28).
            #expect(counts.allSatisfy { abs($0 - 1000) < 150 }, "\(counts)")
        }
    }
}

// MARK: - Copy

extension TaskTests {
    @Suite("Copy memory")
    struct Copy {
        @Test(
            "symbols, blanks, delimiter; the last targets reproduce the symbols",
            arguments: [(100, 8, 10), (1, 3, 4), (5, 2, 1)])
        func layout(length T: Int, symbols K: Int, copied L: Int) throws {
            let task = try CopyTask(sequenceLength: T, symbols: K, length: L)
            #expect(task.steps == T + 2 * L)
            #expect(task.inputSize == K + 2 && task.outputSize == K + 1)
            let N = 20
            var generator = SeededGenerator(seed: 4)
            let batch = task.batch(size: N, using: &generator)
            let labels = labels(batch)
            for n in 0..<N {
                let inputs = (0..<task.steps).map { oneHot(batch, step: $0, sample: n) }
                let symbols = inputs[0..<L].map { $0 ?? -1 }
                #expect(symbols.allSatisfy { (0..<K).contains($0) })
                #expect(inputs[L..<(L + T - 1)].allSatisfy { $0 == K }, "blanks")
                #expect(inputs[L + T - 1] == K + 1, "delimiter")
                #expect(inputs[(L + T)...].allSatisfy { $0 == K }, "trailing blanks")
                let targets = (0..<task.steps).map { labels[$0 * N + n] }
                #expect(targets[..<(T + L)].allSatisfy { $0 == K }, "blank targets")
                #expect(Array(targets[(T + L)...]) == symbols)
            }
        }

        @Test("default steps = T + 20 and baseline 10·ln 8/(T + 20)")
        func defaults() throws {
            let task = try CopyTask(sequenceLength: 100)
            #expect(task.steps == 120)
            #expect(abs(task.baselineLoss - 10 * Double.log(8) / 120) < 1e-15)
            #expect(abs(task.baselineLoss - 0.1733) < 1e-4)
            let small = try CopyTask(sequenceLength: 30, symbols: 5, length: 3)
            #expect(abs(small.baselineLoss - 3 * Double.log(5) / 36) < 1e-15)
        }
    }
}

// MARK: - Recall

extension TaskTests {
    @Suite("Recall / latching")
    struct Recall {
        @Test("the class at step 0, labelled at the last step only, noise after")
        func layout() throws {
            let task = try RecallTask(sequenceLength: 30, classes: 5, noise: 0.3)
            #expect(task.steps == 31 && task.inputSize == 5 && task.outputSize == 5)
            let N = 400
            var generator = SeededGenerator(seed: 6)
            let batch = task.batch(size: N, using: &generator)
            let labels = labels(batch)
            for n in 0..<N {
                #expect(oneHot(batch, step: 0, sample: n) == labels[30 * N + n])
                #expect((0..<30).allSatisfy { labels[$0 * N + n] == -1 })
            }
            let noise = batch.inputs[(N * 5)...]
            let mean = noise.reduce(0, +) / Double(noise.count)
            let sd = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count))
                .squareRoot()
            #expect(abs(mean) < 0.01)
            #expect(abs(sd - 0.3) < 0.006, "noise sd \(sd)")
        }

        @Test("default noise √0.2; zero noise gives zero inputs after step 0")
        func noiseLevels() throws {
            #expect(try RecallTask(sequenceLength: 3).noise == 0.2.squareRoot())
            let task = try RecallTask(sequenceLength: 4, classes: 3, noise: 0)
            var generator = SeededGenerator(seed: 2)
            let batch = task.batch(size: 10, using: &generator)
            #expect(batch.inputs[(10 * 3)...].allSatisfy { $0 == 0 })
        }
    }
}

// MARK: - Temporal order

extension TaskTests {
    @Suite("Temporal order")
    struct TemporalOrder {
        @Test(
            "two relevant symbols in their windows, the class is their order",
            arguments: [2, 3, 10, 100, 137])
        func layout(length T: Int) throws {
            let task = try TemporalOrderTask(sequenceLength: T)
            #expect(task.steps == T && task.inputSize == 6 && task.outputSize == 4)
            #expect(task.firstPositions.upperBound < task.secondPositions.lowerBound)
            #expect(task.secondPositions.upperBound < T)
            if T == 100 {
                #expect(task.firstPositions == 10...20 && task.secondPositions == 50...60)
            }
            let N = 300
            var generator = SeededGenerator(seed: 8)
            let batch = task.batch(size: N, using: &generator)
            let labels = labels(batch)
            var classes = Set<Int>()
            for n in 0..<N {
                let symbols = (0..<T).map { oneHot(batch, step: $0, sample: n) ?? -1 }
                let relevant = (0..<T).filter { symbols[$0] >= 4 }
                #expect(symbols.allSatisfy { $0 >= 0 })
                try #require(relevant.count == 2)
                #expect(task.firstPositions.contains(relevant[0]))
                #expect(task.secondPositions.contains(relevant[1]))
                let order = 2 * (symbols[relevant[0]] - 4) + (symbols[relevant[1]] - 4)
                #expect(labels[(T - 1) * N + n] == order)
                #expect((0..<(T - 1)).allSatisfy { labels[$0 * N + n] == -1 })
                classes.insert(order)
            }
            #expect(classes == [0, 1, 2, 3])
        }
    }
}

// MARK: - Delayed recall

extension TaskTests {
    @Suite("Delayed recall")
    struct DelayedRecall {
        @Test("label at t ≥ d is the symbol at t − d, −1 before", arguments: [(1, 20, 8), (15, 5, 3)])
        func layout(delay d: Int, length L: Int, symbols K: Int) throws {
            let task = try DelayedRecallTask(sequenceLength: d, symbols: K, length: L)
            #expect(task.steps == d + L && task.delay == d)
            #expect(task.inputSize == K && task.outputSize == K)
            let N = 25
            var generator = SeededGenerator(seed: 12)
            let batch = task.batch(size: N, using: &generator)
            let labels = labels(batch)
            for n in 0..<N {
                let symbols = (0..<task.steps).map { oneHot(batch, step: $0, sample: n) ?? -1 }
                for t in 0..<task.steps {
                    #expect(labels[t * N + n] == (t < d ? -1 : symbols[t - d]))
                }
            }
            #expect(labels.filter { $0 >= 0 }.count == L * N)
        }
    }
}

// MARK: - Baselines

extension TaskTests {
    @Suite("Memoryless baselines")
    struct Baselines {
        @Test("adding: always predicting 1 scores MSE 1/6 ± 0.01")
        func adding() throws {
            let task = try AddingTask(sequenceLength: 20)
            var generator = SeededGenerator(seed: 100)
            let targets = values(task.batch(size: 20_000, using: &generator))
            let mse = targets.map { ($0 - 1) * ($0 - 1) }.reduce(0, +) / Double(targets.count)
            #expect(abs(mse - 1.0 / 6.0) < 0.01, "MSE \(mse)")
            #expect(task.baselineLoss == 1.0 / 6.0)
        }

        /// Class counts per step over `chunks` batches of 2000 drawn from `generator`.
        static func counts(
            _ task: any SequenceTask, chunks: Int, using generator: inout SeededGenerator
        ) -> [[Int]] {
            var counts = [[Int]](
                repeating: [Int](repeating: 0, count: task.outputSize), count: task.steps)
            for _ in 0..<chunks {
                let batch = task.batch(size: 2000, using: &generator)
                for (index, label) in labels(batch).enumerated() where label >= 0 {
                    counts[index / batch.batch][label] += 1
                }
            }
            return counts
        }

        @Test(
            "classification: the per-step class marginal scores the baseline within 2%",
            arguments: [
                ("copy", 10), ("copy", 100), ("recall", 5), ("temporal-order", 20),
                ("delayed-recall", 4),
            ])
        func classification(name: String, length: Int) throws {
            let task = try make(name, length)
            var generator = SeededGenerator(seed: 77)
            // Fit the marginal on 20k sequences (Laplace-smoothed), score it on 20k fresh ones.
            let fitted = Self.counts(task, chunks: 10, using: &generator)
            let marginal = fitted.map { row in
                let total = Double(row.reduce(0, +)) + 0.5 * Double(row.count)
                return row.map { (Double($0) + 0.5) / total }
            }
            let held = Self.counts(task, chunks: 10, using: &generator)
            var nll = 0.0
            var correct = 0
            var labelled = 0
            for (t, row) in held.enumerated() where row.contains(where: { $0 > 0 }) {
                let guess = marginal[t].indices.max { marginal[t][$0] < marginal[t][$1] }!
                for (label, count) in row.enumerated() {
                    nll -= Double(count) * Double.log(marginal[t][label])
                    labelled += count
                    if label == guess { correct += count }
                }
            }
            nll /= Double(labelled)
            let accuracy = Double(correct) / Double(labelled)
            #expect(
                abs(nll - task.baselineLoss) < 0.02 * task.baselineLoss,
                "NLL \(nll) vs baseline \(task.baselineLoss)")
            let chance = try #require(task.chanceAccuracy)
            #expect(abs(accuracy - chance) < 0.02, "accuracy \(accuracy) vs chance \(chance)")
        }

        @Test("stated baselines and chance levels")
        func stated() throws {
            #expect(try make("recall", 10, ["classes": 6]).baselineLoss == Double.log(6))
            #expect(try make("recall", 10, ["classes": 6]).chanceAccuracy == 1.0 / 6.0)
            #expect(try make("temporal-order", 50).baselineLoss == Double.log(4))
            #expect(try make("temporal-order", 50).chanceAccuracy == 0.25)
            #expect(try make("delayed-recall", 10, ["symbols": 5]).baselineLoss == Double.log(5))
            #expect(try make("adding", 10).chanceAccuracy == nil)
        }
    }
}

// MARK: - Catalog

extension TaskTests {
    @Suite("Catalog")
    struct Catalog {
        @Test("every name builds with its defaults")
        func everyName() throws {
            #expect(TaskCatalog.names == ["adding", "copy", "recall", "temporal-order", "delayed-recall"])
            for name in TaskCatalog.names {
                let task = try make(name, 50)
                #expect(task.name == name)
                #expect(task.dependencyLength == 50)
            }
            let copy = try #require(try make("copy", 50) as? CopyTask)
            #expect(copy.symbols == 8 && copy.length == 10 && copy.steps == 70)
            let recall = try #require(try make("recall", 50) as? RecallTask)
            #expect(recall.classes == 4 && recall.noise == RecallTask.defaultNoise)
            let delayed = try #require(try make("delayed-recall", 50) as? DelayedRecallTask)
            #expect(delayed.symbols == 8 && delayed.length == 20 && delayed.steps == 70)
        }

        @Test("parameters are applied; whole doubles count as integers, integers as numbers")
        func parameters() throws {
            let copy = try make("copy", 30, ["symbols": 4.0, "length": 5])
            #expect(copy.inputSize == 6 && copy.outputSize == 5 && copy.steps == 40)
            let recall = try #require(try make("recall", 10, ["classes": 3, "noise": 1]) as? RecallTask)
            #expect(recall.classes == 3 && recall.noise == 1)
            let delayed = try make("delayed-recall", 7, ["symbols": 3, "length": 2])
            #expect(delayed.steps == 9 && delayed.inputSize == 3)
        }

        @Test("parameter names for docs and did-you-mean")
        func parameterNames() {
            #expect(TaskCatalog.parameterNames(of: "adding") == [])
            #expect(TaskCatalog.parameterNames(of: "copy") == ["symbols", "length"])
            #expect(TaskCatalog.parameterNames(of: "recall") == ["classes", "noise"])
            #expect(TaskCatalog.parameterNames(of: "temporal-order") == [])
            #expect(TaskCatalog.parameterNames(of: "delayed-recall") == ["symbols", "length"])
            #expect(TaskCatalog.parameterNames(of: "nonsense") == [])
        }

        @Test("unknown task names the task and lists the known ones")
        func unknownTask() {
            let error = TaskTests.error("addng", 10)
            #expect(error == .unknownTask(name: "addng", known: TaskCatalog.names))
            #expect(error?.parameter == nil)
            #expect(
                error?.description
                    == "unknown task \"addng\" (expected one of: adding, copy, recall, temporal-order, delayed-recall)")
        }

        @Test("unknown parameter names it and the task's keys")
        func unknownParameter() {
            let error = TaskTests.error("copy", 10, ["symbol": 8])
            #expect(error == .unknownParameter(task: "copy", parameter: "symbol", known: ["symbols", "length"]))
            #expect(error?.parameter == "symbol")
            #expect(
                error?.description
                    == "task \"copy\" has no parameter \"symbol\" (expected one of: symbols, length)")
            let none = TaskTests.error("adding", 10, ["noise": 0.1])
            #expect(none?.description == "task \"adding\" has no parameter \"noise\" (it takes none besides sequence_length)")
            // sequence_length belongs outside the task's own parameters.
            #expect(TaskTests.error("recall", 10, ["sequence_length": 5])?.parameter == "sequence_length")
        }

        @Test("wrong types are named with what was expected")
        func wrongType() {
            let text = TaskTests.error("copy", 10, ["symbols": "eight"])
            #expect(text == .wrongType(task: "copy", parameter: "symbols", value: "eight", expected: "an integer"))
            #expect(text?.description == "task \"copy\": symbols must be an integer, got \"eight\"")
            #expect(TaskTests.error("copy", 10, ["length": 2.5])?.description
                == "task \"copy\": length must be an integer, got 2.5")
            #expect(TaskTests.error("recall", 10, ["noise": "loud"])?.description
                == "task \"recall\": noise must be a number, got \"loud\"")
        }

        @Test(
            "out-of-range values are rejected with the expected range",
            arguments: [
                ("adding", 1, [:], "task \"adding\": sequence_length = 1 is out of range (expected an integer from 2 to 10000000)"),
                ("copy", 0, [:], "task \"copy\": sequence_length = 0 is out of range (expected an integer from 1 to 10000000)"),
                ("recall", -3, [:], "task \"recall\": sequence_length = -3 is out of range (expected an integer from 1 to 10000000)"),
                ("temporal-order", 1, [:], "task \"temporal-order\": sequence_length = 1 is out of range (expected an integer from 2 to 10000000)"),
                ("delayed-recall", 0, [:], "task \"delayed-recall\": sequence_length = 0 is out of range (expected an integer from 1 to 10000000)"),
                ("copy", 10, ["symbols": 1], "task \"copy\": symbols = 1 is out of range (expected an integer from 2 to 10000000)"),
                ("copy", 10, ["length": 0], "task \"copy\": length = 0 is out of range (expected an integer from 1 to 10000000)"),
                ("recall", 10, ["classes": 1], "task \"recall\": classes = 1 is out of range (expected an integer from 2 to 10000000)"),
                ("recall", 10, ["noise": -0.1], "task \"recall\": noise = -0.1 is out of range (expected a finite number ≥ 0)"),
                ("recall", 10, ["noise": .double(.nan)], "task \"recall\": noise = nan is out of range (expected a finite number ≥ 0)"),
                ("recall", 10, ["noise": .double(.infinity)], "task \"recall\": noise = inf is out of range (expected a finite number ≥ 0)"),
                ("delayed-recall", 10, ["symbols": 0], "task \"delayed-recall\": symbols = 0 is out of range (expected an integer from 2 to 10000000)"),
                ("copy", 4_611_686_018_427_387_904, [:], "task \"copy\": sequence_length = 4611686018427387904 is out of range (expected an integer from 1 to 10000000)"),
                ("delayed-recall", 10, ["length": -1], "task \"delayed-recall\": length = -1 is out of range (expected an integer from 1 to 10000000)"),
            ] as [(String, Int, [String: TaskParameter], String)])
        func outOfRange(name: String, length: Int, parameters: [String: TaskParameter], message: String) {
            let error = TaskTests.error(name, length, parameters)
            #expect(error?.description == message)
            #expect(error?.description.contains("\n") == false)
            guard case .outOfRange = error else {
                Issue.record("expected outOfRange, got \(String(describing: error))")
                return
            }
        }

        @Test("the smallest valid lengths build and generate")
        func smallest() throws {
            let smallest = [
                ("adding", 2), ("copy", 1), ("recall", 1), ("temporal-order", 2), ("delayed-recall", 1),
            ]
            for (name, length) in smallest {
                let task = try make(name, length)
                var generator = SeededGenerator(seed: 0)
                #expect(task.batch(size: 3, using: &generator).steps == task.steps)
            }
        }
    }
}
